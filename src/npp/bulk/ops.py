"""The rules' operations as Polars expressions: one interpreter of :mod:`npp.assessment.rules`.

Why this exists: the decision rules are written once, against the abstract ``Ops`` protocol.
The single-case engine runs them with plain Python values; bulk review runs the very same
``derive`` with these operations, so a million rows are decided by one Polars query and
never by a second, hand-copied set of rules that could drift.

Polars' ``&``, ``|`` and ``~`` on nullable booleans already follow Kleene's three-valued
logic (``false & null`` is ``false``, ``true & null`` is ``null``), exactly as
:class:`npp.assessment.rules.ScalarOps` does with ``None``; comparisons with a null give
null, as ``ScalarOps`` returns ``None``. A test checks each operation against
``ScalarOps`` on every combination of inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import Any

import polars as pl

__all__ = ["PolarsOps"]

_NULL_BOOL = pl.lit(None, dtype=pl.Boolean)


class PolarsOps:
    """Kleene three-valued logic over Polars expressions (null = not known).

    ``categories``: the strings :meth:`choose` may return (the outcomes). A choice among
    them is then a Polars ``Enum`` — compared as integers, not text, which matters when the
    rules compare one provision's outcome with another's a million times. Comparing an
    ``Enum`` with a string behaves as with text (a string not among them is simply unequal).
    """

    def __init__(self, categories: Sequence[str] = ()) -> None:
        self.enum = pl.Enum(list(categories)) if categories else None

    def and_(self, *xs: pl.Expr) -> pl.Expr:
        return reduce(lambda a, b: a & b, xs)

    def or_(self, *xs: pl.Expr) -> pl.Expr:
        return reduce(lambda a, b: a | b, xs)

    def not_(self, x: pl.Expr) -> pl.Expr:
        return ~x

    def is_true(self, x: pl.Expr) -> pl.Expr:
        return x.fill_null(False)

    def is_false(self, x: pl.Expr) -> pl.Expr:
        return (~x).fill_null(False)

    def is_null(self, x: pl.Expr) -> pl.Expr:
        return x.is_null()

    def lt(self, x: pl.Expr, n: pl.Expr | int) -> pl.Expr:
        return x < n

    def gt(self, x: pl.Expr, n: pl.Expr | int) -> pl.Expr:
        return x > n

    def add(self, x: pl.Expr, n: pl.Expr | int) -> pl.Expr:
        return x + n

    def where(self, cond: pl.Expr, x: pl.Expr, y: pl.Expr) -> pl.Expr:
        # ``cond`` is definite (never null) wherever the rules use it, as ScalarOps assumes.
        return pl.when(cond).then(x).otherwise(y)

    def eq(self, x: pl.Expr, value: str) -> pl.Expr:
        return x == value

    def differs(self, x: pl.Expr, y: pl.Expr) -> pl.Expr:
        return x != y

    def isin(self, x: pl.Expr, values: Sequence[str]) -> pl.Expr:
        # Null in, null out (as ScalarOps), whatever a Polars version does with nulls.
        return pl.when(x.is_null()).then(_NULL_BOOL).otherwise(x.is_in(list(values)))

    def coalesce(self, x: pl.Expr, y: pl.Expr) -> pl.Expr:
        return pl.coalesce(x, y)

    def true_or_null(self, x: pl.Expr) -> pl.Expr:
        return pl.when(x.fill_null(False)).then(pl.lit(True)).otherwise(_NULL_BOOL)

    def choose(self, cases: Sequence[tuple[pl.Expr, str]], default: str) -> pl.Expr:
        # ``when`` treats null as false, as ScalarOps.choose only takes a definite True.
        values = {v for _, v in cases} | {default}
        dtype = self.enum if self.enum and values <= set(self.enum.categories) else pl.String

        def lit(v: str) -> pl.Expr:
            return pl.lit(v, dtype=dtype)

        if not cases:
            return lit(default)
        (cond, value), *rest = cases
        chain: Any = pl.when(cond).then(lit(value))
        for cond, value in rest:
            chain = chain.when(cond).then(lit(value))
        out: pl.Expr = chain.otherwise(lit(default))
        return out
