"""HTCDS export and import against the database: the thin adapter around :mod:`npp.exchange`.

Export: each case -> the project's record (:func:`project_record`) -> an HTCDS record
(``npp.exchange.from_project``) -> a file. Import: a file -> checked records -> the project's
records -> one bulk write (``cases.importing.do_import_cases``), all or nothing: every row is
checked first; if any row has a problem, nothing is written and every problem is reported.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

import npp
from npp.exchange import FileError, Table, from_project, mapping, parse_row, to_project
from npp.exchange.formats import write_records
from npp.exchange.records import RowProblem
from npp.web.audit.log import record
from npp.web.cases.importing import Assessed
from npp.web.cases.models import Case
from npp.web.cases.vocab import STAGE_CODES, EventKind, ReferralPurpose, ReferralStatus
from npp.web.crypto import exact
from npp.web.monitoring.exchange import DECISION_STAGE, ExchangeEvent, may_exchange_cases
from npp.web.monitoring.models import ImportedCase

__all__ = ["FileError", "ImportResult", "export_htcds", "import_htcds", "project_record"]

Progress = Callable[[str, int, int], None]


def vocabulary() -> dict[str, Collection[str]]:
    """The knowledge base's code lists, read each time (a code added there just works)."""
    v = npp.engine().kb.vocabulary
    return {
        "jurisdictions": tuple(v.jurisdictions),
        "stages": tuple(v.stages),
        "offence_categories": tuple(v.offence_categories),
        "trafficking_acts": v.trafficking_acts,
        "trafficking_means": v.trafficking_means,
        "exploitation_purposes": v.exploitation_purposes,
        "victim_status": tuple(v.victim_status),
    }


# --------------------------------------------------------------------------- export


def project_record(case: Case) -> dict[str, Any]:
    """The project's record of a case (see :mod:`npp.exchange.project`)."""
    org = case.organisation
    person = getattr(case, "person", None)
    extra = getattr(case, "exchange", None)
    events = sorted(
        (e for e in case.events.all() if e.kind == EventKind.DECISION),
        key=lambda e: (e.occurred_on, e.pk),
    )
    referrals = sorted(case.referrals.all(), key=lambda r: (r.created_at, r.pk))
    latest = referrals[-1] if referrals else None
    facts = dict(case.facts or {})
    return {
        "facts": facts,
        "identity": {k: getattr(person, k) for k in person.FIELDS} if person else {},
        "case": {
            "reference": case.reference,
            "source_reference": extra.source_reference if extra else "",
            "province": case.province,
            "first_contact": timezone.localdate(case.created_at).isoformat(),
            "closed": case.closed,
            "owner": case.created_by.get_username() if case.created_by else "",
            "potential_victim": case.potential_victim,
            "outcomes": [o.outcome for o in case.offences.all()],
            "risk_flags": list(case.risk_flags or []),
        },
        "organisation": {
            "code": org.code,
            "name": org.name,
            "kind": org.kind,
            "country": org.jurisdiction,
            "state": org.province,
        },
        "referral": {
            "to_name": latest.to_org.name,
            "purpose": latest.purpose,
            "created": timezone.localdate(latest.created_at).isoformat(),
            "note": latest.note,
        }
        if latest
        else {},
        "decisions": [
            {
                "on": e.occurred_on.isoformat(),
                "stage": e.stage,
                "decision": e.decision,
                "offence": e.offence,
                "decided_by": e.decided_by,
            }
            for e in events
        ],
        "referrals": [
            {
                "to": r.to_org.code,
                "to_name": r.to_org.name,
                "purpose": r.purpose,
                "due": r.due_date.isoformat(),
                "status": r.status,
                "created": timezone.localdate(r.created_at).isoformat(),
            }
            for r in referrals
        ],
        "stored": dict(extra.fields or {}) if extra else {},
    }


def export_htcds(
    cases: Any,
    out: Any,
    *,
    fmt: str = "csv",
    with_identity: bool = False,
    user: Any = None,
    actor: str | None = None,
) -> int:
    """Write the cases (a queryset already scoped) as HTCDS records to the binary ``out``."""
    qs = (
        cases.select_related("organisation", "created_by", "person", "exchange")
        .prefetch_related("events", "offences", "referrals__to_org")
        .order_by("pk")
    )
    columns = [c for c in mapping().columns if with_identity or c not in mapping().personal]
    records = (from_project(project_record(c), identity=with_identity) for c in qs.iterator(500))
    n = write_records(records, columns, fmt, out)
    with transaction.atomic():
        record(
            ExchangeEvent.EXPORT_HTCDS,
            user=user,
            actor=actor,
            details={"format": fmt, "rows": n, "identity": with_identity},
        )
    return n


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)  # external ones created
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": 0 if self.problems or self.dry_run else len(self.created),
            "created": [] if self.problems else self.created,
            "rejected": [p.as_dict() for p in self.problems],
            "warnings": self.warnings,
            "external_organisations": self.organisations,
            "dry_run": self.dry_run,
        }


_FACT_FIELDS = {
    "jurisdiction": "npp_Jurisdiction",
    "offence_date": "npp_OffenceDate",
    "stage": "npp_Stage",
    "person.age": "npp_AgeAtOffence",
    "person.sex": "prs_Gender",
    "person.nationality": "prs_Citizenship",
    "person.victim_status": "vic_TraffickingStatus",
    "person.identified_by": "npp_IdentifiedBy",
    "trafficking.acts": "npp_Acts",
    "trafficking.means": "npp_Means",
    "trafficking.purposes": "npp_Purposes",
    "indicators": "npp_Indicators",
    "offences": "npp_OffencesCharged",
}


def _field_for(path: str) -> str:
    for prefix, col in _FACT_FIELDS.items():
        if path == prefix or path.startswith((prefix + "[", prefix + ".")):
            return f"{col} ({path})"
    return path


class _Facts:
    """Checks facts as the engine reads them; identical facts are checked once. Facts with
    offences are assessed here (the check is the engine's own), so that the import does not
    parse them a second time: :meth:`check` gives the result with the problems."""

    def __init__(self) -> None:
        self.engine = npp.engine()
        self.seen: dict[bytes, list[tuple[str, str]]] = {}
        self.documents: dict[bytes, Assessed] = {}

    def check(self, facts: dict[str, Any]) -> tuple[list[tuple[str, str]], Assessed | None]:
        """The problems of ``facts`` (field, problem), and their assessment if they have
        offences and no problem."""
        from npp.screening.facts import parse_facts

        key = exact(orjson.dumps(facts, default=str, option=orjson.OPT_SORT_KEYS))
        if key not in self.seen:
            try:
                if facts.get("offences"):
                    doc = self.engine.assess_data(facts).document
                    self.documents[key] = Assessed.of(facts, doc)
                else:  # nothing charged yet: the rest of the facts must still be valid
                    parse_facts({**facts, "offences": [{"category": "other"}]}, self.engine.kb)
                self.seen[key] = []
            except npp.InvalidFacts as exc:
                self.seen[key] = [(_field_for(p.where), p.problem) for p in exc.problems]
        return self.seen[key], self.documents.get(key)


def _decisions(p: dict[str, Any], n: int, out: list[RowProblem]) -> list[dict[str, Any]]:
    categories = [o["category"] for o in p["facts"]["offences"]]
    clean = []
    for i, d in enumerate(p["decisions"]):
        where = f"npp_Decisions[{i}]"
        if not isinstance(d, dict):
            out.append(RowProblem(n, where, "must be an object"))
            continue
        code = str(d.get("decision") or "")
        stage = str(d.get("stage") or DECISION_STAGE.get(code, ""))
        try:
            on = dt.date.fromisoformat(str(d.get("on") or ""))
        except ValueError:
            on = None
        problem = (
            f"unknown decision {code!r}"
            if code not in DECISION_STAGE
            else f"unknown stage {stage!r}"
            if stage not in STAGE_CODES
            else "decided_by is required: who decided, role and office"
            if not str(d.get("decided_by") or "").strip()
            else f"on: {d.get('on')!r} is not a date (YYYY-MM-DD)"
            if on is None
            else f"offence {d.get('offence')!r} is not in npp_OffencesCharged"
            if d.get("offence") and d.get("offence") not in categories
            else ""
        )
        if problem:
            out.append(RowProblem(n, where, problem))
            continue
        clean.append(
            {
                "decision": code,
                "stage": stage,
                "decided_by": str(d["decided_by"]).strip(),
                "on": on,
                "offence": str(d.get("offence") or ""),
            }
        )
    return clean


class _Organisations:
    """Finds organisations by code or name; one this instance does not know is recorded as
    an external organisation (name, HTCDS type, country) instead of refusing the record."""

    def __init__(self) -> None:
        from npp.web.accounts.models import Organisation

        self.model = Organisation
        self.by_code = {o.code: o for o in Organisation.objects.all()}
        self.by_name = {o.name.strip().lower(): o for o in self.by_code.values()}
        self.new: dict[str, Any] = {}

    def find(self, code: str = "", name: str = "", kind: str = "", country: str = "") -> Any:
        if code and code in self.by_code:
            return self.by_code[code]
        key = (name or code).strip().lower()
        if not key:
            return None
        if key in self.by_name:
            return self.by_name[key]
        # The file's own code where it is free here (the project's export names both).
        base = code if code and slugify(code) == code else ""
        base = base or "ext-" + (slugify(name or code)[:50] or "organisation")
        slug, i = base, 1
        while slug in self.by_code:
            i += 1
            slug = f"{base}-{i}"
        org = self.model(
            code=slug,
            name=(name or code)[:200],
            kind="external",
            htcds_type=kind[:40],
            jurisdiction=country if re.fullmatch(r"[A-Z]{2}", country or "") else "",
        )
        self.by_code[slug] = self.by_name[key] = self.new[slug] = org
        return org


def _referrals(
    p: dict[str, Any], n: int, orgs: _Organisations, own: Any, out: list[RowProblem]
) -> list[dict[str, Any]]:
    clean = []
    for i, r in enumerate(p["referrals"]):
        where = f"npp_Referrals[{i}]"
        if not isinstance(r, dict):
            out.append(RowProblem(n, where, "must be an object"))
            continue
        try:
            due = dt.date.fromisoformat(str(r.get("due") or ""))
        except ValueError:
            out.append(RowProblem(n, where, f"due: {r.get('due')!r} is not a date (YYYY-MM-DD)"))
            continue
        status = str(r.get("status") or ReferralStatus.PENDING)
        if r.get("purpose") not in ReferralPurpose.values:
            out.append(RowProblem(n, where, f"unknown purpose {r.get('purpose')!r}"))
            continue
        if status not in ReferralStatus.values:
            out.append(RowProblem(n, where, f"unknown status {status!r}"))
            continue
        target = orgs.find(code=str(r.get("to") or ""), name=str(r.get("to_name") or ""))
        if target is None:
            out.append(RowProblem(n, where, "to: the organisation is missing"))
            continue
        source = own
        if target.pk is not None and target.pk == own.pk:
            # A referral this organisation received from the file's organisation: kept as
            # such (from that organisation to this one), so the case's history stays true.
            named = str(p["stored"].get("org_Name") or "")
            source = orgs.find(name=named) if named else None
            if source is None or source.pk == own.pk:
                out.append(RowProblem(n, where, "a referral to the importing organisation itself"))
                continue
        created = None
        if r.get("created"):
            try:
                day = dt.date.fromisoformat(str(r["created"]))
                created = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
            except ValueError:
                out.append(RowProblem(n, where, f"created: {r['created']!r} is not a date"))
                continue
        clean.append(
            {"to_org": target, "from_org": source, "purpose": r["purpose"], "due": due,
             "status": status, "created_at": created}
        )  # fmt: skip
    return clean


def import_htcds(
    table: Table, user: Any, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Check every row, then (if every row is good and not ``dry_run``) create the cases."""
    # A large file makes hundreds of thousands of long-lived objects, none of them cyclic
    # garbage: the cyclic collector would scan them again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(table, user, dry_run=dry_run, progress=progress)
    finally:
        if enabled:
            gc.enable()


def _import(table: Table, user: Any, *, dry_run: bool, progress: Progress | None) -> ImportResult:
    from npp.web.cases import actions, importing

    if not may_exchange_cases(user):
        raise PermissionDenied("only a supervisor may import cases")
    result = ImportResult(rows=len(table.rows), dry_run=dry_run, warnings=list(table.warnings))
    result.problems += table.problems
    own = user.organisation
    vocab = vocabulary()
    facts = _Facts()
    orgs = _Organisations()
    items: list[importing.Imported] = []
    seen: dict[str, int] = {}
    total = len(table.rows)
    for i, (raw, n) in enumerate(zip(table.rows, table.numbers, strict=True)):
        rec, problems = parse_row(raw, n, vocab)
        if problems:
            result.problems += problems
            continue
        p = to_project(rec, jurisdiction=own.jurisdiction)
        assessed = None
        if any(k.startswith("npp_") for k in rec):
            # Facts from the standard's fields alone are valid by construction (checked
            # codes, an age from two checked dates); npp_ fields are checked by the engine.
            found, assessed = facts.check(p["facts"])
            result.problems += [RowProblem(n, f, m) for f, m in found]
        decisions = _decisions(p, n, result.problems)
        referrals = _referrals(p, n, orgs, own, result.problems)
        source = str(p["case"].get("source_reference") or "")
        if source:
            if source in seen:
                result.problems.append(
                    RowProblem(n, "npp_CaseReference", f"{source!r} is also row {seen[source]}")
                )
            seen[source] = n
        stored = p["stored"]
        orgs.find(
            name=str(stored.get("org_Name") or ""),
            kind=str(stored.get("org_Type") or ""),
            country=str(stored.get("org_ShippingCountry") or ""),
        )
        for f in ("cas_ReferringOrganisation", "cas_ReferredOrganisation"):
            orgs.find(name=str(stored.get(f) or ""))
        first = p["case"].get("first_contact")
        items.append(
            importing.Imported(
                facts=p["facts"],
                person={k: str(v) for k, v in p["identity"].items() if v},
                province=str(p["case"].get("province") or ""),
                created_at=dt.datetime.combine(
                    dt.date.fromisoformat(first), dt.time(12, 0), tzinfo=dt.UTC
                )
                if first
                else None,
                closed=bool(p["case"].get("closed")),
                decisions=decisions,
                referrals=referrals,
                exchange_fields=stored,
                source_reference=source,
                assessed=assessed,
            )
        )
        if progress and ((i + 1) % 1000 == 0 or i + 1 == total):
            progress("checked", i + 1, total)
    if seen:
        taken = set(
            ImportedCase.objects.filter(
                organisation=own.code, source_reference__in=list(seen)
            ).values_list("source_reference", flat=True)
        )
        for ref in sorted(taken):
            result.problems.append(
                RowProblem(seen[ref], "npp_CaseReference", f"{ref!r} was already imported")
            )
    result.organisations = sorted(o.name for o in orgs.new.values())
    if result.problems or dry_run:
        if result.problems:
            with transaction.atomic():
                record(
                    ExchangeEvent.IMPORT_REJECTED,
                    user=user,
                    details={
                        "rows": total,
                        "rejected_rows": len({p.row for p in result.problems}),
                    },
                )
        return result
    try:
        with transaction.atomic():
            _write(user, items, orgs, result, progress)
    except (ValidationError, PermissionDenied, npp.InvalidFacts, actions.Conflict) as exc:
        result.created = []
        result.problems.append(RowProblem(0, "(file)", f"could not be written: {exc}"))
    return result


def _write(
    user: Any, items: list[Any], orgs: _Organisations, result: ImportResult, progress: Any
) -> None:
    from npp.web.accounts.actions import do_create_organisation
    from npp.web.cases import importing
    from npp.web.monitoring.facts import Loaded, write_new_cases

    made = {}
    for slug, org in orgs.new.items():
        made[slug] = do_create_organisation(
            user, code=slug, name=org.name, kind="external", jurisdiction=org.jurisdiction
        )
        made[slug].htcds_type = org.htcds_type
        made[slug].save(update_fields=["htcds_type"])
    for it in items:
        for r in it.referrals:
            for end in ("to_org", "from_org"):
                if r[end].pk is None:
                    r[end] = made[r[end].code]

    def read_model(
        cases: list[Any], written: list[Any], offences: list[list[tuple[str, str]]]
    ) -> None:
        write_new_cases(
            cases,
            [
                Loaded(
                    offences=offs,
                    events=[
                        (d["on"], d["stage"], d["decision"], d["offence"]) for d in it.decisions
                    ],
                    referrals=sorted(
                        ((r["status"], r["due"]) for r in it.referrals), key=lambda sd: sd[1]
                    ),
                )
                for it, offs in zip(written, offences, strict=True)
            ],
        )

    cases = importing.do_import_cases(
        user,
        items,
        progress=(lambda d, t: progress("written", d, t)) if progress else None,
        on_batch=read_model,
    )
    ImportedCase.objects.bulk_create(
        [
            ImportedCase(
                source_reference=it.source_reference,
                organisation=user.organisation.code,
                case_reference=c.reference,
            )
            for c, it in zip(cases, items, strict=True)
            if it.source_reference
        ],
        batch_size=2000,
    )
    result.created = [c.reference for c in cases]
    record(
        ExchangeEvent.IMPORT,
        user=user,
        details={
            "rows": len(items),
            "created": len(cases),
            "external_organisations": len(orgs.new),
        },
    )
