"""Statistical disclosure control for published tables (what an analyst may see).

Rules, applied to every count that leaves the case store (CTDC practice, anchors.md §1.2/§4):

1. **Primary suppression**: a count ``n`` with ``0 < n < k`` is suppressed (``k`` = 11 by
   default: no published figure describes fewer than 11 persons).
2. **Row suppression**: where a row's *base* count (the number of persons the row is about)
   is suppressed, every other count of that row is suppressed too — "0 of 3 were charged"
   tells something about those 3 people.
3. **Complementary suppression**: the column totals are published (as headline figures), so
   a single suppressed cell could be recovered by subtraction. In each column, further cells
   (smallest first) are suppressed until the suppressed cells number at least two and
   together hold at least ``k`` persons — or none is suppressed.
4. **Rounding**: every count shown is rounded to the nearest multiple of ``base`` (5 by
   default), so two published figures cannot be differenced to one person.
5. Shares are computed from the *rounded* counts and are withheld when either count is.

Suppressed cells are ``null`` in the returned frames; renderers show them as "suppressed".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

DEFAULT_K = 11
DEFAULT_BASE = 5
SUPPRESSED_TEXT = "suppressed"


@dataclass(frozen=True)
class Policy:
    """The disclosure policy: minimum cell size ``k`` and rounding ``base``."""

    k: int = DEFAULT_K
    base: int = DEFAULT_BASE

    def __post_init__(self) -> None:
        if self.k < 2:
            raise ValueError("k must be at least 2")
        if self.base < 1:
            raise ValueError("base must be at least 1")

    def round(self, n: int) -> int:
        """Nearest multiple of ``base`` (halves round up)."""
        return math.floor(n / self.base + 0.5) * self.base

    def count(self, n: int | None) -> int | None:
        """One stand-alone count: ``None`` when suppressed, else rounded."""
        if n is None or 0 < n < self.k:
            return None
        return self.round(n)

    def describe(self) -> str:
        return (
            f"Counts below {self.k} are suppressed (with further cells where a suppressed "
            f"one could be recovered from a total); counts are rounded to the nearest "
            f"{self.base}."
        )


@dataclass
class Protected:
    """A protected table and what was done to it."""

    frame: pl.DataFrame
    policy: Policy
    primary: int = 0
    complementary: int = 0
    row_suppressed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> int:
        return self.primary + self.complementary + self.row_suppressed


def _complementary(values: list[int | None], suppressed: set[int], k: int) -> set[int]:
    """Indices to suppress in addition, so that no suppressed cell can be recovered."""
    extra: set[int] = set()
    if not suppressed:
        return extra
    hidden = sum(values[i] or 0 for i in suppressed)
    count = len(suppressed)
    candidates = sorted(
        (i for i, v in enumerate(values) if i not in suppressed and v is not None and v > 0),
        key=lambda i: (values[i], i),
    )
    for i in candidates:
        if count >= 2 and hidden >= k:
            break
        extra.add(i)
        count += 1
        hidden += values[i] or 0
    return extra


def protect(
    frame: pl.DataFrame,
    counts: Sequence[str],
    *,
    base_count: str | None = None,
    policy: Policy | None = None,
    totals_published: bool = True,
) -> Protected:
    """Suppress and round the ``counts`` columns of an aggregated ``frame``.

    ``base_count`` names the column that counts the persons of each row (its suppression
    suppresses the whole row). ``totals_published`` says whether column totals are shown
    elsewhere (then complementary suppression applies).
    """
    pol = policy or Policy()
    out = Protected(frame=frame, policy=pol)
    if frame.height == 0:
        return out
    cols = {c: [None if v is None else int(v) for v in frame[c].to_list()] for c in counts}
    hidden: dict[str, set[int]] = {}
    order = list(counts)
    if base_count is not None:
        order.remove(base_count)
        order.insert(0, base_count)
    for c in order:
        vals = cols[c]
        primary = {i for i, v in enumerate(vals) if v is not None and 0 < v < pol.k}
        out.primary += len(primary)
        if base_count is not None and c != base_count:
            rows = hidden[base_count] - primary
            out.row_suppressed += sum(1 for i in rows if vals[i] is not None)
            primary |= hidden[base_count]
        extra = _complementary(vals, primary, pol.k) if totals_published else set()
        out.complementary += len(extra)
        hidden[c] = primary | extra
    new_cols = []
    for c in counts:
        vals = cols[c]
        shown = [
            None if (i in hidden[c] or v is None) else pol.round(v) for i, v in enumerate(vals)
        ]
        new_cols.append(pl.Series(c, shown, dtype=pl.Int64))
    out.frame = frame.with_columns(new_cols)
    if out.suppressed:
        out.notes.append(pol.describe())
    return out


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage from two *published* (rounded) counts; ``None`` if either is withheld."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(100.0 * numerator / denominator)


def add_share(frame: pl.DataFrame, name: str, numerator: str, denominator: str) -> pl.DataFrame:
    """Add a percentage column computed from two protected count columns."""
    values = [
        share(n, d)
        for n, d in zip(frame[numerator].to_list(), frame[denominator].to_list(), strict=True)
    ]
    return frame.with_columns(pl.Series(name, values, dtype=pl.Float64))


def protect_median(values: Sequence[float | int], policy: Policy | None = None) -> int | None:
    """The median (whole days) of at least ``k`` values; ``None`` for fewer."""
    pol = policy or Policy()
    vals = sorted(v for v in values if v is not None)
    if len(vals) < pol.k:
        return None
    mid = len(vals) // 2
    m = vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2
    return math.floor(m + 0.5)


def aggregate(
    microdata: pl.DataFrame,
    by: Sequence[str],
    measures: dict[str, pl.Expr] | None = None,
    *,
    policy: Policy | None = None,
) -> Protected:
    """Count persons (rows) by ``by`` plus boolean ``measures``, then :func:`protect`.

    ``measures`` maps an output name to a boolean expression over the rows; each becomes a
    count of rows where it holds. The row count is the base column ``persons``.
    """
    measures = measures or {}
    aggs = [pl.len().alias("persons")] + [
        e.cast(pl.Int64).sum().alias(name) for name, e in measures.items()
    ]
    table = microdata.group_by(list(by)).agg(aggs).sort(list(by), nulls_last=True)
    return protect(table, ["persons", *measures], base_count="persons", policy=policy)


def total(
    microdata: pl.DataFrame, measure: pl.Expr | None = None, policy: Policy | None = None
) -> int | None:
    """One headline count over all rows (or rows where ``measure`` holds), protected."""
    pol = policy or Policy()
    n = (
        microdata.height
        if measure is None
        else int(microdata.select(measure.cast(pl.Int64).sum()).item() or 0)
    )
    return pol.count(n)


def display(value: Any) -> str:
    """How a protected cell reads in a table or CSV."""
    if value is None:
        return SUPPRESSED_TEXT
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)
