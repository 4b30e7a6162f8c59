"""The contract's examples (shared/contract/examples, copied to examples/) as golden tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import npp
from npp.errors import InvalidFacts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REQUIRED = [
    "contract",
    "jurisdiction",
    "law_date",
    "provision",
    "potential_victim",
    "elements",
    "presumptions",
    "offences",
    "risk_flags",
    "actions",
    "citations",
    "disclaimer",
]


def _facts(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_th_raid_minor_is_a_presumed_child_protected_by_section_41() -> None:
    doc = npp.assess(_facts("th-raid-minor.json")).document
    for key in REQUIRED:
        assert key in doc
    assert doc["contract"] == "npp.assessment/1"
    assert doc["law_date"] == "2024-03-01"
    assert doc["provision"]["model"] == "ministerial_permission"
    assert doc["provision"]["section"] == "41"
    assert doc["potential_victim"] is True
    assert doc["elements"] == {
        **doc["elements"],
        "act": True,
        "means": True,
        "purpose": True,
        "means_required": False,
    }
    assert doc["presumptions"] == ["victim_status", "minority"]
    assert [o["outcome"] for o in doc["offences"]] == ["ministerial_permission_required"] * 2
    assert [o["typology"] for o in doc["offences"]] == ["status", "status"]
    assert {"child", "cross_border"} <= set(doc["risk_flags"])
    assert 4 in {a["recommendation"] for a in doc["actions"]}
    assert all(o["reasons"] and all(r["citations"] for r in o["reasons"]) for o in doc["offences"])


def test_ph_shoplifting_without_indicators_is_not_indicated() -> None:
    doc = npp.assess(_facts("ph-no-indicators.json"), today=dt.date(2026, 11, 28)).document
    assert doc["potential_victim"] is False
    assert [o["outcome"] for o in doc["offences"]] == ["not_indicated"]
    assert doc["presumptions"] == []
    assert "child" not in doc["risk_flags"]
    assert doc["provision"]["model"] == "causation"


def test_invalid_jurisdiction_example_names_every_field() -> None:
    with pytest.raises(InvalidFacts) as err:
        npp.assess(_facts("invalid-jurisdiction.json"))
    where = {p.where for p in err.value.problems}
    assert {"jurisdiction", "person.age", "offences"} <= where
    assert "person.age: must be between 0 and 120" in str(err.value)


def test_every_citation_in_an_assessment_resolves_and_says_if_verified() -> None:
    doc = npp.assess(_facts("th-raid-minor.json")).document
    kb = npp.load_knowledge()
    ids = {c["id"] for c in doc["citations"]}

    def walk(node: dict) -> None:  # type: ignore[type-arg]
        for c in node.get("citations", []):
            assert c in ids and kb.can_cite(c)
        for child in node.get("children", []):
            walk(child)

    walk(doc["explanation"])
    assert all(isinstance(c["verified"], bool) for c in doc["citations"])
