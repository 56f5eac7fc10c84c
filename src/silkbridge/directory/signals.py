"""Signals later apps listen to: matching re-embeds changed profiles and adds partners to an organisation's page."""
from django.dispatch import Signal

# ids: list of Organisation primary keys whose names or profile texts changed.
organisations_changed = Signal()

# organisation: the Organisation whose page is being built. A receiver returns extra template
# context for it, e.g. matching's {"recommendations": [...]}; the directory imports no later app.
organisation_page = Signal()
