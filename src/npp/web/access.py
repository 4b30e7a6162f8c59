"""Who may see which case: ONE function decides.

:func:`visible_cases` is the only rule. A case is visible to the users of its organisation
and of organisations it was referred to (unless that referral was withdrawn), and only to
roles that work on cases. Everyone else — other organisations, analysts, stewards,
administrators, anonymous users — gets 404 (:func:`get_case`), so they cannot even learn
that a case exists. Every case view, form and API endpoint goes through :func:`get_case`
or :func:`visible_cases`; the tests prove it for each role.

:func:`may_see_identity` narrows one thing further: an organisation a case was referred to
sees the person's identifying data only if the referral said to share it.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from npp.web.cases.models import Case, Referral
from npp.web.cases.vocab import ReferralStatus
from npp.web.roles import works_on_cases


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case ``user`` may see (an empty queryset for anyone who may see none)."""
    if not works_on_cases(user):
        return Case.objects.none()
    org = user.organisation_id
    referred = Referral.objects.filter(to_org_id=org).exclude(status=ReferralStatus.WITHDRAWN)
    return Case.objects.filter(Q(organisation_id=org) | Q(pk__in=referred.values("case_id")))


#: The shape of every case reference (``new_reference``): anything else cannot exist, and is
#: answered without a query (PostgreSQL refuses text with a NUL byte: it would be a 500).
REFERENCE = re.compile(r"[A-Z]{2}-[0-9A-Z]{1,14}")


def get_case(user: Any, reference: str, *, for_update: bool = False) -> Case:
    """The case, if ``user`` may see it; otherwise 404, whether or not it exists."""
    if not REFERENCE.fullmatch(reference):
        raise Http404("No such case.")
    qs = visible_cases(user).select_related("organisation")
    try:
        return qs.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def may_see_identity(user: Any, case: Case) -> bool:
    """Identifying data: the owning organisation, or a referral that shares it."""
    if not works_on_cases(user):
        return False
    if case.organisation_id == user.organisation_id:
        return True
    return (
        Referral.objects.filter(case=case, to_org_id=user.organisation_id, share_identity=True)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .exists()
    )
