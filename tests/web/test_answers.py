"""Open questions are answered where they are read: the interview's result page and the case
page write the answer into the facts and assess again (the case keeps its history)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from npp.web.cases import interview as iv
from npp.web.cases.models import Case

from .conftest import login

SG_COURIER = {
    "jurisdiction": "SG",
    "offence_date": "2024-01-15",
    "person": {"age": 49, "age_disputed": False, "sex": "male", "victim_status": "potential"},
    "offences": [{"category": "drugs.transport"}],
    "trafficking": {
        "acts": ["recruitment"],
        "means": ["threat"],
        "purposes": ["forced_criminality"],
    },
    "indicators": [],
}
TH_DOCUMENT = {
    "jurisdiction": "TH",
    "offence_date": "2024-02-01",
    "person": {"age": 24, "age_disputed": False, "victim_status": "formal"},
    "offences": [{"category": "document.fraudulent_travel_or_identity"}],
    "trafficking": {"acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]},
    "indicators": [],
}


def _interview(client: Client, facts: dict[str, Any]) -> None:
    session = client.session
    session["npp_interview"] = {"facts": facts, "case": None, "version": None}
    session.save()


@pytest.mark.django_db
def test_result_page_asks_the_within_provision_question_and_reassesses(client: Client) -> None:
    _interview(client, dict(TH_DOCUMENT))
    page = client.get("/assess/result/").content.decode()
    assert "Answer the open questions" in page
    assert 'name="answer:offences[0].within_provision"' in page
    assert "conditional" in page
    r = client.post("/assess/result/", {"answer:offences[0].within_provision": "yes"})
    assert r.status_code == 302 and r["Location"] == "/assess/result/"
    facts = client.session["npp_interview"]["facts"]
    assert facts["offences"][0]["within_provision"] is True
    page = client.get("/assess/result/").content.decode()
    assert "ministerial_permission_required" in page
    assert 'name="answer:offences[0].within_provision"' not in page


@pytest.mark.django_db
def test_result_page_rejects_an_impossible_answer_and_keeps_the_facts(client: Client) -> None:
    _interview(client, dict(SG_COURIER))
    r = client.post("/assess/result/", {"answer:person.age_now": "30"})
    assert r.status_code == 400
    assert "must not be less than person.age" in r.content.decode()
    assert "age_now" not in client.session["npp_interview"]["facts"]["person"]


@pytest.mark.django_db
def test_interview_asks_what_the_law_turns_on() -> None:
    assert "law" in [s.key for s in iv.applicable(dict(SG_COURIER))]
    assert "law" not in [
        s.key for s in iv.applicable({**SG_COURIER, "person": {**SG_COURIER["person"], "age": 30}})
    ]


@pytest.mark.django_db
def test_case_page_answer_reassesses_and_keeps_the_history(client: Client, officer: Any) -> None:
    from npp.web.cases.actions import do_create_case

    case = do_create_case(officer, dict(SG_COURIER), person={"full_name": "Test Person Beta"})
    login(client, officer)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'name="answer:person.age_now"' in page
    assert "Can carry caning or whipping" in page
    r = client.post(
        f"/cases/{case.reference}/answer/",
        {"answer:person.age_now": "51", "version": str(case.version)},
    )
    assert r.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.facts["person"]["age_now"] == 51
    assert case.assessments.count() == 2
    latest = case.assessments.order_by("-number").first()
    assert latest is not None
    offence = latest.document["offences"][0]
    assert offence["penalty_flags"] == ["capital_punishment"]
    assert [x["penalty"] for x in offence["excluded_penalties"]] == ["corporal_punishment"]
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Excluded for this person" in page


@pytest.mark.django_db
def test_case_page_answer_with_a_stale_version_changes_nothing(
    client: Client, officer: Any
) -> None:
    from npp.web.cases.actions import do_create_case

    case = do_create_case(officer, dict(SG_COURIER), person={"full_name": "Test Person Gamma"})
    login(client, officer)
    client.post(
        f"/cases/{case.reference}/answer/",
        {"answer:person.age_now": "51", "version": str(case.version - 1)},
    )
    case = Case.objects.get(pk=case.pk)
    assert "age_now" not in case.facts["person"]
    assert case.assessments.count() == 1
