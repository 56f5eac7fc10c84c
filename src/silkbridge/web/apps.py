from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "silkbridge.web"
    label = "web"
    verbose_name = "silkbridge"
