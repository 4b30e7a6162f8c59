from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "npp.web.audit"
    label = "audit"
