"""WSGI entry point: ``gunicorn npp.web.wsgi`` (behind a TLS-terminating proxy)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npp.web.settings")
application = get_wsgi_application()
