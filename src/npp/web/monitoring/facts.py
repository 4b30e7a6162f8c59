"""Derive the statistics read model (:mod:`.models`) from the case tables.

:func:`refresh_case` recomputes one case's rows; :func:`rebuild` recomputes them all. Both
only read the case tables (through the ORM, decrypting what they must in memory) and write
generalised values: age band, not age; month, not date of birth; never a name or text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from npp.analytics.deidentify import age_band
from npp.analytics.measures import Decision, case_measures, sector_of
from npp.web.cases.models import Assessment, Case, CaseEvent, CaseOffence, Referral
from npp.web.cases.vocab import OPEN_REFERRAL, PROTECTIVE, PUNITIVE, EventKind, ReferralStatus
from npp.web.fastinsert import insert
from npp.web.monitoring.models import CaseFact, DecisionFact, OffenceFact

log = logging.getLogger(__name__)
UNKNOWN = "unknown"
TYPOLOGY_ORDER = ("trafficking", "liberation", "consequential", "status")


def _typologies() -> dict[str, str]:
    from npp import engine

    kb = engine().kb
    return {code: o.typology for code, o in kb.offences.items()}


_TYPOLOGY: dict[str, str] | None = None


def typology_of() -> dict[str, str]:
    global _TYPOLOGY
    if _TYPOLOGY is None:
        _TYPOLOGY = _typologies()
    return _TYPOLOGY


def main_typology(categories: Iterable[str]) -> str:
    """The gravest typology among the offences (trafficking > liberation > ... > status)."""
    found = {typology_of().get(c, "consequential") for c in categories}
    for t in TYPOLOGY_ORDER:
        if t in found:
            return t
    return UNKNOWN


def _first_assessment_on(case: Case, test: Any) -> dt.date | None:
    for a in Assessment.objects.filter(case_id=case.pk).order_by("number"):
        try:
            if test(a):
                return timezone.localdate(a.created_at)
        except Exception:
            continue
    return None


@dataclass
class Loaded:
    """A case's rows that :func:`case_rows` reads, fetched for many cases at once
    (:func:`preload`) so that a rebuild makes a few queries per batch, not several per case."""

    offences: list[tuple[str, str]] = field(default_factory=list)
    events: list[tuple[dt.date, str, str, str]] = field(default_factory=list)
    referrals: list[tuple[Any, dt.date]] = field(default_factory=list)


def preload(case_ids: list[int]) -> dict[int, Loaded]:
    out: dict[int, Loaded] = {pk: Loaded() for pk in case_ids}
    for cid, cat, outcome in (
        CaseOffence.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "position")
        .values_list("case_id", "category", "outcome")
    ):
        out[cid].offences.append((cat, outcome))
    for cid, on, st, d, off in (
        CaseEvent.objects.filter(case_id__in=case_ids, kind=EventKind.DECISION)
        .order_by("case_id", "recorded_at", "pk")
        .values_list("case_id", "occurred_on", "stage", "decision", "offence")
    ):
        out[cid].events.append((on, st, d, off))
    for cid, st, due in (
        Referral.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "due_date", "pk")
        .values_list("case_id", "status", "due_date")
    ):
        out[cid].referrals.append((st, due))
    return out


Values = dict[str, Any]


def case_rows(
    case: Case,
    previous: CaseFact | None = None,
    loaded: Loaded | None = None,
    flagged_on: dt.date | None = None,
) -> tuple[CaseFact, list[OffenceFact], list[DecisionFact]]:
    """The read-model rows of one case (not saved). ``loaded`` holds its rows if already
    fetched; ``flagged_on``, the day it was first assessed a potential victim, if known."""
    row, offences, decisions = case_values(case, previous, loaded, flagged_on)
    return (
        CaseFact(**row),
        [OffenceFact(**o) for o in offences],
        [DecisionFact(**d) for d in decisions],
    )


def case_values(
    case: Case,
    previous: CaseFact | None = None,
    loaded: Loaded | None = None,
    flagged_on: dt.date | None = None,
) -> tuple[Values, list[Values], list[Values]]:
    """The column values of :func:`case_rows` (bulk writers insert them without building
    model instances)."""
    facts: dict[str, Any] = case.facts or {}
    person = facts.get("person") or {}
    traf = facts.get("trafficking") or {}
    opened = timezone.localdate(case.created_at)
    if loaded is None:
        loaded = preload([case.pk])[case.pk]
    offences = loaded.offences
    categories = [c for c, _o in offences] or [
        o.get("category", "other") for o in facts.get("offences") or []
    ]
    decisions = [Decision(on, st, d, off or "") for on, st, d, off in loaded.events]
    flagged = previous.flagged_on if previous else None
    if flagged is None and case.potential_victim:
        flagged = (
            flagged_on
            or _first_assessment_on(case, lambda a: a.document.get("potential_victim"))
            or opened
        )
    formal_at_contact = False
    if person.get("victim_status") == "formal" and not any(
        d.decision == "identified_as_victim" for d in decisions
    ):
        formal_at_contact = True
    m = case_measures(
        opened_on=opened,
        potential_victim=bool(case.potential_victim),
        flagged_on=flagged,
        formally_identified_at_contact=formal_at_contact,
        decisions=decisions,
        protective=PROTECTIVE,
        punitive=PUNITIVE,
    )
    refs = loaded.referrals
    open_due = [due for st, due in refs if st in OPEN_REFERRAL]
    dims = {
        "jurisdiction": case.jurisdiction,
        "province": (case.province or "")[:100],
        "month": opened.replace(day=1),
        "year": opened.year,
        "stage": case.stage,
        "sex": person.get("sex") or UNKNOWN,
        "age_band": age_band(person.get("age")),
        "nationality": person.get("nationality") or UNKNOWN,
        "sector": sector_of(set(categories), set(traf.get("purposes") or [])),
        "typology": main_typology(categories),
        "potential_victim": m.potential_victim,
    }
    row: Values = {
        "case_id": case.pk,
        "opened_on": opened,
        "offences": ";".join(sorted(set(categories)))[:400],
        "flagged_on": m.flagged_on,
        "identified": m.identified_on is not None,
        "identified_on": m.identified_on,
        "charged": m.charged,
        "prosecuted": m.prosecuted,
        "convicted": m.convicted,
        "protected": m.protected,
        "punished": m.punished,
        "identified_after_charge": m.identified_after_charge,
        "days_to_identification": m.days_to_identification,
        "referrals": len(refs),
        "referrals_completed": sum(1 for st, _d in refs if st == ReferralStatus.COMPLETED),
        "referrals_open": len(open_due),
        "next_due": min(open_due) if open_due else None,
        "closed": case.closed,
        **dims,
    }
    off_rows = []
    seen: set[str] = set()
    for pos, cat in enumerate(categories):
        if cat in seen:  # one row per person and category: counts are counts of persons
            continue
        seen.add(cat)
        outcome = offences[pos][1] if pos < len(offences) else ""
        mine = [d for d in decisions if d.offence in {"", cat}]
        off_rows.append(
            dict(
                case_id=case.pk,
                position=pos,
                category=cat,
                outcome=outcome,
                charged=any(d.decision == "charged" for d in mine),
                protected=any(d.decision in PROTECTIVE for d in mine),
                punished=m.flagged_on is not None
                and any(d.decision in PUNITIVE and d.on >= m.flagged_on for d in mine),
                **{**dims, "typology": typology_of().get(cat, "consequential")},
            )
        )
    first: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: d.on):
        first.setdefault(d.decision, d)  # one row per person and decision: the first time
    dec_rows = [
        dict(
            case_id=case.pk,
            decision=d.decision,
            decision_stage=d.stage,
            occurred_on=d.on,
            after_flag=m.flagged_on is not None and d.on >= m.flagged_on,
            **dims,
        )
        for d in first.values()
    ]
    return row, off_rows, dec_rows


def refresh_case(case_id: int) -> None:
    """Recompute one case's rows (or remove them if the case is gone)."""
    with transaction.atomic():
        case = Case.objects.filter(pk=case_id).first()
        previous = CaseFact.objects.filter(case_id=case_id).first()
        OffenceFact.objects.filter(case_id=case_id).delete()
        DecisionFact.objects.filter(case_id=case_id).delete()
        if case is None:
            CaseFact.objects.filter(case_id=case_id).delete()
            return
        row, offences, decisions = case_rows(case, previous)
        row.save()
        OffenceFact.objects.bulk_create(offences)
        DecisionFact.objects.bulk_create(decisions)


def rebuild(
    batch: int = 500,
    progress: Any = None,
    flagged_on: Mapping[int, dt.date] | None = None,
) -> int:
    """Recompute every case's rows from the case tables; returns the number of cases.

    ``flagged_on`` (case id -> day first assessed a potential victim) spares decrypting
    each case's assessments where the writer already knows it."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    hints = flagged_on or {}
    with transaction.atomic():
        previous = {f.case_id: f for f in CaseFact.objects.all()}
        CaseFact.objects.all().delete()
        OffenceFact.objects.all().delete()
        DecisionFact.objects.all().delete()
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            loaded = preload(chunk)
            write_rows(
                (case, previous.get(case.pk), loaded[case.pk], hints.get(case.pk))
                for case in Case.objects.filter(pk__in=chunk)
            )
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
    return len(ids)


def write_rows(
    items: Iterable[tuple[Case, CaseFact | None, Loaded, dt.date | None]],
) -> int:
    """Compute and insert the rows of cases whose rows are not in the read model (the
    arguments of :func:`case_rows`, per case). Bulk writers call it with cases in memory."""
    rows: list[Values] = []
    offs: list[Values] = []
    decs: list[Values] = []
    for case, previous, loaded, flagged in items:
        r, o, d = case_values(case, previous, loaded, flagged)
        rows.append(r)
        offs += o
        decs += d
    for model, values in ((CaseFact, rows), (OffenceFact, offs), (DecisionFact, decs)):
        if values:
            columns = list(values[0])
            insert(model, columns, ([v[c] for c in columns] for v in values))
    return len(rows)


def write_new_cases(cases: list[Case], loaded: list[Loaded]) -> None:
    """Add the read-model rows of cases just written in bulk (an import fires no signal),
    from the rows the writer still holds: nothing is read back. ``loaded[i]`` holds what
    ``cases[i]`` was written with; a case that is a potential victim was first flagged when
    it was opened (its only assessment)."""
    write_rows(
        (c, None, rows, timezone.localdate(c.created_at))
        for c, rows in zip(cases, loaded, strict=True)
    )
