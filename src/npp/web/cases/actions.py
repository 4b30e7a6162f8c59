"""Every write to a case goes through one of these ``do_*`` functions.

Each runs in one transaction that also appends to the audit chain, so a write and its audit
entry are committed together or not at all. Writes that could race carry the version the
user saw (``expected_version``); if someone saved in between, :class:`Conflict` is raised
and nothing is written — never a silent overwrite.

Callers must already have checked, through :mod:`npp.web.access`, that the user may see the
case; actions re-check the role and what the user may do with the case
(:func:`npp.web.access.rights`: responsibility, service referrals) as defence in depth, but
not visibility.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

import npp
from npp.web.access import rights
from npp.web.accounts.models import Organisation
from npp.web.audit.log import record
from npp.web.audit.models import Event
from npp.web.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseOffence,
    Person,
    Referral,
    new_reference,
)
from npp.web.cases.vocab import (
    DECISION_LABELS,
    STAGE_CODES,
    EventKind,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
)
from npp.web.roles import works_on_cases


class Conflict(Exception):
    """Someone saved this record after the user loaded it; nothing was written."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"the record was changed by someone else (now version {current_version}); "
            "reload it and apply your change again"
        )


def _require_case_role(user: Any) -> None:
    if not works_on_cases(user):
        raise PermissionDenied("this role does not work on cases")


def _require(user: Any, case: Case, right: str) -> Any:
    """Refuse unless ``user`` has ``right`` on ``case`` (see :class:`npp.web.access.Rights`)."""
    granted = rights(user, case)
    if not getattr(granted, right):
        raise PermissionDenied(
            "only the organisation responsible for the case may do this"
            if right != "change_person"
            else "only the responsible organisation, with the person's details, may do this"
        )
    return granted


def _assess(facts: dict[str, Any]) -> dict[str, Any]:
    """Run the engine; :class:`npp.InvalidFacts` propagates to the caller."""
    return npp.engine().assess_data(facts).document


def _summarise(case: Case, facts: dict[str, Any], doc: dict[str, Any]) -> None:
    case.facts = facts
    case.jurisdiction = doc["jurisdiction"]
    case.stage = doc.get("stage") or facts.get("stage") or "identification"
    case.potential_victim = bool(doc["potential_victim"])
    case.child = "child" in doc["risk_flags"]
    case.risk_flags = list(doc["risk_flags"])


def _store_assessment(
    case: Case, user: Any, facts: dict[str, Any], doc: dict[str, Any], reason: str
) -> Assessment:
    last = case.assessments.order_by("-number").values_list("number", flat=True).first() or 0
    a = Assessment.objects.create(
        case=case,
        number=last + 1,
        created_by=user,
        reason=reason,
        law_date=dt.date.fromisoformat(doc["law_date"]),
        facts=facts,
        document=doc,
    )
    CaseOffence.objects.filter(case=case).delete()
    CaseOffence.objects.bulk_create(
        CaseOffence(case=case, position=n, category=o["category"], outcome=o["outcome"])
        for n, o in enumerate(doc["offences"])
    )
    return a


def _bump(case: Case, expected_version: int, **fields: Any) -> None:
    """Save ``fields`` and increment the version, only if nobody saved in between."""
    now = timezone.now()
    saved = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=now, **fields
    )
    if not saved:
        current = Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()
        raise Conflict(current or 0)
    case.version = expected_version + 1
    case.updated_at = now
    for k, v in fields.items():
        setattr(case, k, v)


def _person_values(person: dict[str, Any] | None) -> dict[str, str]:
    person = person or {}
    unknown = set(person) - set(Person.FIELDS)
    if unknown:
        raise ValidationError({k: "is not a known field" for k in sorted(unknown)})
    return {k: str(person.get(k) or "").strip()[:2000] for k in Person.FIELDS}


@transaction.atomic
def do_create_case(
    user: Any,
    facts: dict[str, Any],
    *,
    person: dict[str, Any] | None = None,
    province: str = "",
    organisation: Organisation | None = None,
    created_at: dt.datetime | None = None,
) -> Case:
    """Open a case from validated facts (raises :class:`npp.InvalidFacts`) and assess it."""
    _require_case_role(user)
    doc = _assess(facts)
    values = _person_values(person)
    org = organisation or user.organisation
    now = created_at or timezone.now()
    for _attempt in range(5):
        case = Case(
            reference=new_reference(doc["jurisdiction"]),
            organisation=org,
            created_by=user,
            created_at=now,
            updated_at=now,
            province=province[:100],
        )
        _summarise(case, facts, doc)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:  # a reference collision: draw again
            continue
    else:  # pragma: no cover - 32**8 references
        raise RuntimeError("could not allocate a case reference")
    Person.objects.create(case=case, **values)
    a = _store_assessment(case, user, facts, doc, "created")
    a.created_at = now
    a.save(update_fields=["created_at"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.OPENED,
        stage=case.stage,
        recorded_by=user,
        recorded_at=now,
        occurred_on=now.date(),
    )
    record(
        Event.CASE_CREATED,
        user=user,
        target=case,
        details={
            "stage": case.stage,
            "offences": len(doc["offences"]),
            "person_fields": sorted(k for k, v in values.items() if v),
        },
    )
    return case


@transaction.atomic
def do_update_facts(
    user: Any, case: Case, facts: dict[str, Any], expected_version: int
) -> Assessment:
    """New facts: re-assess, keep the previous assessments, bump the version."""
    _require_case_role(user)
    _require(user, case, "change_facts")
    doc = _assess(facts)
    old_stage = case.stage
    old: dict[str, Any] = case.facts or {}
    changed = sorted(k for k in set(facts) | set(old) if facts.get(k) != old.get(k))
    probe = Case(pk=case.pk)
    _summarise(probe, facts, doc)
    _bump(
        case,
        expected_version,
        facts=facts,
        jurisdiction=probe.jurisdiction,
        stage=probe.stage,
        potential_victim=probe.potential_victim,
        child=probe.child,
        risk_flags=probe.risk_flags,
    )
    a = _store_assessment(case, user, facts, doc, "facts_changed")
    CaseEvent.objects.create(
        case=case, kind=EventKind.FACTS_CHANGED, stage=case.stage, recorded_by=user
    )
    record(
        Event.FACTS_CHANGED,
        user=user,
        target=case,
        details={
            "version": case.version,
            "assessment": a.number,
            "stage_from": old_stage,
            "stage": case.stage,
            "keys": changed,
        },
    )
    return a


@transaction.atomic
def do_update_person(user: Any, case: Case, person: dict[str, Any], expected_version: int) -> None:
    _require_case_role(user)
    _require(user, case, "change_person")
    values = _person_values(person)
    _bump(case, expected_version)
    p, _created = Person.objects.get_or_create(case=case)
    changed = [k for k in Person.FIELDS if getattr(p, k) != values[k]]
    for k in changed:
        setattr(p, k, values[k])
    p.save()
    record(
        Event.PERSON_CHANGED,
        user=user,
        target=case,
        details={"version": case.version, "fields": changed},
    )


@transaction.atomic
def do_advance_stage(
    user: Any,
    case: Case,
    to_stage: str,
    expected_version: int,
    *,
    reasons: str = "",
    decided_by: str = "",
) -> Assessment:
    """Move the case to a later stage and re-assess (the actions change with the stage)."""
    _require_case_role(user)
    _require(user, case, "advance_stage")
    if to_stage not in STAGE_CODES:
        raise ValidationError({"stage": f"must be one of {', '.join(STAGE_CODES)}"})
    if STAGE_CODES.index(to_stage) <= STAGE_CODES.index(case.stage):
        raise ValidationError({"stage": "must be a later stage than the current one"})
    facts = dict(case.facts)
    facts["stage"] = to_stage
    doc = _assess(facts)
    from_stage = case.stage
    _bump(case, expected_version, facts=facts, stage=to_stage)
    a = _store_assessment(case, user, facts, doc, "stage_advanced")
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STAGE_ADVANCED,
        stage=to_stage,
        recorded_by=user,
        reasons=reasons,
        decided_by=decided_by[:200],
        decision=from_stage,
    )
    record(
        Event.STAGE_ADVANCED,
        user=user,
        target=case,
        details={"from": from_stage, "to": to_stage, "version": case.version},
    )
    return a


@transaction.atomic
def do_record_decision(
    user: Any,
    case: Case,
    decision: str,
    expected_version: int,
    *,
    decided_by: str,
    reasons: str = "",
    offence: str = "",
    occurred_on: dt.date | None = None,
    stage: str | None = None,
) -> CaseEvent:
    """A decision on the case. The receiver of a service referral records only its own kind
    of decisions (``referral_rules.yaml``); the responsible organisation records any."""
    _require_case_role(user)
    if decision not in DECISION_LABELS:
        raise ValidationError({"decision": "unknown decision"})
    if not rights(user, case).may_record(decision):
        raise PermissionDenied("your organisation may not record this decision on this case")
    if not decided_by.strip():
        raise ValidationError({"decided_by": "say who decided (role and office)"})
    categories = [o.get("category") for o in case.facts.get("offences", [])]
    if offence and offence not in categories:
        raise ValidationError({"offence": "is not one of this case's offences"})
    _bump(case, expected_version)
    ev = CaseEvent.objects.create(
        case=case,
        kind=EventKind.DECISION,
        stage=stage or case.stage,
        decision=decision,
        offence=offence,
        decided_by=decided_by.strip()[:200],
        reasons=reasons.strip(),
        occurred_on=occurred_on or timezone.localdate(),
        recorded_by=user,
    )
    record(
        Event.DECISION_RECORDED,
        user=user,
        target=case,
        details={
            "decision": decision,
            "stage": ev.stage,
            "offence": offence,
            "version": case.version,
        },
    )
    return ev


@transaction.atomic
def do_refer(
    user: Any,
    case: Case,
    to_org: Organisation,
    purpose: str,
    due_date: dt.date,
    expected_version: int,
    *,
    share_identity: bool = False,
    note: str = "",
    kind: str | None = None,
) -> Referral:
    """Refer the case (only the responsible organisation may). ``kind`` defaults to the
    rules' suggestion: ``transfer`` for the next link of the chain, else ``service``."""
    _require_case_role(user)
    _require(user, case, "refer")
    if purpose not in ReferralPurpose.values:
        raise ValidationError({"purpose": "unknown purpose"})
    if to_org.pk == user.organisation_id:
        raise ValidationError({"to_org": "refer to another organisation"})
    if kind is None:
        from npp.web.cases.referral_rules import rules

        kind = rules().suggested_kind(user.organisation.kind, to_org.kind)
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": "must be transfer or service"})
    _bump(case, expected_version)
    r = Referral.objects.create(
        case=case,
        from_org=user.organisation,
        to_org=to_org,
        purpose=purpose,
        kind=kind,
        due_date=due_date,
        share_identity=share_identity,
        note=note.strip(),
        created_by=user,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.REFERRAL,
        stage=case.stage,
        recorded_by=user,
        decided_by=to_org.name[:200],
        decision=purpose,
    )
    record(
        Event.REFERRAL_CREATED,
        user=user,
        target=case,
        details={
            "referral": r.pk,
            "to": to_org.code,
            "purpose": purpose,
            "kind": kind,
            "due": due_date.isoformat(),
            "share_identity": share_identity,
        },
    )
    return r


@transaction.atomic
def do_update_referral(
    user: Any, referral: Referral, status: str, expected_version: int, *, note: str | None = None
) -> Referral:
    """Follow-up by either side. Only the referring side may withdraw."""
    _require_case_role(user)
    if status not in ReferralStatus.values:
        raise ValidationError({"status": "unknown status"})
    if user.organisation_id not in {referral.from_org_id, referral.to_org_id}:
        raise PermissionDenied("only the two organisations of a referral may update it")
    if status == "withdrawn" and user.organisation_id != referral.from_org_id:
        raise ValidationError({"status": "only the referring organisation may withdraw"})
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "updated_at": now, "version": expected_version + 1}
    if note is not None:
        fields["note"] = note.strip()
    if not Referral.objects.filter(pk=referral.pk, version=expected_version).update(**fields):
        raise Conflict(
            Referral.objects.filter(pk=referral.pk).values_list("version", flat=True).first() or 0
        )
    old = referral.status
    for k, v in fields.items():
        setattr(referral, k, v)
    CaseEvent.objects.create(
        case_id=referral.case_id,
        kind=EventKind.REFERRAL_UPDATE,
        stage=referral.case.stage,
        recorded_by=user,
        decision=status,
        decided_by=user.organisation.name[:200],
    )
    record(
        Event.REFERRAL_UPDATED,
        user=user,
        target=referral.case,
        details={"referral": referral.pk, "from": old, "to": status, "version": referral.version},
    )
    return referral


@transaction.atomic
def do_view_case(user: Any, case: Case, *, channel: str = "web") -> None:
    """Record that ``user`` opened the case (facts, assessment, timeline)."""
    record(Event.CASE_VIEWED, user=user, target=case, details={"channel": channel})


@transaction.atomic
def do_view_person(user: Any, case: Case, *, channel: str = "web") -> None:
    """Record that ``user`` saw the person's identifying data."""
    record(Event.PERSON_VIEWED, user=user, target=case, details={"channel": channel})


@transaction.atomic
def do_export_record(user: Any, case: Case, *, with_identity: bool) -> None:
    record(
        Event.RECORD_EXPORTED,
        user=user,
        target=case,
        details={"format": "pdf", "identity": with_identity},
    )
