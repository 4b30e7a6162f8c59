"""Reading and validating a batch of rows, vectorised, as the single-case validator would.

Why it mirrors :mod:`npp.screening.facts`: a row is assessed only if ``npp assess`` would
accept the same facts, and a bad cell is reported with the same field path (``person.age``,
``offence.category``) so a practitioner can find and fix it. Nothing is silently coerced: a
misspelt code is a problem, never "other" and never "not known".

How it stays fast: a column of codes, dates, ages, booleans or lists has few distinct values
even in millions of rows. Each distinct value is read once, in plain Python (so the rules
are easy to read and match the single-case validator), and remembered across batches; the
answers are then gathered back to every row by position, in Rust. Indicator lists are
scored the same way, with the core :func:`npp.screening.indicators.score`, once per distinct
list for an adult and for a child. Only free text is checked with string expressions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from npp.assessment.rules import years_since
from npp.bulk.columns import (
    EMPTY_LIST,
    FACT_COLUMNS,
    FALSE_WORDS,
    LIST_SEPARATOR,
    REQUIRED,
    TRUE_WORDS,
    Column,
)
from npp.law.knowledge import KnowledgeBase
from npp.screening.facts import AGE_NOW_BELOW_AGE, MAX_AGE
from npp.screening.indicators import score

__all__ = ["PROBLEM", "Validator"]

#: Prefix of the problem column for a field (``!person.age``); null where the cell is fine.
PROBLEM = "!"
_STR = pl.String()
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO = re.compile(r"[A-Z]{2}")
_WHOLE = "must be a whole number, or empty when not known"

#: A reader of one distinct cell: its output values (in :attr:`_Coded.outputs` order) and
#: its problem, or ``None`` when the cell is fine.
Reader = Callable[[str], tuple[tuple[Any, ...], str | None]]


@dataclass
class _Coded:
    """A column read value by distinct value; ``outputs`` name the typed columns it gives."""

    column: Column
    outputs: dict[str, pl.DataType]
    read: Reader
    memo: dict[str, tuple[tuple[Any, ...], str | None]] = field(default_factory=dict)


class Validator:
    """Turns raw rows into typed facts plus one ``!field`` problem column per field."""

    def __init__(
        self, kb: KnowledgeBase, default_jurisdiction: str | None, default_date: dt.date
    ) -> None:
        v = kb.vocabulary
        self.kb = kb
        self.default_jurisdiction = default_jurisdiction
        self.default_date = default_date
        states = {cc: n for n, cc in enumerate(v.jurisdictions)}
        categories = {c: n for n, c in enumerate(v.offence_categories)}
        stages = list(v.stages)
        b = pl.Boolean()
        i32 = pl.Int32()
        coded: list[_Coded] = []
        for c in FACT_COLUMNS:
            if c.name == "jurisdiction":
                one_of = "must be one of " + ", ".join(states)
                coded.append(_Coded(c, {"j": _STR, "j_idx": i32}, _code(states, one_of, True)))
            elif c.name == "offence.category":
                msg = "unknown offence category"
                read = _code(categories, msg, False)
                coded.append(_Coded(c, {"category": _STR, "c_idx": i32}, read))
            elif c.name == "stage":
                one_of = "must be one of " + ", ".join(stages)
                coded.append(
                    _Coded(c, {}, _check_only(_code(dict.fromkeys(stages, 0), one_of, True)))
                )
            elif c.kind == "date":
                # The years that may have passed since the offence, as the engine bounds the
                # age now (npp.assessment.rules.years_since), read once per distinct date.
                dates = {"day": pl.Date(), "years_low": i32, "years_high": i32}
                coded.append(_Coded(c, dates, _dated(default_date)))
            elif c.kind == "age":
                name = "age" if c.name == "person.age" else "age_now"
                coded.append(_Coded(c, {name: i32}, _age))
            elif c.kind == "bool":
                coded.append(_Coded(c, {c.name: b}, _bool))
            elif c.kind == "literal":
                # An Enum: the rules compare the status, and an Enum compares as an integer.
                enum: dict[str, pl.DataType] = {c.name: pl.Enum(list(c.choices))}
                coded.append(_Coded(c, enum, _literal(c.choices)))
            elif c.kind == "iso":
                coded.append(_Coded(c, {c.name: _STR}, _iso))
            elif c.name == "indicators":
                scores = {"ind_n": i32, "ind_pos_adult": b, "ind_pos_child": b}
                coded.append(_Coded(c, scores, self._indicators))
            elif c.kind == "list":
                allowed, what = {
                    "trafficking.acts": (v.trafficking_acts, "act"),
                    "trafficking.means": (v.trafficking_means, "means"),
                    "trafficking.purposes": (v.exploitation_purposes, "purpose"),
                }[c.name]
                out = c.name.removeprefix("trafficking.") + "_n"
                coded.append(_Coded(c, {out: i32}, _list(frozenset(allowed), what)))
        self.coded = coded
        self._indicator_list = _list(frozenset(kb.indicators), "indicator code")
        self._scores: dict[frozenset[str], tuple[bool, bool]] = {}
        #: Values for empty cells: the law date, and contract §1's empty list of indicators.
        self.fill: dict[str, object] = {
            "day": default_date,
            "years_low": 0,
            "years_high": 0,
            "ind_n": 0,
            "ind_pos_adult": False,
            "ind_pos_child": False,
        }

    # ------------------------------------------------------------------ entry point

    def facts(self, raw: pl.DataFrame) -> pl.DataFrame:
        """Typed facts (internal names) and a ``!field`` problem column for each field that
        has a problem in this batch (null where the cell is fine)."""
        text = raw.select([_as_text(raw, c) for c in FACT_COLUMNS])
        if self.default_jurisdiction is not None:
            text = text.with_columns(pl.col("jurisdiction").fill_null(self.default_jurisdiction))
        positions: list[pl.Expr] = []
        exprs: list[pl.Expr] = []
        for cd in self.coded:
            exprs.extend(self._gather(cd, text.get_column(cd.column.name), positions))
        for c in FACT_COLUMNS:
            if c.kind == "text":
                exprs.extend(_text(c, text.get_column(c.name)))
        # Positions first, as columns: each is read by several outputs, computed once.
        facts = text.with_columns(positions).select(exprs)
        return _age_now_problems(facts)

    def _gather(self, cd: _Coded, col: pl.Series, positions: list[pl.Expr]) -> list[pl.Expr]:
        """Each output of ``cd`` gathered from its distinct values' readings, and the
        column's problems if it has any in this batch; adds to ``positions`` the column of
        each cell's position among the distinct values."""
        keys: list[str] = col.drop_nulls().unique().to_list()
        memo = cd.memo
        for k in keys:
            if k not in memo:
                memo[k] = cd.read(k) if k.strip() else self._blank(cd)
        if keys:
            positions.append(_position(pl.col(cd.column.name), keys).alias("#" + cd.column.name))
        idx = pl.col("#" + cd.column.name)
        exprs = []
        for n, (name, dtype) in enumerate(cd.outputs.items()):
            values = pl.Series(name, [memo[k][0][n] for k in keys], dtype=dtype)
            # An empty column has no values to gather: a null literal is broadcast.
            e = pl.lit(values).gather(idx) if keys else pl.lit(None, dtype)
            if name in self.fill:
                e = e.fill_null(pl.lit(self.fill[name], dtype=dtype))
            exprs.append(e.alias(name))
        problems = {k: memo[k][1] for k in keys if memo[k][1] is not None}
        missing = cd.column.name in REQUIRED and col.null_count() > 0
        if problems or missing:
            bad = pl.col(cd.column.name).replace_strict(problems, default=None, return_dtype=_STR)
            if missing:
                bad = (
                    pl.when(pl.col(cd.column.name).is_null())
                    .then(pl.lit("is required"))
                    .otherwise(bad)
                )
            exprs.append(bad.alias(PROBLEM + cd.column.name))
        return exprs

    def _blank(self, cd: _Coded) -> tuple[tuple[Any, ...], str | None]:
        """A cell of spaces is empty: not known (or the default state, or required)."""
        name = cd.column.name
        if name == "jurisdiction" and self.default_jurisdiction is not None:
            return cd.read(self.default_jurisdiction)
        return (None,) * len(cd.outputs), ("is required" if name in REQUIRED else None)

    def _indicators(self, cell: str) -> tuple[tuple[Any, ...], str | None]:
        (n,), problem = self._indicator_list(cell)
        if problem is not None or not n:
            return (n, False, False), problem
        # The same codes in another order (or repeated) score the same: score each set once.
        codes = frozenset(_items(cell))
        if codes not in self._scores:
            adult = score(self.kb, sorted(codes), child=False).positive
            child = score(self.kb, sorted(codes), child=True).positive
            self._scores[codes] = (adult, child)
        return (n, *self._scores[codes]), None


#: Up to this many distinct values, comparing with each is faster than a hash look-up.
_FEW = 12


def _position(col: pl.Expr, keys: list[str]) -> pl.Expr:
    """Each cell's position in ``keys`` (null for a null cell); ``keys`` is not empty."""
    if len(keys) > _FEW:
        return col.cast(pl.Enum(keys)).to_physical()
    chain: Any = pl.when(col == keys[0]).then(pl.lit(0, pl.UInt32))
    for n, k in enumerate(keys[1:], 1):
        chain = chain.when(col == k).then(pl.lit(n, pl.UInt32))
    out: pl.Expr = chain
    return out


# ---------------------------------------------------------------------- readers of one cell


def _code(index: dict[str, int], message: str, got: bool) -> Reader:
    def read(cell: str) -> tuple[tuple[Any, ...], str | None]:
        s = cell.strip()
        if s in index:
            return (s, index[s]), None
        return (None, None), (f"{message} (got {s!r})" if got else f"{message} {s!r}")

    return read


def _check_only(read: Reader) -> Reader:
    """A reader that only checks the cell (the rules do not read this column)."""

    def check(cell: str) -> tuple[tuple[Any, ...], str | None]:
        return (), read(cell)[1]

    return check


def _dated(now: dt.date) -> Reader:
    def read(cell: str) -> tuple[tuple[Any, ...], str | None]:
        s = cell.strip()
        if _DATE.fullmatch(s):
            try:
                day = dt.date.fromisoformat(s)
            except ValueError:
                pass
            else:
                return (day, *years_since(day, now)), None
        return (None, None, None), "must be a date in the form YYYY-MM-DD"

    return read


def _age_now_problems(facts: pl.DataFrame) -> pl.DataFrame:
    """As the single-case validator: the age now cannot be below the age at the offence."""
    below = facts.select((pl.col("age_now") < pl.col("age")).fill_null(False)).to_series()
    if not below.any():
        return facts
    problem: pl.Expr = pl.when(pl.lit(below)).then(pl.lit(AGE_NOW_BELOW_AGE))
    name = PROBLEM + "person.age_now"
    if name in facts.columns:
        problem = pl.coalesce(pl.col(name), problem)
    return facts.with_columns(
        problem.alias(name),
        # A row with a problem is not assessed: its answers are not used.
        pl.when(pl.lit(below)).then(None).otherwise(pl.col("age_now")).alias("age_now"),
    )


def _age(cell: str) -> tuple[tuple[Any, ...], str | None]:
    try:
        num = float(cell.strip())
    except ValueError:
        return (None,), _WHOLE
    if num != num:  # NaN
        return (None,), _WHOLE
    if not 0 <= num <= MAX_AGE:
        return (None,), f"must be between 0 and {MAX_AGE}"
    if not num.is_integer():
        return (None,), _WHOLE
    return (int(num),), None


def _bool(cell: str) -> tuple[tuple[Any, ...], str | None]:
    s = cell.strip().lower()
    if s in TRUE_WORDS:
        return (True,), None
    if s in FALSE_WORDS:
        return (False,), None
    return (None,), "must be true or false (or 1 or 0), or empty when not known"


def _literal(choices: tuple[str, ...]) -> Reader:
    words = [f"'{w}'" for w in choices]
    message = "must be one of " + ", ".join(words[:-1]) + " or " + words[-1]

    def read(cell: str) -> tuple[tuple[Any, ...], str | None]:
        s = cell.strip()
        return ((s,), None) if s in choices else ((None,), message)

    return read


def _iso(cell: str) -> tuple[tuple[Any, ...], str | None]:
    s = cell.strip()
    if _ISO.fullmatch(s):
        return (s,), None
    return (None,), "must be a two-letter ISO 3166 country code in capitals (e.g. LA)"


def _items(cell: str) -> list[str]:
    items = [i.strip() for i in cell.split(LIST_SEPARATOR)]
    items = [i for i in items if i]
    return [] if len(items) == 1 and items[0].lower() == EMPTY_LIST else items


def _list(allowed: frozenset[str], what: str) -> Reader:
    def read(cell: str) -> tuple[tuple[Any, ...], str | None]:
        items = _items(cell)
        bad = [i for i in items if i not in allowed]
        if bad:
            noun = what if len(bad) == 1 or what == "means" else what + "s"
            return (None,), f"unknown {noun} " + ", ".join(repr(b) for b in bad)
        return (len(items),), None

    return read


# ---------------------------------------------------------------------- free text


def _text(c: Column, col: pl.Series) -> list[pl.Expr]:
    s = pl.col(c.name)
    out = []
    if (col.str.len_chars().max() or 0) > c.max_len:  # type: ignore[operator]
        bad = pl.when(s.str.len_chars() > c.max_len).then(
            pl.lit(f"must be at most {c.max_len} characters")
        )
        out.append(bad.alias(PROBLEM + c.name))
    if c.name == "person.identified_by":
        # As npp.assessment.engine.person_columns, exactly: a state's code when
        # ``len(s) == 2 and s.isupper()``. Python's isupper has Unicode subtleties ('Aº' is
        # not upper), so the few distinct two-character values are asked in Python.
        two = col.filter(col.str.len_chars() == 2).unique().to_list()
        codes = [v for v in two if v.isupper()]
        out.append(pl.when(s.is_in(codes)).then(s).alias("identified_state"))
    return out


def _as_text(raw: pl.DataFrame, c: Column) -> pl.Expr:
    """The column as text, whatever a Parquet file typed it as; an empty cell is null."""
    if c.name not in raw.columns:
        return pl.lit(None, _STR).alias(c.name)
    dtype = raw.schema[c.name]
    s = pl.col(c.name)
    if dtype == _STR:
        # CSV cells arrive as text already (an empty one as null); Parquet may hold "".
        return pl.when(s != "").then(s).alias(c.name) if c.kind != "text" else s
    if isinstance(dtype, pl.List | pl.Array):
        s = s.cast(pl.List(_STR)).list.join(LIST_SEPARATOR)
    elif isinstance(dtype, pl.Datetime):
        s = s.dt.date().cast(_STR)
    else:
        s = s.cast(_STR)
    return pl.when(s != "").then(s).alias(c.name)
