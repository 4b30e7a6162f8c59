"""The guided assessment asks only what matters, accepts "don't know", and can be saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

import npp
from npp.web.cases import interview as iv
from npp.web.cases.models import Case

from .conftest import login


def keys(facts: dict[str, Any]) -> list[str]:
    return [s.key for s in iv.applicable(facts)]


def model_state(model: str) -> tuple[str, str]:
    """A state whose provision uses ``model``, and an offence it covers (from the law data)."""
    eng = npp.engine()
    kb = eng.kb
    import datetime as dt

    for cc in kb.vocabulary.jurisdictions:
        for cat in kb.vocabulary.offence_categories:
            law = eng.law.get(cc, dt.date.today(), cat)
            if law.in_scope and law.model == model:
                return cc, cat
    pytest.skip(f"no state with a {model} provision in the knowledge base")


def test_child_is_not_asked_means_nor_proof_of_age() -> None:
    f = {"jurisdiction": "TH", "person": {"age": 15}, "offences": [{"category": "prostitution"}]}
    assert "means" not in keys(f) and "age" not in keys(f)


def test_unknown_age_means_presumed_child() -> None:
    f = {"jurisdiction": "TH", "person": {"age": None}, "offences": [{"category": "prostitution"}]}
    assert "means" not in keys(f) and "age" not in keys(f)


def test_adult_is_asked_proof_of_age_and_means() -> None:
    f = {"jurisdiction": "TH", "person": {"age": 25}, "offences": [{"category": "prostitution"}]}
    assert {"age", "means"} <= set(keys(f))
    f["person"]["age_disputed"] = True
    assert "means" not in keys(f)  # disputed age: presumed child again


def test_identified_by_only_after_formal_identification() -> None:
    f: dict[str, Any] = {"jurisdiction": "TH", "person": {"victim_status": "potential"}}
    assert "identified" not in keys(f)
    f["person"]["victim_status"] = "formal"
    assert "identified" in keys(f)


def test_compulsion_is_asked_only_under_a_compulsion_model() -> None:
    cc, cat = model_state("compulsion")
    f = {
        "jurisdiction": cc,
        "offences": [{"category": cat}],
        "trafficking": {"acts": ["recruitment"]},
    }
    names = [q.name for q in iv.Link().questions(f)]
    assert "compelled" in names and "direct_consequence" not in names
    cc2, cat2 = model_state("causation")
    f2 = {"jurisdiction": cc2, "offences": [{"category": cat2}]}
    names2 = [q.name for q in iv.Link().questions(f2)]
    assert "direct_consequence" in names2 and "compelled" not in names2
    assert "under_control_at_offence" not in names2  # nothing suggests trafficking yet


def test_indicators_only_when_nothing_else_suggests_trafficking() -> None:
    f: dict[str, Any] = {
        "jurisdiction": "TH",
        "person": {"victim_status": "none"},
        "trafficking": {"acts": None},
    }
    assert "indicators" in keys(f)
    f["trafficking"]["acts"] = ["recruitment"]
    assert "indicators" not in keys(f)


def _walk(client: Client, answers: dict[str, dict[str, Any]]) -> Any:
    """Answer each step the interview asks, in its order; return the final response."""
    r = client.get("/assess/?new=1")
    seen = []
    while r.status_code == 302 and "/assess/" in r["Location"] and "result" not in r["Location"]:
        key = r["Location"].rstrip("/").split("/")[-1]
        seen.append(key)
        page = client.get(r["Location"])
        assert page.status_code == 200
        r = client.post(r["Location"], answers.get(key, {}))
        assert len(seen) < 15
    return r, seen


ANSWERS = {
    "where": {"jurisdiction": "TH", "offence_date": "2024-03-01"},
    "stage": {"stage": "arrest_and_charge"},
    "person": {
        "age": "",
        "age_unknown": "1",
        "sex": "female",
        "nationality": "LA",
        "victim_status": "potential",
    },
    "offences": {"offences": ["prostitution", "immigration.illegal_entry"]},
    "happened": {"acts": ["recruitment"], "purposes_unknown": "1"},
    "link": {"under_control_at_offence": "yes"},
}


@pytest.mark.django_db
def test_full_interview_and_save(client: Client, officer: Any) -> None:
    r, seen = _walk(client, ANSWERS)
    assert r["Location"] == "/assess/result/"
    assert seen == [
        "where",
        "stage",
        "person",
        "offences",
        "happened",
        "link",
    ]  # no age/means/indicators
    page = client.get("/assess/result/").content.decode()
    for text in (
        "Possible victim of trafficking",
        "Presume the person is a child",
        "What to do now",
        "Citations",
        "Still unknown",
    ):
        assert text in page, text
    assert "Sign in to save" in page
    facts = client.session["npp_interview"]["facts"]
    assert (
        facts["person"]["age"] is None and facts["trafficking"]["purposes"] is None
    )  # unknown, not false
    login(client, officer)
    r = client.post("/assess/save/", {"province": "Bangkok"})
    case = Case.objects.get()
    assert r["Location"] == f"/cases/{case.reference}/"
    assert case.province == "Bangkok" and case.organisation == officer.organisation
    assert case.facts["offences"] == [
        {"category": "prostitution"},
        {"category": "immigration.illegal_entry"},
    ]


@pytest.mark.django_db
def test_edit_case_through_the_interview(client: Client, officer: Any, case: Any) -> None:
    login(client, officer)
    client.get(f"/assess/case/{case.reference}/")
    client.post(
        "/assess/person/",
        {"age": "30", "sex": "female", "nationality": "LA", "victim_status": "formal"},
    )
    page = client.get("/assess/result/").content.decode()
    assert f"Update case {case.reference}" in page
    r = client.post("/assess/save/")
    assert r["Location"] == f"/cases/{case.reference}/"
    case.refresh_from_db()
    assert case.version == 2 and case.facts["person"]["age"] == 30 and case.assessments.count() == 2


@pytest.mark.django_db
def test_stale_edit_is_a_conflict(
    client: Client, officer: Any, case: Any, facts: dict[str, Any]
) -> None:
    from npp.web.cases.actions import do_update_facts

    login(client, officer)
    client.get(f"/assess/case/{case.reference}/")
    do_update_facts(officer, case, dict(facts, stage="trial"), case.version)  # someone else saves
    r = client.post("/assess/save/", follow=True)
    assert "changed by someone else" in r.content.decode()
    case.refresh_from_db()
    assert case.stage == "trial" and case.version == 2


@pytest.mark.django_db
def test_validation_messages(client: Client) -> None:
    client.get("/assess/?new=1")
    r = client.post("/assess/where/", {"jurisdiction": "XX"})
    assert r.status_code == 400 and "Choose a state" in r.content.decode()
    client.post("/assess/where/", {"jurisdiction": "TH"})
    r = client.post("/assess/person/", {"age": "200"})
    assert r.status_code == 400 and "between 0 and 120" in r.content.decode()
    r = client.post("/assess/offences/", {})
    assert r.status_code == 400


@pytest.mark.django_db
def test_save_needs_a_case_role(client: Client, user_factory: Any, police: Any) -> None:
    analyst = user_factory("ana", "analyst", police)
    _walk(client, ANSWERS)
    login(client, analyst)
    assert client.post("/assess/save/").status_code == 403
    assert Case.objects.count() == 0
