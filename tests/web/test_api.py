"""Contract §4: POST /api/v1/assessments, GET /api/v1/schema/, token and session auth."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from npp.cli.main import app as cli
from npp.web.audit.models import AuditEntry

from .conftest import login

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


@pytest.fixture
def prosecutor(user_factory: Any, org_factory: Any) -> Any:
    return user_factory("prosecutor", "prosecutor", org_factory("th-prosecution", "prosecution"))


def post(client: Any, data: Any, **extra: Any) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **extra)


def test_assessment_200_is_the_engine_document(
    client: Client, prosecutor: Any, token_for: Any, facts: dict[str, Any]
) -> None:
    import npp

    r = post(client, facts, HTTP_AUTHORIZATION=f"Token {token_for(prosecutor)}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["contract"] == "npp.assessment/1"
    for key in (
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
    ):
        assert key in doc
    expected = json.loads(json.dumps(npp.engine().assess_data(facts).document, default=str))
    assert doc == expected


def test_assessment_400_lists_each_problem(client: Client, prosecutor: Any, token_for: Any) -> None:
    r = post(
        client,
        {"jurisdiction": "TH", "person": {"age": 200}, "offences": []},
        HTTP_AUTHORIZATION=f"Token {token_for(prosecutor)}",
    )
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"errors"}
    assert {"field": "person.age", "problem": "must be between 0 and 120"} in body["errors"]
    assert all(set(e) == {"field", "problem"} for e in body["errors"])


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", '"text"'])
def test_assessment_400_for_unusable_bodies(
    client: Client, prosecutor: Any, token_for: Any, payload: str
) -> None:
    r = post(client, payload, HTTP_AUTHORIZATION=f"Token {token_for(prosecutor)}")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert errors and all(set(e) == {"field", "problem"} for e in errors)


def test_assessment_401_without_credentials(client: Client, facts: dict[str, Any]) -> None:
    r = post(client, facts)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Token"


def test_assessment_401_with_a_bad_or_revoked_token(
    client: Client, prosecutor: Any, token_for: Any, facts: dict[str, Any]
) -> None:
    assert post(client, facts, HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401
    key = token_for(prosecutor)
    from npp.web.accounts.actions import do_revoke_token
    from npp.web.accounts.models import ApiToken

    do_revoke_token(None, ApiToken.objects.get(prefix=key[:8]))
    assert post(client, facts, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_token_is_stored_hashed(prosecutor: Any, token_for: Any) -> None:
    from npp.web.accounts.models import ApiToken

    key = token_for(prosecutor)
    stored = ApiToken.objects.get(user=prosecutor)
    assert key not in (stored.key_hash, stored.prefix) and stored.prefix == key[:8]


def test_session_auth_needs_csrf(prosecutor: Any, facts: dict[str, Any]) -> None:
    client = login(Client(enforce_csrf_checks=True), prosecutor)
    r = post(client, facts)
    assert r.status_code == 403
    client.get("/accounts/login/")  # sets the CSRF cookie
    from django.conf import settings

    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    r = post(client, facts, HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200


def test_every_role_may_assess(
    user_factory: Any, police: Any, client: Client, token_for: Any, facts: dict[str, Any]
) -> None:
    from npp.web.roles import Role

    for role in Role.values:
        u = user_factory(f"a-{role}", role, police)
        assert post(client, facts, HTTP_AUTHORIZATION=f"Token {token_for(u)}").status_code == 200


def test_assessment_stores_nothing(
    client: Client, prosecutor: Any, token_for: Any, facts: dict[str, Any]
) -> None:
    from npp.web.cases.models import Case

    key = token_for(prosecutor)
    before = AuditEntry.objects.count()
    post(client, facts, HTTP_AUTHORIZATION=f"Token {key}")
    assert Case.objects.count() == 0 and AuditEntry.objects.count() == before


def test_schema(client: Client) -> None:
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    schema = json.loads(r.content)
    assert schema["openapi"].startswith("3.")
    assert "post" in schema["paths"]["/api/v1/assessments"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert client.get("/api/v1/docs/").status_code == 200


def test_token_create_command(prosecutor: Any, client: Client, facts: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["token", "create", "prosecutor"])
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert len(key) == 40
    assert post(client, facts, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_token_create_unknown_user() -> None:
    result = CliRunner().invoke(cli, ["token", "create", "nobody"])
    assert result.exit_code == 2
    assert "USERNAME" in result.output


# ----------------------------------------------------------------------------- cases API


def test_case_lifecycle_over_the_api(
    client: Client, officer: Any, token_for: Any, facts: dict[str, Any], ngo: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for(officer)}"}

    def call(method: str, url: str, data: Any = None) -> Any:
        return getattr(client, method)(
            url,
            json.dumps(data) if data is not None else None,
            content_type="application/json",
            **auth,
        )

    r = call(
        "post",
        "/api/v1/cases",
        {"facts": facts, "person": {"full_name": "Api Person"}, "province": "Bangkok"},
    )
    assert r.status_code == 201, r.content
    ref, version = r.json()["reference"], r.json()["version"]
    detail = call("get", f"/api/v1/cases/{ref}").json()
    assert detail["assessment"][
        "contract"
    ] == "npp.assessment/1" and "Api Person" not in json.dumps(detail)
    person = call("get", f"/api/v1/cases/{ref}/person").json()
    assert person["full_name"] == "Api Person"
    r = call(
        "post",
        f"/api/v1/cases/{ref}/decisions",
        {
            "decision": "not_charged",
            "decided_by": "Inspector",
            "reasons": "victim",
            "version": version,
        },
    )
    assert r.status_code == 201
    # a second writer with the old version: 409, nothing written
    r = call(
        "post",
        f"/api/v1/cases/{ref}/decisions",
        {"decision": "charged", "decided_by": "Inspector", "version": version},
    )
    assert r.status_code == 409 and r.json()["current_version"] == version + 1
    r = call("post", f"/api/v1/cases/{ref}/stage", {"stage": "prosecution", "version": version + 1})
    assert r.status_code == 200 and r.json()["stage"] == "prosecution"
    r = call(
        "post",
        f"/api/v1/cases/{ref}/referrals",
        {
            "to_organisation": ngo.code,
            "purpose": "shelter_and_support",
            "due_date": "2099-01-01",
            "version": version + 2,
        },
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    r = call("patch", f"/api/v1/cases/{ref}/referrals/{rid}", {"status": "accepted", "version": 1})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    new_facts = dict(facts, offences=[{"category": "prostitution"}])
    r = call("put", f"/api/v1/cases/{ref}/facts", {"facts": new_facts, "version": version + 3})
    assert r.status_code == 200 and len(r.json()["assessments"]) == 3
    r = call(
        "put",
        f"/api/v1/cases/{ref}/facts",
        {"facts": {"jurisdiction": "XX"}, "version": version + 4},
    )
    assert r.status_code == 400 and r.json()["errors"]
    events = set(AuditEntry.objects.filter(target=ref).values_list("event", flat=True))
    assert {
        "case.created",
        "case.viewed",
        "case.person_viewed",
        "case.decision_recorded",
        "case.stage_advanced",
        "referral.created",
        "referral.updated",
        "case.facts_changed",
    } <= events


def test_case_api_forbidden_for_non_case_roles(
    client: Client, user_factory: Any, police: Any, token_for: Any, facts: dict[str, Any]
) -> None:
    analyst = user_factory("analyst", "analyst", police)
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for(analyst)}"}
    assert client.get("/api/v1/cases", **auth).status_code == 403
    r = client.post(
        "/api/v1/cases", json.dumps({"facts": facts}), content_type="application/json", **auth
    )
    assert r.status_code == 403
