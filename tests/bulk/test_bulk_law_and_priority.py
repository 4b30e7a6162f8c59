"""The law table answers as the core's LawCache does; the review order is as documented."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import npp
from npp.assessment.lawfacts import LawCache, law_breakpoints
from npp.assessment.rules import OUTCOMES
from npp.bulk.lawtable import LAW_TYPES, LawTable
from npp.bulk.priority import PRIORITIES, priority, reason, reason_text

KB = npp.load_knowledge()
#: The date the law is applied on: later, more lenient laws in force then reach earlier offences.
NOW = dt.date(2026, 11, 28)
TABLE = LawTable(KB, NOW)
CACHE = LawCache(KB)
STATES = list(KB.vocabulary.jurisdictions)
CATEGORIES = list(KB.vocabulary.offence_categories)
# Days on both sides of every date on which some state's law changes.
EDGES = sorted(
    {b + dt.timedelta(d) for cc in STATES for b in law_breakpoints(KB, cc) for d in (-1, 0)}
)
days = st.one_of(st.sampled_from(EDGES), st.dates(dt.date(1990, 1, 1), dt.date(2035, 1, 1)))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATES), days, st.sampled_from(CATEGORIES)), min_size=1))
def test_law_table_gives_the_core_answers_on_any_day(keys: list[tuple[str, dt.date, str]]) -> None:
    frame = pl.DataFrame(
        {
            "s": [STATES.index(k[0]) for k in keys],
            "day": [k[1] for k in keys],
            "c": [CATEGORIES.index(k[2]) for k in keys],
        }
    )
    got = frame.select(TABLE.columns(TABLE.position(pl.col("s"), pl.col("day"), pl.col("c"))))
    for (cc, day, cat), row in zip(keys, got.iter_rows(named=True), strict=True):
        want = CACHE.get(cc, day, cat, NOW).columns()
        assert row == {k: want[k] for k in LAW_TYPES}, (cc, day, cat)


def _tier(outcome: str, potential: bool, **flags: bool) -> int:
    names = ("capital_punishment", "corporal_punishment", "child")
    frame = pl.DataFrame(
        {"o": [outcome], "p": [potential], **{n: [flags.get(n, False)] for n in names}}
    )
    exprs: dict[str, Any] = {n: pl.col(n) for n in names}
    return int(frame.select(priority(pl.col("o"), pl.col("p"), exprs)).item())


def test_review_order_puts_the_death_penalty_and_statutory_bars_first() -> None:
    assert _tier("outside_statutory_scope", True, capital_punishment=True) == 1
    assert _tier("statutory_bar", True) == 2
    assert _tier("ministerial_permission_required", True) == 2
    assert _tier("conditional", True, child=True) == 3
    assert _tier("no_statutory_provision", True, corporal_punishment=True) == 3
    assert _tier("conditional", True) == 4
    assert _tier("no_link", True) == 5
    assert _tier("conditional", False, capital_punishment=True) == 6
    assert _tier("not_indicated", False, capital_punishment=True) == 7


def test_every_reason_is_short_and_the_lookup_matches_the_text() -> None:
    combos = [(t, o, c) for t in PRIORITIES for o in OUTCOMES for c in (False, True)]
    frame = pl.DataFrame(
        {"t": [c[0] for c in combos], "o": [c[1] for c in combos], "c": [c[2] for c in combos]},
        schema={"t": pl.Int8, "o": pl.String, "c": pl.Boolean},
    )
    code = pl.col("o").replace_strict(OUTCOMES, range(len(OUTCOMES)))
    got = frame.select(reason(pl.col("t"), code, pl.col("c"))).to_series().to_list()
    assert got == [reason_text(*c) for c in combos]
    assert max(len(r) for r in got) <= 70


def test_bulk_gives_the_rules_every_value_the_engine_gives() -> None:
    """If the core's rules start reading a new fact, bulk review must supply it too."""
    from npp.assessment.engine import offence_columns, person_columns
    from npp.bulk.assess import _facts_for_rules
    from npp.screening.facts import parse_facts
    from npp.screening.indicators import score

    facts = parse_facts({"jurisdiction": "TH", "offences": [{"category": "begging"}]}, KB)
    engine = {
        **person_columns(facts, score(KB, [], child=False)),
        **offence_columns(facts, facts.offences[0]),
        **CACHE.get("TH", dt.date(2024, 1, 1), "begging").columns(),
    }
    assert set(_facts_for_rules()) == set(engine)
