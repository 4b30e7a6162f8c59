from django.apps import AppConfig


class LawpagesConfig(AppConfig):
    name = "npp.web.lawpages"
    label = "lawpages"
