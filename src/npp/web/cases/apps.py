from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "npp.web.cases"
    label = "cases"
