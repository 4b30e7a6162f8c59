"""Data exchange: HTCDS export and import, and the de-identified research export.

Used by the web pages and by ``npp export`` / ``npp import``. Every export and import is
written to the audit log (in the same transaction as an import's writes). Imports are
all-or-nothing: every row is validated first; if any row is rejected nothing is written, and
if a write fails the whole import is rolled back. Writes go through the case app's actions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from npp.analytics import htcds
from npp.analytics.deidentify import DEFAULT_QUASI, Report, deidentify
from npp.analytics.htcds import CaseRecord, RowProblem
from npp.web.audit.log import record
from npp.web.cases.models import Case, CaseEvent, Person, Referral
from npp.web.cases.vocab import DECISIONS, STAGE_CODES, EventKind, ReferralPurpose
from npp.web.monitoring.models import CaseFact, ImportedCase, OffenceFact
from npp.web.roles import Role, sees_statistics, works_on_cases


class ExchangeEvent(StrEnum):
    """Audit event codes of this app (the audit log stores them as text)."""

    EXPORT_HTCDS = "data.exported_htcds"
    EXPORT_DEIDENTIFIED = "data.exported_deidentified"
    EXPORT_STATISTICS = "data.exported_statistics"
    IMPORT = "data.imported"
    IMPORT_REJECTED = "data.import_rejected"


DECISION_STAGE = {code: stage for stage, options in DECISIONS.items() for code, _l in options}

# --------------------------------------------------------------------------- who may


def may_exchange_cases(user: Any) -> bool:
    """HTCDS export and import (case-level data): supervisors, for their organisation's cases."""
    return works_on_cases(user) and str(user.role) == str(Role.SUPERVISOR)


def may_export_deidentified(user: Any) -> bool:
    return sees_statistics(user)


def statistics_scope(user: Any) -> tuple[str, ...] | None:
    """Jurisdictions whose statistics ``user`` sees: a regional body (or no organisation) sees
    all ten; anyone else their organisation's state."""
    org = getattr(user, "organisation", None)
    if org is None or org.kind == "regional_body":
        return None
    return (org.jurisdiction,)


# --------------------------------------------------------------------------- export


def case_record(case: Case, *, with_identity: bool) -> CaseRecord:
    events = CaseEvent.objects.filter(case_id=case.pk, kind=EventKind.DECISION).order_by(
        "occurred_on", "pk"
    )
    identity: dict[str, str] = {}
    if with_identity:
        p = Person.objects.filter(case_id=case.pk).first()
        if p is not None:
            identity = {k: getattr(p, k) for k in Person.FIELDS if getattr(p, k)}
    org = case.organisation
    return CaseRecord(
        facts=dict(case.facts or {}),
        reference=case.reference,
        organisation=org.code,
        organisation_name=org.name,
        organisation_kind=org.kind,
        province=case.province,
        first_contact=timezone.localdate(case.created_at),
        closed=case.closed,
        identity=identity,
        potential_victim=case.potential_victim,
        outcomes=list(case.offences.values_list("outcome", flat=True)),
        risk_flags=list(case.risk_flags or []),
        decisions=[
            {
                "on": e.occurred_on.isoformat(),
                "stage": e.stage,
                "decision": e.decision,
                "offence": e.offence,
                "decided_by": e.decided_by,
            }
            for e in events
        ],
        referrals=[
            {
                "to": r.to_org.code,
                "purpose": r.purpose,
                "due": r.due_date.isoformat(),
                "status": r.status,
                "created": timezone.localdate(r.created_at).isoformat(),
            }
            for r in Referral.objects.filter(case_id=case.pk).select_related("to_org")
        ],
    )


def htcds_rows(cases: Iterable[Case], *, with_identity: bool) -> Iterator[dict[str, str]]:
    for case in cases:
        yield htcds.to_row(
            case_record(case, with_identity=with_identity), with_identity=with_identity
        )


def _safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    if value and value[0] in "=+-@\t\r" and not _number(value):
        return "'" + value
    return value


def _number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def write_rows(
    rows: Iterable[dict[str, Any]], columns: Iterable[str], fmt: str, out: io.TextIOBase | Any
) -> int:
    cols = list(columns)
    n = 0
    if fmt == "json":
        data = [{c: r.get(c, "") for c in cols} for r in rows]
        json.dump(data, out, ensure_ascii=False, indent=1)
        return len(data)
    w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: _safe(str(r.get(c, "") if r.get(c) is not None else "")) for c in cols})
        n += 1
    return n


def export_htcds(
    cases: Any,
    out: Any,
    *,
    fmt: str = "csv",
    with_identity: bool = False,
    user: Any = None,
    actor: str | None = None,
) -> int:
    """Write the cases as HTCDS rows; audited. ``cases`` is a queryset already scoped."""
    qs = cases.select_related("organisation").order_by("pk")
    n = write_rows(
        htcds_rows(qs.iterator(chunk_size=500), with_identity=with_identity),
        htcds.COLUMNS,
        fmt,
        out,
    )
    with transaction.atomic():
        record(
            ExchangeEvent.EXPORT_HTCDS,
            user=user,
            actor=actor,
            details={"format": fmt, "rows": n, "identity": with_identity},
        )
    return n


# --------------------------------------------------------------------------- de-identified

RESEARCH_ATTRIBUTES = (
    "stage",
    "typology",
    "potential_victim",
    "identified",
    "charged",
    "prosecuted",
    "convicted",
    "protected",
    "punished",
    "identified_after_charge",
    "time_to_identification",
    "referred",
    "outcomes",
)


#: What the export must not disclose about a person through their k-group (l-diversity, l=2):
#: whether they were flagged, identified, charged, prosecuted, convicted, protected, punished,
#: and the assessment's outcomes. Stage, typology, time to identification and referral are
#: released as they are (descriptive of the process, not of a decision about the person).
SENSITIVE_ATTRIBUTES = (
    "potential_victim",
    "identified",
    "charged",
    "prosecuted",
    "convicted",
    "protected",
    "punished",
    "identified_after_charge",
    "outcomes",
)


def _days_bucket(d: int | None) -> str:
    if d is None:
        return "not identified"
    for label, lo, hi in (
        ("same day", 0, 0),
        ("1-7 days", 1, 7),
        ("8-30 days", 8, 30),
        ("31-90 days", 31, 90),
        ("91-365 days", 91, 365),
    ):
        if lo <= d <= hi:
            return label
    return "over a year"


def research_frame(scope: tuple[str, ...] | None) -> pl.DataFrame:
    """One row per case from the read model (already generalised; no identifiers)."""
    qs = CaseFact.objects.all()
    off = OffenceFact.objects.all()
    if scope is not None:
        qs = qs.filter(jurisdiction__in=scope)
        off = off.filter(jurisdiction__in=scope)
    outcomes: dict[int, set[str]] = {}
    for cid, outcome in off.values_list("case_id", "outcome").iterator(chunk_size=5000):
        if outcome:
            outcomes.setdefault(cid, set()).add(outcome)
    cols = [
        "case_id",
        "jurisdiction",
        "province",
        "year",
        "sex",
        "age_band",
        "nationality",
        "sector",
        "offences",
        "stage",
        "typology",
        "potential_victim",
        "identified",
        "charged",
        "prosecuted",
        "convicted",
        "protected",
        "punished",
        "identified_after_charge",
        "days_to_identification",
        "referrals",
    ]
    rows = list(qs.values_list(*cols).iterator(chunk_size=5000))
    frame = pl.DataFrame(rows, schema=cols, orient="row", infer_schema_length=None)
    if frame.height == 0:
        return frame
    return frame.with_columns(
        pl.col("year").cast(pl.Utf8),
        pl.col("days_to_identification")
        .map_elements(_days_bucket, return_dtype=pl.Utf8, skip_nulls=False)
        .alias("time_to_identification"),
        (pl.col("referrals") > 0).alias("referred"),
        pl.col("case_id")
        .map_elements(lambda c: ";".join(sorted(outcomes.get(c, set()))), return_dtype=pl.Utf8)
        .alias("outcomes"),
    )


def export_deidentified(
    scope: tuple[str, ...] | None, *, k: int, user: Any = None, actor: str | None = None
) -> tuple[pl.DataFrame, Report]:
    from npp.web.monitoring.facts import typology_of

    frame = research_frame(scope)
    released, report = deidentify(
        frame,
        quasi=DEFAULT_QUASI,
        keep=RESEARCH_ATTRIBUTES,
        k=k,
        typology_of=typology_of(),
        sensitive=SENSITIVE_ATTRIBUTES,
    )
    with transaction.atomic():
        record(
            ExchangeEvent.EXPORT_DEIDENTIFIED,
            user=user,
            actor=actor,
            details={
                "k": k,
                "rows_in": report.rows_in,
                "rows_out": report.rows_out,
                "rows_suppressed": report.rows_suppressed,
                "scope": list(scope) if scope else "all",
            },
        )
    return released, report


def frame_to_csv(frame: pl.DataFrame) -> str:
    buf = io.StringIO()
    rows = frame.to_dicts()
    write_rows(({k: _cell(v) for k, v in r.items()} for r in rows), frame.columns, "csv", buf)
    return buf.getvalue()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
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
            "dry_run": self.dry_run,
        }


class ImportFormatError(ValueError):
    """The file itself cannot be read (not CSV/JSON, no header, ...)."""


def read_rows(data: bytes, name: str = "") -> list[dict[str, str]]:
    text = data.decode("utf-8-sig", errors="strict") if isinstance(data, bytes) else data
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
            raise ImportFormatError("JSON must be an array of objects, one per case")
        return [{str(k): "" if v is None else str(v) for k, v in r.items()} for r in parsed]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportFormatError("the file has no header row")
    rows = []
    for r in reader:
        if None in r:
            raise ImportFormatError(f"line {reader.line_num}: more values than columns")
        rows.append(
            {
                k: (v or "").removeprefix("'") if (v or "").startswith("'=") else (v or "")
                for k, v in r.items()
            }
        )
    return rows


FACT_COLUMNS = {
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
}


def _column_for(path: str) -> str:
    if path.startswith("offences"):
        return f"npp_OffencesCharged ({path})"
    for prefix, col in FACT_COLUMNS.items():
        if path == prefix or path.startswith(prefix + "[") or path.startswith(prefix + "."):
            return f"{col} ({path})"
    return path


class _Rollback(Exception):
    pass


def import_htcds(
    rows: list[dict[str, str]], user: Any, *, dry_run: bool = False, first_row: int = 2
) -> ImportResult:
    """Validate every row, then (if all are valid and not ``dry_run``) create the cases."""
    import npp
    from npp.web.accounts.models import Organisation
    from npp.web.cases import actions

    if not may_exchange_cases(user):
        raise PermissionDenied("only a supervisor may import cases")
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    org = user.organisation
    records: list[tuple[int, CaseRecord, dict[str, Organisation]]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        n = first_row + i
        rec, problems = htcds.from_row(row, n, decisions=DECISION_STAGE, stages=STAGE_CODES)
        if rec is None:
            result.problems += problems
            continue
        try:
            npp.engine().assess_data(rec.facts)
        except npp.InvalidFacts as exc:
            result.problems += [
                RowProblem(n, _column_for(p.where), p.problem) for p in exc.problems
            ]
            continue
        if rec.reference:
            if rec.reference in seen:
                result.problems.append(
                    RowProblem(
                        n, "npp_CaseReference", f"{rec.reference!r} appears twice in the file"
                    )
                )
                continue
            seen.add(rec.reference)
            if ImportedCase.objects.filter(
                organisation=org.code, source_reference=rec.reference
            ).exists():
                result.problems.append(
                    RowProblem(n, "npp_CaseReference", f"{rec.reference!r} was already imported")
                )
                continue
        orgs: dict[str, Organisation] = {}
        bad = False
        for j, ref in enumerate(rec.referrals):
            code = str(ref.get("to") or "")
            target = Organisation.objects.filter(code=code).first()
            where = f"npp_Referrals[{j}]"
            if target is None:
                result.problems.append(
                    RowProblem(n, where, f"no organisation with code {code!r} here")
                )
                bad = True
            elif target.pk == org.pk:
                result.problems.append(
                    RowProblem(n, where, "a referral to the importing organisation itself")
                )
                bad = True
            elif ref.get("purpose") not in ReferralPurpose.values:
                result.problems.append(
                    RowProblem(n, where, f"unknown purpose {ref.get('purpose')!r}")
                )
                bad = True
            else:
                try:
                    dt.date.fromisoformat(str(ref.get("due")))
                except ValueError:
                    result.problems.append(RowProblem(n, where, "due must be a date YYYY-MM-DD"))
                    bad = True
                orgs[code] = target
        if bad:
            continue
        if rec.closed:
            result.warnings.append(
                f"row {n}: cas_Status Closed is not applied (cases are imported open)"
            )
        records.append((n, rec, orgs))
    if result.problems or dry_run:
        if result.problems:
            with transaction.atomic():
                record(
                    ExchangeEvent.IMPORT_REJECTED,
                    user=user,
                    details={
                        "rows": len(rows),
                        "rejected_rows": len({p.row for p in result.problems}),
                    },
                )
        return result
    try:
        with transaction.atomic():
            for n, rec, orgs in records:
                try:
                    created = _create(user, rec, orgs, actions)
                except (
                    ValidationError,
                    PermissionDenied,
                    npp.InvalidFacts,
                    actions.Conflict,
                ) as exc:
                    result.problems.append(
                        RowProblem(n, "(row)", f"could not be written: {_message(exc)}")
                    )
                    raise _Rollback from None
                result.created.append(created.reference)
                if rec.reference:
                    ImportedCase.objects.create(
                        source_reference=rec.reference,
                        organisation=org.code,
                        case_reference=created.reference,
                    )
            record(
                ExchangeEvent.IMPORT,
                user=user,
                details={"rows": len(rows), "created": len(result.created)},
            )
    except _Rollback:
        result.created = []
    return result


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
    return str(exc)


def _create(user: Any, rec: CaseRecord, orgs: dict[str, Any], actions: Any) -> Case:
    created_at = None
    if rec.first_contact:
        created_at = dt.datetime.combine(rec.first_contact, dt.time(12, 0), tzinfo=dt.UTC)
    case = actions.do_create_case(
        user, rec.facts, person=rec.identity or None, province=rec.province, created_at=created_at
    )
    for d in rec.decisions:
        actions.do_record_decision(
            user,
            case,
            d["decision"],
            case.version,
            decided_by=d["decided_by"],
            offence=d["offence"],
            occurred_on=d["on"],
            stage=d["stage"],
        )
    for ref in rec.referrals:
        actions.do_refer(
            user,
            case,
            orgs[str(ref["to"])],
            str(ref["purpose"]),
            dt.date.fromisoformat(str(ref["due"])),
            case.version,
        )
    return case
