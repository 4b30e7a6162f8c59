"""ONE access function decides who sees a case; a test per role proves it (web and API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from npp.web.access import get_case, may_see_identity, visible_cases
from npp.web.cases import actions
from npp.web.roles import CASE_ROLES, Role

from .conftest import login

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]


def _urls(ref: str) -> list[str]:
    return [
        f"/cases/{ref}/",
        f"/cases/{ref}/history/",
        f"/cases/{ref}/record.pdf",
        f"/cases/{ref}/person/",
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_same_organisation(
    role: str, user_factory: Any, police: Any, case: Any, client: Any, token_for: Any
) -> None:
    """Own organisation: visible to the roles that work on cases; 404 for every other role."""
    user = user_factory(f"u-{role}", role, police)
    sees = role in CASE_ROLES
    assert (case in visible_cases(user)) is sees
    login(client, user)
    api = {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}
    if sees:
        assert get_case(user, case.reference) == case
        assert client.get(f"/cases/{case.reference}/").status_code == 200
        assert client.get(f"/api/v1/cases/{case.reference}", **api).status_code == 200
    else:
        for url in _urls(case.reference):
            assert client.get(url).status_code in {403, 404}
        assert client.get(f"/cases/{case.reference}/").status_code in {403, 404}
        r = client.get(f"/api/v1/cases/{case.reference}", **api)
        assert r.status_code in {403, 404}
        # never the case itself
        assert case.reference not in r.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_other_organisation_gets_404(
    role: str, user_factory: Any, org_factory: Any, case: Any, client: Any, token_for: Any
) -> None:
    other = org_factory("my-police", "police", "MY")
    user = user_factory(f"x-{role}", role, other)
    assert case not in visible_cases(user)
    login(client, user)
    if role in CASE_ROLES:
        for url in _urls(case.reference):
            assert client.get(url).status_code == 404, url
        api = {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}
        assert client.get(f"/api/v1/cases/{case.reference}", **api).status_code == 404
        assert client.get(f"/api/v1/cases/{case.reference}/person", **api).status_code == 404
        r = client.post(
            f"/api/v1/cases/{case.reference}/decisions",
            {"decision": "not_charged", "decided_by": "x", "version": case.version},
            content_type="application/json",
            **api,
        )
        assert r.status_code == 404
        # the same answer as for a case that does not exist
        assert client.get("/cases/TH-NOSUCH00/").status_code == 404


@pytest.mark.parametrize("role", sorted(CASE_ROLES))
def test_referral_shares_the_case(
    role: str, user_factory: Any, officer: Any, ngo: Any, case: Any, client: Any
) -> None:
    user = user_factory(f"n-{role}", role, ngo)
    assert case not in visible_cases(user)
    actions.do_refer(officer, case, ngo, "shelter_and_support", dt.date.today(), case.version)
    assert case in visible_cases(user)
    assert not may_see_identity(user, case)
    login(client, user)
    assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert client.get(f"/cases/{case.reference}/person/").status_code == 403


def test_identity_shared_only_when_referral_says_so(
    user_factory: Any, officer: Any, ngo: Any, case: Any, client: Any
) -> None:
    worker = user_factory("caseworker", "caseworker", ngo)
    actions.do_refer(
        officer,
        case,
        ngo,
        "shelter_and_support",
        dt.date.today(),
        case.version,
        share_identity=True,
    )
    assert may_see_identity(worker, case)
    login(client, worker)
    r = client.get(f"/cases/{case.reference}/person/")
    assert r.status_code == 200
    assert "Test Person Alpha" in r.content.decode()


def test_withdrawn_referral_hides_the_case(
    user_factory: Any, officer: Any, ngo: Any, case: Any
) -> None:
    worker = user_factory("caseworker", "caseworker", ngo)
    r = actions.do_refer(officer, case, ngo, "shelter_and_support", dt.date.today(), case.version)
    assert case in visible_cases(worker)
    actions.do_update_referral(officer, r, "withdrawn", r.version)
    assert case not in visible_cases(worker)


def test_anonymous(case: Any, client: Any) -> None:
    assert case not in visible_cases(None)
    r = client.get(f"/cases/{case.reference}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get(f"/api/v1/cases/{case.reference}").status_code == 401


def test_inactive_user_sees_nothing(officer: Any, case: Any) -> None:
    officer.is_active = False
    assert case not in visible_cases(officer)


def test_case_list_shows_only_visible(
    user_factory: Any, org_factory: Any, officer: Any, case: Any, client: Any, facts: dict[str, Any]
) -> None:
    other_org = org_factory("th-immigration", "immigration")
    other = user_factory("other", "frontline", other_org)
    theirs = actions.do_create_case(other, facts)
    login(client, officer)
    page = client.get("/cases/").content.decode()
    assert case.reference in page and theirs.reference not in page
    api = client.get("/api/v1/cases").json()
    assert [c["reference"] for c in api] == [case.reference]
