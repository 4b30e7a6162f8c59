"""Home, health and error pages (error pages never show request data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from npp.web import roles


def home(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {}
    user: Any = request.user
    if roles.works_on_cases(user):
        from npp.web.cases.queries import dashboard

        ctx.update(dashboard(user))
    return render(request, "home.html", ctx)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def _api(request: HttpRequest, code: int, problem: str) -> JsonResponse | None:
    """Under /api/, errors are JSON in the contract's shape (contract §4), as from the views."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"errors": [{"field": "", "problem": problem}]}, status=code)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api(request, 403, "not allowed") or render(
        request, "error.html", {"code": 403}, status=403
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api(request, 404, "not found") or render(
        request, "error.html", {"code": 404}, status=404
    )


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: nothing from the failed request (or the database) is used.
    return _api(request, 500, "internal error") or HttpResponse(
        loader.get_template("error.html").render({"code": 500}), status=500
    )
