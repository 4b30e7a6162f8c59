"""One set of rules, two ways to run them: bulk review must answer as ``npp assess`` does.

For random valid facts with a single offence, the bulk result (``outcome``,
``potential_victim``, ``risk_flags``) equals ``npp.engine().assess_data(facts)``, row for
row. Each Hypothesis example is a whole batch of cases, so one run compares thousands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import npp
from npp.bulk.assess import BatchAssessor
from npp.bulk.columns import FACT_COLUMNS
from npp.bulk.convert import facts_to_row, row_to_facts
from npp.bulk.review import review
from strategies import valid_facts  # type: ignore[import-not-found]

KB = npp.load_knowledge()
TODAY = dt.date(2026, 11, 28)
ASSESSOR = BatchAssessor(KB, None, TODAY)
COLUMNS = [c.name for c in FACT_COLUMNS]
batch_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def single_offence_facts(draw: st.DrawFn) -> dict[str, Any]:
    """The shared strategy, widened where bulk reading could differ from the engine's."""
    facts: dict[str, Any] = draw(valid_facts(sorted(KB.indicators), max_offences=1))
    person = dict(facts.get("person") or {})
    # Ages at the thresholds that matter (18, and 18 + the disputed-age margin; 50 and 75 for
    # penalty exemptions), with or without an age now (never below the age at the offence).
    ages = [0, 14, 17, 18, 21, 22, 23, 45, 47, 49, 50, 51, 54, 74, 75, 120]
    person["age"] = draw(st.one_of(st.sampled_from(ages), st.just(person.get("age"))))
    low = person.get("age") or 0
    person["age_now"] = draw(
        st.one_of(
            st.none(), st.sampled_from([a for a in (17, 18, 49, 50, 51, 74, 75, 120) if a >= low])
        )
    )
    person["sex"] = draw(st.sampled_from(["female", "male", "other", None]))
    # Around the dates the law changed (Viet Nam's Law 86/2025 on 1 July 2025) and today.
    facts["offence_date"] = draw(
        st.one_of(
            st.sampled_from(["2011-01-01", "2025-06-30", "2025-07-01", "2026-11-28", "2026-12-25"]),
            st.just(facts.get("offence_date")),
        )
    )
    # The states with penalty exemptions, and the courier / dealer categories, more often.
    facts["jurisdiction"] = draw(
        st.one_of(st.sampled_from(["SG", "MY", "TH", "VN"]), st.just(facts["jurisdiction"]))
    )
    # identified_by: a state code is used as one only when it looks like one.
    if draw(st.booleans()):
        person["identified_by"] = draw(
            st.one_of(
                st.sampled_from(["th", "T1", "TH ", "ÀB", "Th", "police"]),
                st.text(min_size=1, max_size=3),
            )
        )
    facts["person"] = person
    # Per-offence answers override the case-wide ones.
    offence = dict(facts["offences"][0])
    for k in ("compelled", "direct_consequence", "within_provision"):
        if draw(st.booleans()):
            offence[k] = draw(st.sampled_from([True, False, None]))
    offence["category"] = draw(
        st.one_of(
            st.sampled_from(
                [
                    "drugs.transport",
                    "drugs.trafficking",
                    "immigration.illegal_entry",
                    "immigration.unlawful_stay",
                    "document.fraudulent_travel_or_identity",
                    "other",
                ]
            ),
            st.just(offence["category"]),
        )
    )
    facts["offences"] = [offence]
    return facts


def _frame(cases: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [facts_to_row(f) for f in cases]
    return pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String), orient="row")


def _expected(facts: dict[str, Any]) -> tuple[str, bool, str]:
    doc = npp.engine().assess_data(facts, today=TODAY).document
    return doc["offences"][0]["outcome"], doc["potential_victim"], ";".join(doc["risk_flags"])


def _assert_same(cases: list[dict[str, Any]], result: pl.DataFrame) -> None:
    got = result.select("outcome", "potential_victim", "risk_flags").rows()
    for facts, row in zip(cases, got, strict=True):
        assert row == _expected(facts), facts


@batch_settings
@given(st.lists(single_offence_facts(), min_size=1, max_size=40))
def test_bulk_equals_single_case_engine_row_for_row(cases: list[dict[str, Any]]) -> None:
    batch = ASSESSOR.assess(_frame(cases))
    assert batch.rejects.height == 0, batch.rejects
    _assert_same(cases, batch.rows)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(valid_facts(sorted(KB.indicators), max_offences=1), min_size=1, max_size=30))
def test_bulk_equals_engine_through_csv_and_parquet_files(
    tmp_path: Path, cases: list[dict[str, Any]]
) -> None:
    frame = _frame(cases)
    for ext in ("csv", "parquet"):
        src, out = tmp_path / f"in.{ext}", tmp_path / f"out.{ext}"
        frame.write_csv(src) if ext == "csv" else frame.write_parquet(src)
        summary = review(KB, src, out, date=TODAY, batch_rows=7)
        assert summary.rejected_rows == 0
        result = pl.read_csv(out, infer_schema=False) if ext == "csv" else pl.read_parquet(out)
        if ext == "csv":
            result = result.with_columns(
                pl.col("potential_victim") == "true", pl.col("risk_flags").fill_null("")
            )
        _assert_same(cases, result)


@batch_settings
@given(st.lists(single_offence_facts(), min_size=1, max_size=10))
def test_a_row_turned_back_into_facts_is_the_same_case(cases: list[dict[str, Any]]) -> None:
    for facts in cases:
        back = row_to_facts(facts_to_row(facts))
        assert _expected(back) == _expected(facts)
