"""Who may see which case, and what they may do with it: ONE module decides.

:func:`visible_cases` is the only visibility rule. A case is visible to the users of its
organisation and of organisations it was referred to (unless that referral was withdrawn),
and only to roles that work on cases. Everyone else — other organisations, analysts,
stewards, administrators, anonymous users — gets 404 (:func:`get_case`), so they cannot even
learn that a case exists. Every case view, form and API endpoint goes through
:func:`get_case` or :func:`visible_cases`; the tests prove it for each role.

:func:`rights` says what a user who sees a case may do with it (issue 15, least privilege):

- the **responsible** organisation — the owner, or the receiver of the latest transfer that
  was not declined or withdrawn — changes facts and personal details, advances the stage,
  records any decision and refers the case on;
- an organisation that **transferred** the case keeps read access (it sees the outcome) and
  may follow up or withdraw its referral, nothing more;
- the receiver of a **service** referral reads what is shared and records only the decisions
  its kind of organisation may record at the case's stage (``referral_rules.yaml``).

Identifying data (:func:`may_see_identity`) is seen by the owner and by receivers of a
referral that said to share it, whatever its kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from npp.web.cases.models import Case, Referral
from npp.web.cases.referral_rules import rules
from npp.web.cases.vocab import DECISION_LABELS, ReferralKind, ReferralStatus
from npp.web.roles import works_on_cases

#: An organisation as the caller names it (a primary key, or a demo's organisation kind).
Org = TypeVar("Org")

#: Referrals that no longer hand anything over.
ENDED = (ReferralStatus.WITHDRAWN, ReferralStatus.DECLINED)
#: The same, as the plain strings stored in the rows.
ENDED_STATUSES = frozenset(str(s) for s in ENDED)
TRANSFER = str(ReferralKind.TRANSFER)


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


def responsible_among(owner: Org, referrals: Iterable[tuple[str, Org, str]]) -> Org:
    """THE responsibility rule, on plain values: the receiver of the latest transfer still in
    force (neither declined nor withdrawn), or else the owner.

    ``referrals`` are ``(kind, receiver, status)`` in the order they were made, with each
    status as it stood at the moment asked about. :func:`responsible_organisation_id` applies
    it to a case's rows; the demo generator (:mod:`npp.web.demo.timelines`) applies it, at
    each referral's date, to the history it is writing, so that it makes only referrals the
    actions would accept — one rule, not two copies that could drift apart.
    """
    holder = owner
    for kind, receiver, status in referrals:
        if kind == TRANSFER and status not in ENDED_STATUSES:
            holder = receiver
    return holder


def responsible_organisation_id(case: Case) -> int:
    """The owner, or the receiver of the latest transfer still in force."""
    transfers = (
        Referral.objects.filter(case=case, kind=ReferralKind.TRANSFER)
        .order_by("created_at", "pk")
        .values_list("kind", "to_org_id", "status")
    )
    return int(responsible_among(case.organisation_id, transfers))


@dataclass(frozen=True)
class Rights:
    """What one user may do with one case they can see."""

    responsible: bool
    identity: bool
    decisions: frozenset[str]  # decision codes the user may record now

    @property
    def change_facts(self) -> bool:
        return self.responsible

    @property
    def advance_stage(self) -> bool:
        return self.responsible

    @property
    def refer(self) -> bool:
        return self.responsible

    @property
    def change_person(self) -> bool:
        return self.responsible and self.identity

    def may_record(self, decision: str) -> bool:
        return decision in self.decisions


NO_RIGHTS = Rights(responsible=False, identity=False, decisions=frozenset())


def rights(user: Any, case: Case) -> Rights:
    """What ``user`` may do with ``case`` (the caller has already checked it is visible)."""
    if not works_on_cases(user):
        return NO_RIGHTS
    org = user.organisation_id
    identity = may_see_identity(user, case)
    if responsible_organisation_id(case) == org:
        return Rights(responsible=True, identity=identity, decisions=frozenset(DECISION_LABELS))
    service = (
        Referral.objects.filter(case=case, to_org_id=org, kind=ReferralKind.SERVICE)
        .exclude(status__in=ENDED)
        .exists()
    )
    decisions = (
        rules().service_decisions(user.organisation.kind, case.stage) if service else frozenset()
    )
    return Rights(responsible=False, identity=identity, decisions=decisions)


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
