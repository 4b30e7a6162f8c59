from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "npp.web.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring, law comparison and data exchange"

    def ready(self) -> None:
        from npp.web.monitoring import signals

        signals.connect()
