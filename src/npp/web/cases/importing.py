"""Create many cases at once (an HTCDS import): the rows and audit entries that
:func:`~npp.web.cases.actions.do_create_case`, ``do_record_decision`` and ``do_refer`` would
write one case at a time, written in bulk.

A file of 100,000 records must import in under a minute, so this module builds rows as
tuples and writes them a batch at a time (:mod:`npp.web.fastinsert`: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL) instead of building a model instance per row. Every personal
value is still encrypted on its own, with its own nonce (no value shares a ciphertext with
another, even when equal). An assessment document is serialised and compressed once per
distinct facts, then encrypted per case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import transaction
from django.utils import timezone

from npp.web.accounts.models import Organisation
from npp.web.audit.log import pending, record_many
from npp.web.audit.models import Event
from npp.web.cases.actions import _assess, _person_values, _require_case_role
from npp.web.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseOffence,
    ExchangeFields,
    Person,
    Referral,
    new_reference,
)
from npp.web.cases.vocab import EventKind, ReferralKind, ReferralStatus
from npp.web.crypto import exact, json_bytes, seal_bytes
from npp.web.fastinsert import insert, insert_objects

#: Cases written per round trip (and per progress step).
BATCH = 2000


@dataclass
class Imported:
    """One case to create from an imported record (already checked by the caller)."""

    facts: dict[str, Any]
    person: dict[str, str] = field(default_factory=dict)
    province: str = ""
    created_at: dt.datetime | None = None
    closed: bool = False
    decisions: list[dict[str, Any]] = field(default_factory=list)  # on, stage, decision, ...
    referrals: list[dict[str, Any]] = field(default_factory=list)  # to_org, purpose, due, ...
    exchange_fields: dict[str, Any] = field(default_factory=dict)
    source_reference: str = ""
    #: The engine's assessment of ``facts`` if the caller already made it (the import checks
    #: facts by assessing them); otherwise it is made here.
    assessed: Assessed | None = None


@dataclass(frozen=True)
class Assessed:
    """What an import keeps of one assessment: the document as it is stored (serialised and
    compressed, ~6 KB instead of the ~100 KB of the document's Python objects: 100,000 of
    them must fit in memory) and the few values that the case row and the statistics read."""

    facts_bytes: bytes
    document_bytes: bytes
    law_date: dt.date
    jurisdiction: str
    stage: str
    potential_victim: bool
    risk_flags: tuple[str, ...]
    offences: tuple[tuple[str, str], ...]  # (category, outcome), in order

    @classmethod
    def of(cls, facts: dict[str, Any], doc: dict[str, Any]) -> Assessed:
        return cls(
            facts_bytes=json_bytes(facts),
            document_bytes=json_bytes(doc),
            law_date=dt.date.fromisoformat(doc["law_date"]),
            jurisdiction=doc["jurisdiction"],
            stage=doc.get("stage") or facts.get("stage") or "identification",
            potential_victim=bool(doc["potential_victim"]),
            risk_flags=tuple(doc["risk_flags"]),
            offences=tuple((o["category"], o["outcome"]) for o in doc["offences"]),
        )


def _references(jurisdictions: list[str]) -> list[str]:
    """Fresh case references, none already in use."""
    refs = [new_reference(j) for j in jurisdictions]
    while True:
        taken: set[str] = set()
        for start in range(0, len(refs), 5000):
            chunk = refs[start : start + 5000]
            taken |= set(
                Case.objects.filter(reference__in=chunk).values_list("reference", flat=True)
            )
        seen: set[str] = set()
        clash = False
        for i, r in enumerate(refs):
            if r in taken or r in seen:
                refs[i] = new_reference(jurisdictions[i])
                clash = True
            seen.add(r)
        if not clash:
            return refs


@transaction.atomic
def do_import_cases(
    user: Any,
    items: list[Imported],
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
    on_batch: Callable[[list[Case], list[Imported], list[list[tuple[str, str]]]], None]
    | None = None,
) -> list[Case]:
    """Create a case per item, all or nothing; returns them (saved, in order).

    ``on_batch(cases, items, offences)`` is called after each batch is written, with each
    case's offences as (category, outcome): the statistics read model is derived from what
    is in memory instead of being read back.

    A record with no offence (nothing charged yet) becomes a case without an assessment;
    identical facts are assessed once, a batch at a time (so progress moves from the start).
    Raises :class:`npp.InvalidFacts` like :func:`~npp.web.cases.actions.do_create_case`;
    nothing is then written (one transaction).
    """
    _require_case_role(user)
    org = user.organisation
    now = timezone.now()
    distinct: dict[bytes, Assessed] = {}

    def assessed(it: Imported) -> Assessed | None:
        if not it.facts.get("offences"):
            return None
        if it.assessed is not None:
            return it.assessed
        key = exact(orjson.dumps(it.facts, default=str, option=orjson.OPT_SORT_KEYS))
        if key not in distinct:
            distinct[key] = Assessed.of(it.facts, _assess(it.facts))
        return distinct[key]

    refs = _references([it.facts["jurisdiction"] for it in items])
    created: list[Case] = []
    for start in range(0, len(items), batch):
        chunk = [(it, assessed(it)) for it in items[start : start + batch]]
        cases = _write_cases(user, org, chunk, refs[start : start + batch], now)
        _write_rows(user, org, chunk, cases, now)
        if on_batch:
            on_batch(
                cases,
                [it for it, _a in chunk],
                [list(a.offences) if a else [] for _it, a in chunk],
            )
        created += cases
        if progress:
            progress(len(created), len(items))
    record_many(
        pending(
            Event.CASE_CREATED,
            c,
            {
                "stage": c.stage,
                "offences": len(it.facts.get("offences") or []),
                "person_fields": sorted(k for k, v in it.person.items() if v),
                "imported": True,
            },
            user=user,
        )
        for c, it in zip(created, items, strict=True)
    )
    return created


def _write_cases(
    user: Any,
    org: Organisation,
    chunk: list[tuple[Imported, Assessed | None]],
    refs: list[str],
    now: dt.datetime,
) -> list[Case]:
    """Insert the chunk's cases and give each instance the key the database gave its row."""
    cases = []
    for (it, a), ref in zip(chunk, refs, strict=True):
        case = Case(
            reference=ref,
            organisation=org,
            created_by=user,
            created_at=it.created_at or now,
            updated_at=now,
            province=it.province[:100],
            closed=it.closed,
        )
        if a is not None:
            case.jurisdiction = a.jurisdiction
            case.stage = a.stage
            case.potential_victim = a.potential_victim
            case.child = "child" in a.risk_flags
            case.risk_flags = list(a.risk_flags)
        else:
            case.jurisdiction = it.facts["jurisdiction"]
            case.stage = it.facts.get("stage") or "identification"
        case.facts = it.facts
        cases.append(case)
    insert_objects(Case, cases)
    keys = dict(Case.objects.filter(reference__in=refs).values_list("reference", "pk"))
    for case in cases:
        case.pk = keys[case.reference]
        case._state.adding = False
        case._state.db = "default"
    return cases


def _write_rows(
    user: Any,
    org: Organisation,
    chunk: list[tuple[Imported, Assessed | None]],
    cases: list[Case],
    now: dt.datetime,
) -> None:
    """The person, assessment, offences, timeline, referrals and exchange fields of each case,
    as tuples in the column order given to :func:`npp.web.fastinsert.insert`."""
    persons, assessments, offences, events, referrals, extra = [], [], [], [], [], []
    uid = user.pk
    for (it, a), case in zip(chunk, cases, strict=True):
        at = case.created_at
        values = _person_values(it.person)
        persons.append((case.pk, *(values[f] for f in Person.FIELDS)))
        if a is not None:
            assessments.append(
                (
                    case.pk,
                    1,
                    at,
                    uid,
                    "created",
                    a.law_date,
                    seal_bytes(a.facts_bytes),
                    seal_bytes(a.document_bytes),
                )
            )
            offences += [(case.pk, n, cat, outcome) for n, (cat, outcome) in enumerate(a.offences)]
        events.append((case.pk, EventKind.OPENED, case.stage, "", "", "", "", at.date(), uid, at))
        for d in it.decisions:
            events.append(
                (
                    case.pk,
                    EventKind.DECISION,
                    d["stage"],
                    d["decision"],
                    d.get("offence") or "",
                    str(d["decided_by"])[:200],
                    "",
                    d["on"],
                    uid,
                    at,
                )
            )
        for r in it.referrals:
            referrals.append(
                (
                    case.pk,
                    (r.get("from_org") or org).pk,
                    r["to_org"].pk,
                    r["purpose"],
                    r["due"],
                    r.get("status") or ReferralStatus.PENDING,
                    ReferralKind.SERVICE,
                    False,
                    "",
                    uid,
                    r.get("created_at") or at,
                    now,
                    1,
                )
            )
            events.append(
                (
                    case.pk,
                    EventKind.REFERRAL,
                    case.stage,
                    r["purpose"],
                    "",
                    r["to_org"].name[:200],
                    "",
                    (r.get("created_at") or at).date(),
                    uid,
                    at,
                )
            )
        if it.exchange_fields or it.source_reference:
            extra.append((case.pk, it.exchange_fields, it.source_reference, now))
    insert(Person, ["case_id", *Person.FIELDS], persons)
    insert(
        Assessment,
        ["case_id", "number", "created_at", "created_by_id", "reason", "law_date", "facts",
         "document"],
        assessments,
    )  # fmt: skip
    insert(CaseOffence, ["case_id", "position", "category", "outcome"], offences)
    insert(
        CaseEvent,
        ["case_id", "kind", "stage", "decision", "offence", "decided_by", "reasons",
         "occurred_on", "recorded_by_id", "recorded_at"],
        events,
    )  # fmt: skip
    insert(
        Referral,
        ["case_id", "from_org_id", "to_org_id", "purpose", "due_date", "status", "kind",
         "share_identity", "note", "created_by_id", "created_at", "updated_at", "version"],
        referrals,
    )  # fmt: skip
    insert(ExchangeFields, ["case_id", "fields", "source_reference", "imported_at"], extra)


__all__ = ["BATCH", "Imported", "do_import_cases"]
