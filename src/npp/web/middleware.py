"""Security middleware: Content-Security-Policy, idle timeout, second-factor guard, no caching
of private pages, and a logging filter that keeps personal data out of logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from npp.web.roles import needs_two_factor

# Swagger UI (self-hosted) sets styles inline; only its page gets this relaxation.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith("/api/v1/docs")
            response["Content-Security-Policy"] = DOCS_CSP if docs else settings.NPP_CSP
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class SessionGuardMiddleware:
    """Sign out after ``NPP_IDLE_TIMEOUT`` seconds without a request, or if a role that needs
    two-factor authentication has a session that did not pass it. Pages for signed-in users
    are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("npp_seen", now)
            idle = now - int(last) > settings.NPP_IDLE_TIMEOUT
            unverified = needs_two_factor(user) and not request.session.get("npp_2fa")
            if idle or unverified:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        _("You were signed out after a period of inactivity.")
                        if idle
                        else _("Please sign in again."),
                    )
                    return redirect(f"{reverse('accounts:login')}?next={quote(request.path)}")
            else:
                request.session["npp_seen"] = now
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RedactFilter(logging.Filter):
    """Drop request objects and exception messages from log records (they can carry personal
    data); keep the path without its query string, the status and the traceback's code lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        req: Any = getattr(record, "request", None)
        if req is not None:
            record.request = None
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            exc_type = record.exc_info[0]
            record.exc_text = None
            try:
                redacted = exc_type("[redacted]") if exc_type else None
            except Exception:
                redacted = None
            record.exc_info = (exc_type, redacted, record.exc_info[2]) if redacted else None
        return True


def _clean(arg: Any) -> Any:
    if isinstance(arg, str) and "?" in arg:
        return arg.split("?", 1)[0]
    return arg
