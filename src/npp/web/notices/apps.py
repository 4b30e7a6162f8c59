from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "npp.web.notices"
    label = "notices"
    verbose_name = "Identification notices between states"
