"""Hypothesis strategies for case facts (contract §1), valid and invalid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import strategies as st

from npp.law.loader import default_knowledge_dir

VOCAB = yaml.safe_load((default_knowledge_dir() / "vocabulary.yaml").read_text(encoding="utf-8"))
JURISDICTIONS = sorted(VOCAB["jurisdictions"])
OFFENCES = sorted(VOCAB["offence_categories"])
STAGES = list(VOCAB["stages"])
tri = st.sampled_from([True, False, None])


def maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


def valid_facts(
    indicator_codes: list[str] | None = None, max_offences: int = 3
) -> st.SearchStrategy[dict[str, Any]]:
    indicators = (
        st.lists(st.sampled_from(indicator_codes), max_size=6, unique=True)
        if indicator_codes
        else st.just([])
    )
    person = st.fixed_dictionaries(
        {},
        optional={
            "age": maybe(st.integers(0, 120)),
            "age_disputed": tri,
            "sex": maybe(st.sampled_from(["female", "male", "other"])),
            "nationality": maybe(st.sampled_from([*JURISDICTIONS, "CN", "IN", "BD"])),
            "victim_status": maybe(st.sampled_from(["none", "potential", "formal"])),
            "identified_by": maybe(st.sampled_from([*JURISDICTIONS, "NGO shelter"])),
        },
    )
    trafficking = st.fixed_dictionaries(
        {},
        optional={
            "acts": maybe(
                st.lists(st.sampled_from(VOCAB["trafficking_acts"]), max_size=3, unique=True)
            ),
            "means": maybe(
                st.lists(st.sampled_from(VOCAB["trafficking_means"]), max_size=3, unique=True)
            ),
            "purposes": maybe(
                st.lists(st.sampled_from(VOCAB["exploitation_purposes"]), max_size=2, unique=True)
            ),
            "compelled": tri,
            "direct_consequence": tri,
            "under_control_at_offence": tri,
        },
    )
    offence = st.fixed_dictionaries(
        {"category": st.sampled_from(OFFENCES)},
        optional={"description": st.text(max_size=40), "repeated": tri},
    )
    return st.fixed_dictionaries(
        {
            "jurisdiction": st.sampled_from(JURISDICTIONS),
            "offences": st.lists(offence, min_size=1, max_size=max_offences),
        },
        optional={
            "offence_date": maybe(
                st.dates(dt.date(2004, 1, 1), dt.date(2026, 11, 1)).map(dt.date.isoformat)
            ),
            "stage": maybe(st.sampled_from(STAGES)),
            "person": person,
            "trafficking": trafficking,
            "indicators": indicators,
        },
    )


def invalid_facts() -> st.SearchStrategy[dict[str, Any]]:
    """Valid facts with exactly one field broken; returns (facts, expected JSON path)."""
    breakers = [
        ("jurisdiction", lambda f: {**f, "jurisdiction": "XX"}),
        ("jurisdiction", lambda f: {k: v for k, v in f.items() if k != "jurisdiction"}),
        ("offences", lambda f: {**f, "offences": []}),
        ("offences[0].category", lambda f: {**f, "offences": [{"category": "jaywalking"}]}),
        ("person.age", lambda f: {**f, "person": {"age": -1}}),
        ("person.age", lambda f: {**f, "person": {"age": 121}}),
        ("person.age_disputed", lambda f: {**f, "person": {"age_disputed": "maybe"}}),
        ("person.nationality", lambda f: {**f, "person": {"nationality": "Lao"}}),
        ("stage", lambda f: {**f, "stage": "appeal"}),
        ("offence_date", lambda f: {**f, "offence_date": "01/02/2024"}),
        ("trafficking.means[0]", lambda f: {**f, "trafficking": {"means": ["magic"]}}),
        ("trafficking.compelled", lambda f: {**f, "trafficking": {"compelled": "yes"}}),
        ("indicators[0]", lambda f: {**f, "indicators": ["no.such.indicator"]}),
        ("person.nickname", lambda f: {**f, "person": {"nickname": "x"}}),
    ]
    return st.tuples(valid_facts(), st.sampled_from(breakers)).map(
        lambda t: (t[1][1](t[0]), t[1][0])
    )
