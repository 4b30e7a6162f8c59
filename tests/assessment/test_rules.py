"""The decision rules, one behaviour at a time (three-valued: unknown is not false)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import npp

DAY = dt.date(2026, 11, 28)


def outcome(facts: dict[str, Any]) -> str:
    return npp.assess(facts, today=DAY).document["offences"][0]["outcome"]


def case(cc: str, category: str, **trafficking: Any) -> dict[str, Any]:
    return {
        "jurisdiction": cc,
        "offence_date": "2025-08-01",
        "person": {"age": 30, "victim_status": "potential", "nationality": "KH"},
        "offences": [{"category": category}],
        "trafficking": trafficking,
    }


def test_public_api_is_pinned() -> None:
    assert sorted(npp.__all__) == sorted(
        [
            "Assessment",
            "CaseFacts",
            "InvalidFacts",
            "LawDataError",
            "NotFound",
            "NppError",
            "Problem",
            "assess",
            "engine",
            "load_knowledge",
        ]
    )


@pytest.mark.parametrize(
    "compelled,expected", [(True, "statutory_bar"), (False, "no_link"), (None, "conditional")]
)
def test_indonesian_compulsion_model_follows_the_compelled_fact(
    compelled: bool | None, expected: str
) -> None:
    assert outcome(case("ID", "drugs.trafficking", compelled=compelled)) == expected


@pytest.mark.parametrize(
    "direct,expected", [(True, "statutory_bar"), (False, "no_link"), (None, "conditional")]
)
def test_philippine_causation_model_follows_the_direct_consequence_fact(
    direct: bool | None, expected: str
) -> None:
    assert outcome(case("PH", "fraud.online_scam", direct_consequence=direct)) == expected


def test_being_compelled_answers_an_unanswered_causation_question() -> None:
    assert outcome(case("PH", "property.theft", compelled=True)) == "statutory_bar"


def test_a_discretionary_provision_never_gives_a_statutory_bar() -> None:
    assert outcome(case("VN", "fraud.online_scam", direct_consequence=True)) == "conditional"


def test_a_provision_whose_discretion_is_unread_stays_conditional() -> None:
    assert outcome(case("LA", "prostitution", direct_consequence=True)) == "conditional"


def test_thai_work_permit_offence_is_exempt_for_a_formally_identified_victim() -> None:
    facts = case("TH", "labour.work_without_permit")
    assert outcome(facts) == "ministerial_permission_required"
    facts["person"]["victim_status"] = "formal"
    assert outcome(facts) == "statutory_bar"


def test_a_partly_covered_offence_is_conditional_and_asks_the_question() -> None:
    doc = npp.assess(case("TH", "document.fraudulent_travel_or_identity"), today=DAY).document
    assert doc["offences"][0]["outcome"] == "conditional"
    assert any("passport" in r["text"] for r in doc["offences"][0]["reasons"])


def test_offence_outside_a_closed_list_is_outside_statutory_scope() -> None:
    assert outcome(case("MY", "drugs.trafficking", direct_consequence=True)) == (
        "outside_statutory_scope"
    )


def test_no_provision_in_singapore_and_in_viet_nam_before_july_2025() -> None:
    assert outcome(case("SG", "prostitution", direct_consequence=True)) == "no_statutory_provision"
    facts = case("VN", "prostitution", direct_consequence=True)
    facts["offence_date"] = "2025-06-30"
    assert outcome(facts) == "no_statutory_provision"


@pytest.mark.parametrize(
    "person,minority",
    [
        ({"age": 16}, False),
        ({"age": 16, "age_disputed": True}, True),
        ({"age": 21, "age_disputed": True}, True),
        ({"age": 22, "age_disputed": True}, False),
        ({}, True),
        ({"age": 30}, False),
    ],
)
def test_minority_is_presumed_where_age_is_unknown_or_disputed_and_may_be_under_18(
    person: dict[str, Any], minority: bool
) -> None:
    doc = npp.assess(
        {"jurisdiction": "TH", "person": person, "offences": [{"category": "begging"}]}, today=DAY
    ).document
    assert ("minority" in doc["presumptions"]) is minority
    if minority:
        assert doc["elements"]["means_required"] is False and "child" in doc["risk_flags"]


def test_unknown_elements_stay_unknown_not_false() -> None:
    doc = npp.assess({"jurisdiction": "PH", "offences": [{"category": "begging"}]}, today=DAY)
    assert doc.document["elements"]["act"] is None
    assert {"trafficking.acts", "trafficking.means", "trafficking.purposes"} <= {
        q["field"] for q in doc.document["questions"]
    }


def test_a_citizen_charged_with_illegal_exit_is_not_flagged_for_deportation() -> None:
    facts = case("LA", "immigration.illegal_exit", direct_consequence=True)
    facts["person"]["nationality"] = "LA"
    flags = npp.assess(facts, today=DAY).document["risk_flags"]
    assert "immigration_detention_or_deportation" not in flags


def test_control_ended_does_not_contest_a_link_already_shown() -> None:
    facts = case("PH", "defamation", direct_consequence=True, under_control_at_offence=False)
    assert "link_contested" not in npp.assess(facts, today=DAY).document["risk_flags"]
    facts["trafficking"]["direct_consequence"] = None
    assert "link_contested" in npp.assess(facts, today=DAY).document["risk_flags"]


def test_below_the_age_of_criminal_responsibility_is_said_and_cited() -> None:
    doc = npp.assess(
        {"jurisdiction": "TH", "person": {"age": 11}, "offences": [{"category": "begging"}]},
        today=DAY,
    ).document
    texts = [c for c in doc["explanation"]["children"] if c["topic"] == "age_of_responsibility"]
    assert texts and "below the minimum age" in texts[0]["text"]
    assert texts[0]["citations"] == ["th.profile.age"]
