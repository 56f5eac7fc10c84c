from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "silkbridge.web"
    label = "web"
    verbose_name = "silkbridge"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from silkbridge.web import cache

        connection_created.connect(cache.install, dispatch_uid="silkbridge-page-cache")
