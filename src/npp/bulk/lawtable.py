"""The law's answers for every (state, law period, offence), as a lookup for whole columns.

Why a table: a million rows ask perhaps a few hundred distinct legal questions. The answers
come from the core :func:`npp.assessment.lawfacts.offence_law` (through its per-period
:class:`~npp.assessment.lawfacts.LawCache`), exactly as the single-case engine gets them;
this module only lays them out so a row finds its answer by arithmetic, not by a Python call.

How a row finds its answer: the law can only change on a breakpoint date
(:func:`~npp.assessment.lawfacts.law_breakpoints`). Merging every state's breakpoints gives
global periods; ``search_sorted`` finds a date's period in one vectorised pass, and
``(state, period, offence)`` becomes a position in flat arrays that are gathered per column.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from npp.assessment.lawfacts import LAW_COLUMNS, LawCache, law_breakpoints
from npp.bulk.columns import SEX
from npp.law.knowledge import KnowledgeBase

__all__ = ["LAW_TYPES", "LawTable"]

#: The law's columns :func:`npp.assessment.rules.derive` reads (the core's
#: :data:`~npp.assessment.lawfacts.LAW_COLUMNS`), with their Polars types.
_KINDS: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "str": pl.String(),
    "int": pl.Int32(),
    # The same Enum as the person.sex column, so the rules compare the two as integers.
    "sex": pl.Enum(list(SEX)),
}
LAW_TYPES: dict[str, pl.DataType] = {k: _KINDS[kind] for k, kind in LAW_COLUMNS.items()}


def _enum_of(values: list[object]) -> pl.Enum:
    return pl.Enum(sorted({str(v) for v in values if v is not None}))


class LawTable:
    """Every answer of :func:`offence_law`, laid out by (state, global period, offence)."""

    def __init__(self, kb: KnowledgeBase, now: dt.date | None = None) -> None:
        """``now``: the date the law is applied on (a later, more lenient law in force then
        reaches earlier offences); the review's default date, as the engine's ``today``."""
        self.states = list(kb.vocabulary.jurisdictions)
        self.categories = list(kb.vocabulary.offence_categories)
        starts = {dt.date.min}
        for cc in self.states:
            starts.update(law_breakpoints(kb, cc))
        self.starts = sorted(starts)
        cache = LawCache(kb)
        values: dict[str, list[object]] = {k: [] for k in LAW_TYPES}
        for cc in self.states:
            for start in self.starts:
                for cat in self.categories:
                    law = cache.get(cc, start, cat, now or dt.date.today()).columns()
                    for k in LAW_TYPES:
                        values[k].append(law[k])
        # Text answers (models, typologies) become Enums: the rules compare them, and an
        # Enum compares as an integer.
        self.values = {
            k: pl.Series(k, v, dtype=_enum_of(v) if LAW_TYPES[k] == pl.String else LAW_TYPES[k])
            for k, v in values.items()
        }

    def position(self, state: pl.Expr, day: pl.Expr, category: pl.Expr) -> pl.Expr:
        """Where each row's answer sits in the flat arrays.

        ``state`` and ``category`` are positions in the vocabulary's lists of jurisdictions
        and offence categories (null where the row is rejected, giving a null answer).
        """
        starts = pl.lit(pl.Series(self.starts, dtype=pl.Date))
        # Number of period starts on or before the day, minus one: the day's period.
        period = starts.search_sorted(day, side="right").cast(pl.Int64) - 1
        n_p, n_c = len(self.starts), len(self.categories)
        return (state.cast(pl.Int64) * n_p + period) * n_c + category.cast(pl.Int64)

    def columns(self, position: pl.Expr) -> list[pl.Expr]:
        """One expression per law column, gathered at ``position``."""
        return [pl.lit(series).gather(position).alias(k) for k, series in self.values.items()]
