from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "silkbridge.forums"
    label = "forums"
