from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "silkbridge.news"
    label = "news"
