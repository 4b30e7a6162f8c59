from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "npp.web.api"
    label = "api"

    def ready(self) -> None:
        from npp.web.api import schema  # noqa: F401 - registers the OpenAPI auth extensions
