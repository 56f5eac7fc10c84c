"""Django app configuration of matching; connects the directory's change signal."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "silkbridge.matching"
    label = "matching"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from silkbridge.directory.signals import organisation_page, organisations_changed

        from . import signals

        organisations_changed.connect(signals.organisations_changed, dispatch_uid="matching.reembed")
        organisation_page.connect(signals.organisation_page, dispatch_uid="matching.recommendations")
