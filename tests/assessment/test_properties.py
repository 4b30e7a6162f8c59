"""Invariants that must hold for any case facts (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import npp
from npp.errors import InvalidFacts
from npp.law.loader import load_knowledge
from strategies import invalid_facts, valid_facts  # type: ignore[import-not-found]

KB = load_knowledge()
INDICATORS = sorted(KB.indicators)
TODAY = dt.date(2026, 11, 28)
fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(valid_facts(INDICATORS))
def test_any_valid_facts_assess_and_keep_the_invariants(facts: dict[str, Any]) -> None:
    doc = npp.assess(facts, today=TODAY).document
    v = KB.vocabulary
    # A child (or presumed child) never needs means.
    if "child" in doc["risk_flags"]:
        assert doc["elements"]["means_required"] is False
    if "minority" in doc["presumptions"]:
        assert "child" in doc["risk_flags"]
    for o in doc["offences"]:
        assert o["outcome"] in v.protection_outcomes or o["outcome"] == "no_link"
        # not_indicated only when nothing suggests trafficking.
        if o["outcome"] == "not_indicated":
            t = facts.get("trafficking", {})
            p = facts.get("person", {})
            assert not doc["potential_victim"]
            assert not (t.get("acts") or t.get("means") or t.get("purposes"))
            assert p.get("victim_status") not in {"potential", "formal"}
            assert not facts.get("indicators")
        if doc["provision"] is None:
            assert o["outcome"] in {"no_statutory_provision", "not_indicated"}
        for r in o["reasons"]:
            assert r["citations"], r
    assert set(doc["risk_flags"]) <= set(v.risk_flags)

    def every_finding_is_cited(node: dict[str, Any]) -> None:
        assert node["citations"], node["text"]
        for child in node.get("children", []):
            every_finding_is_cited(child)

    every_finding_is_cited(doc["explanation"])
    for c in doc["citations"]:
        assert KB.can_cite(c["id"])
    for a in doc["actions"]:
        assert 1 <= a["recommendation"] <= 26 and a["text"]


@fast
@given(invalid_facts())
def test_any_single_broken_field_is_reported_by_its_path(case: tuple[dict[str, Any], str]) -> None:
    facts, path = case
    with pytest.raises(InvalidFacts) as err:
        npp.assess(facts, today=TODAY)
    assert path in {p.where for p in err.value.problems}, str(err.value)
