"""Actions: the only writers. Concurrency, re-assessment with history, stages, referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

import npp
from npp.web.cases import actions
from npp.web.cases.models import Case, CaseEvent, Referral
from npp.web.cases.queries import overdue_referrals

from .conftest import login

pytestmark = pytest.mark.django_db


def test_create_case_assesses_and_summarises(case: Any) -> None:
    a = case.assessments.get()
    assert a.number == 1 and a.document["contract"] == "npp.assessment/1"
    assert case.stage == "arrest_and_charge" and case.version == 1
    assert case.potential_victim is True and case.child is True
    assert [o.category for o in case.offences.all()] == [
        "prostitution",
        "immigration.illegal_entry",
    ]
    assert case.events.get().kind == "opened"


def test_invalid_facts_create_nothing(officer: Any) -> None:
    with pytest.raises(npp.InvalidFacts):
        actions.do_create_case(
            officer, {"jurisdiction": "TH", "offences": [{"category": "nonsense"}]}
        )
    assert Case.objects.count() == 0


def test_second_saver_gets_a_conflict_not_an_overwrite(
    officer: Any, case: Any, facts: dict[str, Any]
) -> None:
    seen = case.version
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    actions.do_update_facts(officer, first, dict(facts, stage="prosecution"), seen)
    with pytest.raises(actions.Conflict) as err:
        actions.do_update_facts(officer, second, dict(facts, stage="trial"), seen)
    assert err.value.current_version == seen + 1
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.stage == "prosecution" and fresh.version == seen + 1
    assert fresh.assessments.count() == 2


@pytest.mark.parametrize(
    "write",
    [
        lambda u, c, v: actions.do_record_decision(u, c, "not_charged", v, decided_by="x"),
        lambda u, c, v: actions.do_advance_stage(u, c, "trial", v),
        lambda u, c, v: actions.do_update_person(u, c, {"full_name": "y"}, v),
    ],
)
def test_every_case_write_checks_the_version(officer: Any, case: Any, write: Any) -> None:
    with pytest.raises(actions.Conflict):
        write(officer, case, case.version + 5)
    assert Case.objects.get(pk=case.pk).version == 1


def test_referral_updates_check_their_version(
    officer: Any, ngo: Any, case: Any, user_factory: Any
) -> None:
    worker = user_factory("w", "caseworker", ngo)
    r = actions.do_refer(officer, case, ngo, "shelter_and_support", dt.date.today(), case.version)
    stale = Referral.objects.get(pk=r.pk)
    actions.do_update_referral(worker, r, "accepted", r.version)
    with pytest.raises(actions.Conflict):
        actions.do_update_referral(officer, stale, "completed", stale.version)
    assert Referral.objects.get(pk=r.pk).status == "accepted"
    with pytest.raises(ValidationError):
        actions.do_update_referral(worker, r, "withdrawn", r.version)


def test_changed_facts_reassess_and_keep_history(
    officer: Any, case: Any, facts: dict[str, Any]
) -> None:
    adult = dict(facts, person={**facts["person"], "age": 30, "age_disputed": False})
    actions.do_update_facts(officer, case, adult, case.version)
    history = list(case.assessments.order_by("number"))
    assert [a.number for a in history] == [1, 2]
    assert history[0].facts["person"]["age"] == 16 and history[1].facts["person"]["age"] == 30
    assert (
        "child" in history[0].document["risk_flags"]
        and "child" not in history[1].document["risk_flags"]
    )
    assert Case.objects.get(pk=case.pk).child is False


def test_advance_stage_reassesses_for_the_new_stage(officer: Any, case: Any) -> None:
    actions.do_advance_stage(officer, case, "sentencing", case.version, reasons="convicted")
    latest = case.assessments.order_by("-number").first()
    assert latest.document["stage"] == "sentencing" and case.stage == "sentencing"
    with pytest.raises(ValidationError):
        actions.do_advance_stage(officer, case, "identification", case.version)


def test_decision_records_who_and_why(officer: Any, case: Any) -> None:
    ev = actions.do_record_decision(
        officer,
        case,
        "ministerial_permission_refused",
        case.version,
        decided_by="Minister of Justice",
        reasons="Victim of trafficking; s. 41",
        offence="prostitution",
    )
    stored = CaseEvent.objects.get(pk=ev.pk)
    assert (stored.decided_by, stored.reasons, stored.recorded_by) == (
        "Minister of Justice",
        "Victim of trafficking; s. 41",
        officer,
    )
    with pytest.raises(ValidationError):
        actions.do_record_decision(officer, case, "not_charged", case.version, decided_by="")
    with pytest.raises(ValidationError):
        actions.do_record_decision(
            officer, case, "not_charged", case.version, decided_by="x", offence="drugs.trafficking"
        )


def test_overdue_referrals_alert_both_sides(
    officer: Any, ngo: Any, case: Any, user_factory: Any, client: Any
) -> None:
    worker = user_factory("w", "caseworker", ngo)
    r = actions.do_refer(officer, case, ngo, "shelter_and_support", dt.date.today(), case.version)
    Referral.objects.filter(pk=r.pk).update(due_date=dt.date.today() - dt.timedelta(days=3))
    assert list(overdue_referrals(officer)) == [r] and list(overdue_referrals(worker)) == [r]
    page = login(client, worker).get("/").content.decode()
    assert "Overdue referrals" in page and case.reference in page
    actions.do_update_referral(worker, Referral.objects.get(pk=r.pk), "completed", r.version)
    assert not overdue_referrals(officer).exists()


def test_non_case_roles_cannot_write(user_factory: Any, police: Any, facts: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    for role in ("analyst", "steward", "admin"):
        with pytest.raises(PermissionDenied):
            actions.do_create_case(user_factory(f"r-{role}", role, police), facts)


def test_conflict_on_the_web_form_is_shown(officer: Any, case: Any, client: Any) -> None:
    login(client, officer)
    ok = client.post(
        f"/cases/{case.reference}/decision/",
        {"decision": "not_charged", "decided_by": "A", "occurred_on": "2024-03-02", "version": 1},
        follow=True,
    )
    assert "Decision recorded" in ok.content.decode()
    clash = client.post(
        f"/cases/{case.reference}/decision/",
        {"decision": "charged", "decided_by": "B", "occurred_on": "2024-03-02", "version": 1},
        follow=True,
    )
    assert "NOT saved" in clash.content.decode()
    assert case.events.filter(decision="charged").count() == 0
