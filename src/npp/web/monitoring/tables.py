"""Protected frames to display tables (HTML, CSV, XLSX), with labels and "suppressed" marks."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from npp.analytics.disclosure import SUPPRESSED_TEXT, Policy, Protected
from npp.web.monitoring.exchange import _safe
from npp.web.monitoring.labels import DIMENSION, MEASURE, TIME_BUCKET, label
from npp.web.monitoring.queries import CASE_MEASURES, OFFENCE_MEASURES


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""
    codes: list[str] = field(default_factory=list)

    def column(self, n: int) -> list[Any]:
        return [r[n] for r in self.rows]


def _cell(v: Any) -> Any:
    if v is None:
        return SUPPRESSED_TEXT
    if isinstance(v, float):
        return f"{v:.0f}%"
    return v


def from_protected(
    key: str, title: str, p: Protected, first: str, first_label: str, columns: list[str]
) -> Table:
    rows = []
    codes = []
    for r in p.frame.iter_rows(named=True):
        codes.append(str(r[first]))
        rows.append([label(first_label, r[first])] + [_cell(r[c]) for c in columns])
    header = [str(DIMENSION.get(first_label, first_label.title()))] + [
        str(MEASURE.get(c, c)) for c in columns
    ]
    return Table(key, title, header, rows, note=p.policy.describe(), codes=codes)


def figures_table(figures: dict[str, Any], policy: Policy) -> Table:
    names = [
        ("persons", "Persons screened"),
        ("potential", "Potential victims"),
        ("identified", "Formally identified victims"),
        ("referred", "Persons referred"),
        ("referral_completed", "Persons with a referral completed"),
        ("referral_open", "Persons with a referral open"),
        ("referral_overdue", "Persons with an overdue referral"),
        ("charged", "Charged"),
        ("protected", "Protections applied (persons)"),
        ("punished", "Victims punished after being flagged (persons)"),
        ("share_protected", "Protected, % of potential victims"),
        ("share_punished", "Punished, % of potential victims"),
        ("identified_after_charge", "Identified only after charge (persons)"),
        ("share_after_charge", "Identified only after charge, % of identified"),
        ("median_days", "Median days from first contact to identification"),
    ]
    rows = [[title, _cell(figures.get(k))] for k, title in names]
    for r, (k, _t) in zip(rows, names, strict=True):
        if k == "median_days" and figures.get(k) is not None:
            r[1] = figures[k]
    return Table("figures", "Headline figures", ["Measure", "Value"], rows, note=policy.describe())


def trend_table(p: Protected, period: str) -> Table:
    cols = [c for c in CASE_MEASURES if c != "identified_after_charge"] + ["punished_pct"]
    t = from_protected("trend", "Trend over time", p, "period", "period", cols)
    t.header[0] = "Month of first contact" if period == "month" else "Year of first contact"
    return t


def breakdown_table(p: Protected, by: str) -> Table:
    cols = [
        *list(OFFENCE_MEASURES if by == "offence" else CASE_MEASURES),
        "protected_pct",
        "punished_pct",
    ]
    return from_protected(
        "breakdown", f"By {str(DIMENSION.get(by, by)).lower()}", p, "group", by, cols
    )


def decisions_table(p: Protected) -> Table:
    rows, codes = [], []
    for r in p.frame.iter_rows(named=True):
        codes.append(r["decision"])
        rows.append(
            [
                label("stage", r["decision_stage"]),
                label("decision", r["decision"]),
                _cell(r["persons"]),
                _cell(r["after_flag"]),
            ]
        )
    return Table(
        "decisions",
        "Decisions taken (persons)",
        ["Stage", "Decision", "Persons", "Of whom after being flagged as potential victims"],
        rows,
        note=p.policy.describe(),
        codes=codes,
    )


def time_table(p: Protected) -> Table:
    rows = [
        [str(TIME_BUCKET.get(r["bucket"], r["bucket"])), _cell(r["persons"])]
        for r in p.frame.iter_rows(named=True)
    ]
    return Table(
        "time",
        "Time from first contact to formal identification",
        ["Time", "Persons"],
        rows,
        note=p.policy.describe(),
    )


def to_csv(t: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(t.header)
    for r in t.rows:
        w.writerow([_safe(str(c)) for c in r])
    return buf.getvalue()


def to_xlsx(t: Table, about: list[str]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet(t.key[:31])
    ws.write_row(0, 0, t.header, bold)
    for i, r in enumerate(t.rows, start=1):
        for j, c in enumerate(r):
            if isinstance(c, int):
                ws.write_number(i, j, c)
            else:
                ws.write_string(i, j, str(c))
    ws.set_column(0, 0, 34)
    ws.set_column(1, len(t.header), 16)
    info = wb.add_worksheet("about")
    for i, line in enumerate([t.title, t.note, *about]):
        info.write_string(i, 0, line)
    wb.close()
    return buf.getvalue()
