"""PolarsOps is an interpreter of the rules: each operation must agree with ScalarOps."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pytest

from npp.assessment.rules import Ops, ScalarOps
from npp.bulk.ops import PolarsOps

TRI = [True, False, None]
SCALAR = ScalarOps()
POLARS = PolarsOps()


def _polars(expr: pl.Expr, columns: dict[str, list[Any]], dtypes: dict[str, Any]) -> list[Any]:
    frame = pl.DataFrame({k: pl.Series(k, v, dtype=dtypes[k]) for k, v in columns.items()})
    return frame.select(expr.alias("out")).get_column("out").to_list()


def _check(name: str, arity: int, values: list[Any], dtype: Any, *extra: Any) -> None:
    combos = list(itertools.product(values, repeat=arity))
    cols = {f"x{i}": [c[i] for c in combos] for i in range(arity)}
    dtypes = dict.fromkeys(cols, dtype)
    got = _polars(
        getattr(POLARS, name)(*(pl.col(f"x{i}") for i in range(arity)), *extra), cols, dtypes
    )
    want = [getattr(SCALAR, name)(*c, *extra) for c in combos]
    assert got == want, (name, combos)


def test_polars_ops_satisfies_the_protocol() -> None:
    ops: Ops[pl.Expr] = POLARS  # mypy checks the protocol; this checks it at run time
    assert all(callable(getattr(ops, m)) for m in ("and_", "or_", "choose", "isin"))


@pytest.mark.parametrize("name", ["and_", "or_"])
@pytest.mark.parametrize("arity", [2, 3])
def test_kleene_and_or(name: str, arity: int) -> None:
    _check(name, arity, TRI, pl.Boolean)


@pytest.mark.parametrize("name", ["not_", "is_true", "is_false", "is_null", "true_or_null"])
def test_unary_boolean_operations(name: str) -> None:
    _check(name, 1, TRI, pl.Boolean)


@pytest.mark.parametrize("name", ["lt", "gt"])
def test_comparisons_with_a_number_keep_unknown_unknown(name: str) -> None:
    _check(name, 1, [None, 0, 17, 18, 21, 22, 120], pl.Int32, 18)


def test_equality_difference_membership_and_coalesce_on_text() -> None:
    values = [None, "TH", "LA", "formal"]
    _check("eq", 1, values, pl.String, "TH")
    _check("isin", 1, values, pl.String, ("potential", "formal"))
    _check("differs", 2, values, pl.String)
    _check("coalesce", 2, values, pl.String)
    _check("coalesce", 2, TRI, pl.Boolean)


def test_choose_takes_the_first_definitely_true_case() -> None:
    combos = list(itertools.product(TRI, repeat=2))
    cols = {"a": [c[0] for c in combos], "b": [c[1] for c in combos]}
    expr = POLARS.choose([(pl.col("a"), "first"), (pl.col("b"), "second")], "default")
    got = _polars(expr, cols, {"a": pl.Boolean, "b": pl.Boolean})
    want = [SCALAR.choose([(a, "first"), (b, "second")], "default") for a, b in combos]
    assert got == want
    assert _polars(POLARS.choose([], "only"), {"a": [1]}, {"a": pl.Int8}) == ["only"]
