from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API app. Its OpenAPI extensions (``schema``) are imported by ``urls``, next to the
    schema views, not here: importing drf-spectacular at start-up made every ``npp`` command
    start half again as slowly, and only the schema needs it."""

    name = "npp.web.api"
    label = "api"
