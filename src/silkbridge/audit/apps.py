from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "silkbridge.audit"
    label = "audit"
    verbose_name = "audit trail"

    def ready(self) -> None:
        from silkbridge.audit import recording

        recording.connect()
