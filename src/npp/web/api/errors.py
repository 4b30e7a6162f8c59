"""API errors in one shape: ``{"errors": [{"field": ..., "problem": ...}]}`` (contract §4)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from npp.errors import NppError
from npp.web.api.parsers import BodyError
from npp.web.cases.actions import Conflict


def errors(items: list[tuple[str, str]], code: int = 400, **extra: Any) -> Response:
    body: dict[str, Any] = {"errors": [{"field": f, "problem": p} for f, p in items]}
    body.update(extra)
    return Response(body, status=code)


def _flatten(detail: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(detail, dict):
        out = []
        for k, v in detail.items():
            key = k if k != "non_field_errors" else ""
            out += _flatten(v, f"{prefix}.{key}" if prefix and key else (key or prefix))
        return out
    if isinstance(detail, list):
        if all(not isinstance(d, dict | list) for d in detail):
            return [(prefix or "(top level)", str(d)) for d in detail]
        out = []
        for n, d in enumerate(detail):
            out += _flatten(d, f"{prefix}[{n}]")
        return out
    return [(prefix or "(top level)", str(detail))]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, NppError):
        return errors([(p.where or "(top level)", p.problem) for p in exc.problems])
    if isinstance(exc, Conflict):
        return errors(
            [("version", str(exc))], status.HTTP_409_CONFLICT, current_version=exc.current_version
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return errors(_flatten(detail))
    if isinstance(exc, BodyError):
        return errors([("(top level)", str(exc.detail))])
    if isinstance(exc, exceptions.ParseError):
        return errors([("(top level)", f"not valid JSON: {exc.detail}")])
    if isinstance(exc, RequestDataTooBig):  # Django's own limit, where it read the body first
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return errors([("(top level)", f"the request body is larger than {limit} bytes")])
    if isinstance(exc, exceptions.ValidationError):
        return errors(_flatten(exc.detail))
    if isinstance(exc, Http404):
        return errors([("", "not found")], status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return errors([("", str(exc) or "not allowed")], status.HTTP_403_FORBIDDEN)
    response = drf_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response.data = {"detail": str(detail), "errors": [{"field": "", "problem": str(detail)}]}
    return response
