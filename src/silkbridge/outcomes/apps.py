from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "silkbridge.outcomes"
    label = "outcomes"
