"""Data exchange: HTCDS export and import, and the de-identified research export.

Used by the web pages and by ``npp export`` / ``npp import``. Every export and import is
written to the audit log (in the same transaction as an import's writes). Imports are
all-or-nothing: every row is validated first; if any row is rejected nothing is written, and
if a write fails the whole import is rolled back. Writes go through the case app's actions.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import polars as pl
from django.db import transaction

from npp.analytics.deidentify import DEFAULT_QUASI, Report, deidentify
from npp.exchange.formats import guard
from npp.web.audit.log import record
from npp.web.cases.vocab import DECISIONS
from npp.web.monitoring.models import CaseFact, OffenceFact
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


# --------------------------------------------------------------------------- CSV


def _safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (reversibly)."""
    return guard(value)


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


# --------------------------------------------------------------------------- HTCDS

from npp.web.monitoring.htcds_io import (  # noqa: E402  (it uses the names above)
    ImportResult,
    export_htcds,
    import_htcds,
    project_record,
    vocabulary,
)

__all__ = [
    "DECISION_STAGE",
    "ExchangeEvent",
    "ImportResult",
    "export_deidentified",
    "export_htcds",
    "frame_to_csv",
    "import_htcds",
    "may_exchange_cases",
    "may_export_deidentified",
    "project_record",
    "statistics_scope",
    "vocabulary",
    "write_rows",
]
