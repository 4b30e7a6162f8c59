"""Read-only queries for pages, all scoped through :func:`npp.web.access.visible_cases`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from npp.web.access import visible_cases
from npp.web.cases.models import Case, Referral
from npp.web.cases.vocab import OPEN_REFERRAL


def referrals_for(user: Any) -> QuerySet[Referral]:
    """Referrals made by or to the user's organisation, on cases the user may see."""
    org = user.organisation_id
    return (
        Referral.objects.filter(case__in=visible_cases(user))
        .filter(Q(from_org_id=org) | Q(to_org_id=org))
        .select_related("case", "from_org", "to_org")
    )


def overdue_referrals(user: Any) -> QuerySet[Referral]:
    return referrals_for(user).filter(status__in=OPEN_REFERRAL, due_date__lt=timezone.localdate())


def dashboard(user: Any) -> dict[str, Any]:
    cases: QuerySet[Case] = visible_cases(user).prefetch_related("offences")
    org = user.organisation_id
    return {
        "recent_cases": list(cases.order_by("-updated_at")[:10]),
        "open_cases": cases.filter(closed=False).count(),
        "overdue": list(overdue_referrals(user).order_by("due_date")[:20]),
        "incoming": list(
            referrals_for(user)
            .filter(to_org_id=org, status__in=OPEN_REFERRAL)
            .order_by("due_date")[:20]
        ),
    }
