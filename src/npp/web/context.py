"""Template context for every page: navigation by role, overdue referrals, demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from npp.web import roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    ctx: dict[str, Any] = {"demo_mode": settings.DEMO, "works_on_cases": False}
    if user is None or not user.is_authenticated:
        return ctx
    ctx["works_on_cases"] = roles.works_on_cases(user)
    ctx["sees_statistics"] = roles.sees_statistics(user)
    if ctx["works_on_cases"]:
        from npp.web.cases.queries import overdue_referrals

        ctx["overdue_count"] = overdue_referrals(user).count()
    return ctx
