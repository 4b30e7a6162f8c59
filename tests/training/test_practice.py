"""Grading against the engine's key, feedback from the assessment's own explanation, and the
misconception shown only when the answer shows it."""

from __future__ import annotations

import pytest

from npp import engine
from npp.training import load_training
from npp.training.loader import Catalogue
from npp.training.practice import assessment, expected, feedback, grade, key, questions_doc


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_training(engine().kb)


def _q(cat: Catalogue, sid: str, kind: str, offence: str | None = None):  # type: ignore[no-untyped-def]
    s = cat.scenarios[sid]
    for _qid, q in s.questions_for(None):
        if q.kind == kind and (offence is None or q.offence == offence):
            return s, q
    raise AssertionError(kind)


def test_saying_no_suspicion_after_a_raid_shows_the_consent_misconception(cat: Catalogue) -> None:
    s, q = _q(cat, "th-karaoke-raid-disputed-age", "suspicion")
    g = grade(cat, s, q, key(engine(), s), ["no"])
    assert not g.correct and g.expected == ["yes"]
    assert "consent" in [m.id for m in g.misconceptions]
    right = grade(cat, s, q, key(engine(), s), ["yes"])
    assert right.correct and right.misconceptions == []


def test_missing_the_child_risk_shows_the_presumption_of_minority(cat: Catalogue) -> None:
    s, q = _q(cat, "th-karaoke-raid-disputed-age", "risks")
    g = grade(cat, s, q, key(engine(), s), ["cross_border"])
    assert "child" in g.missed
    assert [m.id for m in g.misconceptions] == ["looks_adult"]


def test_a_harsher_outcome_shows_the_serious_offence_misconception(cat: Catalogue) -> None:
    s, q = _q(cat, "id-filipina-drug-courier", "outcome", "drugs.transport")
    assert expected(q, s, key(engine(), s)) == ["conditional"]
    g = grade(cat, s, q, key(engine(), s), ["no_statutory_provision"])
    assert "serious_offence_no_protection" in [m.id for m in g.misconceptions]
    # A more protective wrong answer is wrong, but it is not that misconception.
    g2 = grade(cat, s, q, key(engine(), s), ["statutory_bar"])
    assert not g2.correct and g2.misconceptions == []


def test_feedback_is_the_assessments_explanation_with_citations(cat: Catalogue) -> None:
    s, q = _q(cat, "th-karaoke-raid-disputed-age", "outcome", "prostitution")
    lines = feedback(assessment(engine(), s).document, q)
    assert lines[0]["depth"] == 0 and "Prostitution" in lines[0]["text"]
    assert any("Anti-Trafficking in Persons Act" in c for ln in lines for c in ln["citations"])


def test_actions_options_hold_the_key_and_decoys(cat: Catalogue) -> None:
    s = cat.scenarios["th-fishing-boat-kantang"]
    k = key(engine(), s)
    [aq] = [q for q in questions_doc(engine(), s, None, k) if q["kind"] == "actions"]
    values = {o["value"] for o in aq["options"]}
    assert {str(n) for n in k["actions"]} < values  # decoys beside the key


def test_indicator_options_are_the_facts_plus_distractors(cat: Catalogue) -> None:
    s = cat.scenarios["th-fishing-boat-kantang"]
    [iq] = [
        q for q in questions_doc(engine(), s, None, key(engine(), s)) if q["kind"] == "indicators"
    ]
    values = {o["value"] for o in iq["options"]}
    assert set(s.facts["indicators"]) < values
    assert "ilo.deceptive_recruitment.marriage_or_adoption" in values
