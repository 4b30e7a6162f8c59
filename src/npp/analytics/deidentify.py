"""De-identified microdata for research: generalisation and k-anonymity, with a report.

Steps (:func:`deidentify`):

1. **Direct identifiers go**: only the columns named as quasi-identifiers or as research
   attributes are kept (an allow-list, so a new identifying column can never leak by
   default); every other column is reported as dropped.
2. **Quasi-identifiers are generalised**: exact ages become age bands, dates become years
   (:func:`age_band`, :func:`year_of`; callers building frames use them).
3. **k-anonymity is enforced** by local recoding: rows whose combination of
   quasi-identifiers is shared by fewer than ``k`` rows are generalised one step at a time
   along :data:`LADDER` (offences to typologies, age band to child/adult, nationality to
   national/ASEAN/other, year to period, then each attribute to ``*``); rows still in a
   class smaller than ``k`` after the last step are suppressed (removed).

The :class:`Report` says how many rows each step generalised, how many were suppressed, and
the smallest class left (always ``>= k`` unless nothing is left). Every released row then
shares its quasi-identifiers with at least ``k - 1`` others, so an attacker who knows a
person's attributes finds at least ``k`` candidate rows. k-anonymity does not protect
against homogeneity (all ``k`` rows sharing one outcome); see docs/monitoring.md ("Known limits").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from npp.analytics.disclosure import DEFAULT_K

ANY = "*"
UNKNOWN = "unknown"
ASEAN = frozenset({"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"})

#: Age bands (inclusive bounds). Under-18 bands follow the study's concern with children.
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 11, "0-11"),
    (12, 15, "12-15"),
    (16, 17, "16-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 200, "50+"),
)
CHILD_BANDS = frozenset({"0-11", "12-15", "16-17"})
AGE_BAND_CODES = (*tuple(b for _lo, _hi, b in AGE_BANDS), UNKNOWN)
PERIODS: tuple[tuple[int, int, str], ...] = (
    (1900, 2009, "before 2010"),
    (2010, 2014, "2010-2014"),
    (2015, 2019, "2015-2019"),
    (2020, 2024, "2020-2024"),
    (2025, 2029, "2025-2029"),
    (2030, 2100, "2030 or later"),
)

#: Quasi-identifiers used by default: what an outsider may know of a person.
DEFAULT_QUASI: tuple[str, ...] = (
    "jurisdiction",
    "year",
    "sex",
    "age_band",
    "nationality",
    "sector",
    "offences",
)


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for lo, hi, band in AGE_BANDS:
        if lo <= age <= hi:
            return band
    return UNKNOWN


def year_of(day: dt.date | None) -> str:
    return str(day.year) if day else UNKNOWN


def _coarse_age(v: str) -> str:
    if v in CHILD_BANDS or v == "child":
        return "child"
    if v in {UNKNOWN, ANY}:
        return v
    return "adult"


def _period(v: str) -> str:
    if not v.isdigit():
        return v
    y = int(v)
    for lo, hi, label in PERIODS:
        if lo <= y <= hi:
            return label
    return UNKNOWN


@dataclass(frozen=True)
class Step:
    """One generalisation step: ``column`` is recoded by ``recode`` for rows in small classes."""

    column: str
    label: str
    recode: Callable[[str, Mapping[str, Any]], str]


def _typologies(typology_of: Mapping[str, str]) -> Callable[[str, Mapping[str, Any]], str]:
    def recode(v: str, row: Mapping[str, Any]) -> str:
        if v in {ANY, UNKNOWN, ""}:
            return v
        parts = v.split(";")
        if all(p in set(typology_of.values()) or p.startswith("typology:") for p in parts):
            return v
        typ = sorted({typology_of.get(p, "other") for p in parts})
        return ";".join(f"typology:{t}" for t in typ)

    return recode


def _nationality(v: str, row: Mapping[str, Any]) -> str:
    if v in {ANY, UNKNOWN, "", "national", "other ASEAN", "non-ASEAN"}:
        return v or UNKNOWN
    if v == row.get("jurisdiction"):
        return "national"
    return "other ASEAN" if v in ASEAN else "non-ASEAN"


def _to_any(v: str, row: Mapping[str, Any]) -> str:
    return ANY


def ladder(typology_of: Mapping[str, str]) -> list[Step]:
    """The generalisation steps, least information lost first."""
    return [
        Step(
            "offences",
            "offence categories generalised to their typologies",
            _typologies(typology_of),
        ),
        Step("age_band", "age band generalised to child/adult", lambda v, r: _coarse_age(v)),
        Step(
            "nationality", "nationality generalised to national/other ASEAN/non-ASEAN", _nationality
        ),
        Step("year", "year generalised to a five-year period", lambda v, r: _period(v)),
        Step("sector", "sector suppressed", _to_any),
        Step("offences", "offences suppressed", _to_any),
        Step("sex", "sex suppressed", _to_any),
        Step("nationality", "nationality suppressed", _to_any),
        Step("age_band", "age band suppressed", _to_any),
        Step("year", "year suppressed", _to_any),
    ]


@dataclass
class Report:
    """What de-identification did; safe to publish beside the data."""

    k: int
    quasi_identifiers: list[str]
    rows_in: int
    rows_out: int = 0
    rows_suppressed: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    equivalence_classes: int = 0
    smallest_class: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "quasi_identifiers": self.quasi_identifiers,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_suppressed": self.rows_suppressed,
            "dropped_columns": self.dropped_columns,
            "generalisation_steps": self.steps,
            "equivalence_classes": self.equivalence_classes,
            "smallest_class": self.smallest_class,
        }

    def lines(self) -> list[str]:
        out = [
            f"k-anonymity with k = {self.k} over: {', '.join(self.quasi_identifiers)}",
            f"rows in: {self.rows_in}; rows released: {self.rows_out}; "
            f"rows suppressed: {self.rows_suppressed}",
        ]
        if self.dropped_columns:
            out.append("columns removed: " + ", ".join(self.dropped_columns))
        for s in self.steps:
            if s["rows"]:
                out.append(f"{s['label']}: {s['rows']} row(s)")
        out.append(
            f"equivalence classes: {self.equivalence_classes}; smallest: {self.smallest_class}"
        )
        return out


def _small_mask(df: pl.DataFrame, quasi: Sequence[str], k: int) -> pl.Series:
    sizes = df.select(pl.len().over(list(quasi)).alias("_n"))["_n"]
    return sizes < k


def deidentify(
    frame: pl.DataFrame,
    *,
    quasi: Sequence[str] = DEFAULT_QUASI,
    keep: Sequence[str] = (),
    k: int = DEFAULT_K,
    typology_of: Mapping[str, str] | None = None,
) -> tuple[pl.DataFrame, Report]:
    """Release ``quasi`` + ``keep`` columns of ``frame`` with k-anonymity over ``quasi``.

    Quasi-identifier columns must already be generalised text (age bands, years); a null is
    read as ``unknown``. ``typology_of`` maps offence codes to typologies (for the first step).
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    quasi = [q for q in quasi if q in frame.columns]
    keep = [c for c in keep if c in frame.columns and c not in quasi]
    report = Report(k=k, quasi_identifiers=list(quasi), rows_in=frame.height)
    report.dropped_columns = [c for c in frame.columns if c not in quasi and c not in keep]
    df = frame.select(
        [pl.col(q).cast(pl.Utf8).fill_null(UNKNOWN).alias(q) for q in quasi]
        + [pl.col(c) for c in keep]
    )
    steps = [s for s in ladder(typology_of or {}) if s.column in quasi]
    for step in steps:
        small = _small_mask(df, quasi, k) if df.height else pl.Series([], dtype=pl.Boolean)
        n_small = int(small.sum()) if df.height else 0
        if n_small == 0:
            break
        rows = df.select(quasi).to_dicts()
        col = df[step.column].to_list()
        changed = 0
        for i in small.arg_true().to_list():
            new = step.recode(col[i], rows[i])
            if new != col[i]:
                col[i] = new
                changed += 1
        df = df.with_columns(pl.Series(step.column, col, dtype=pl.Utf8))
        report.steps.append({"column": step.column, "label": step.label, "rows": changed})
    if df.height:
        small = _small_mask(df, quasi, k)
        report.rows_suppressed = int(small.sum())
        df = df.filter(~small)
    report.rows_out = df.height
    if df.height:
        classes = df.group_by(list(quasi)).len()
        report.equivalence_classes = classes.height
        report.smallest_class = int(classes["len"].min())  # type: ignore[arg-type]
    return df, report


def compatible(
    released: pl.DataFrame,
    person: Mapping[str, str],
    quasi: Sequence[str],
    typology_of: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Rows of ``released`` an attacker who knows ``person``'s exact attributes cannot rule out.

    A released value matches when it equals the person's value, is ``*``, or is a
    generalisation of it (child/adult, typologies, period, national/ASEAN/non-ASEAN).
    Used by the re-identification tests.
    """
    cond = pl.lit(True)
    for q in quasi:
        v = person.get(q, UNKNOWN)
        options = {v, ANY}
        if q == "age_band":
            options.add(_coarse_age(v))
        elif q == "year":
            options.add(_period(v))
        elif q == "nationality":
            options.add(_nationality(v, person))
        elif q == "offences":
            options.add(_typologies(typology_of or {})(v, person))
        cond = cond & pl.col(q).is_in(list(options))
    return released.filter(cond)
