from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "silkbridge.forums"
    label = "forums"

    def ready(self) -> None:
        from silkbridge.forums import selfservice

        selfservice.connect()
