"""Sign-in: password then TOTP, enrolment, throttling, replay, idle timeout, CSRF."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from npp.web.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _password(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(user: Any, offset: int = 0) -> str:
    totp = pyotp.TOTP(User.objects.get(pk=user.pk).totp_secret)
    return totp.at(time.time() + offset)


def test_password_then_code(client: Client, officer: Any) -> None:
    r = _password(client, "officer")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get("/cases/").status_code == 302
    r = client.post("/accounts/login/code/", {"code": _code(officer)})
    assert r.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_wrong_code_then_replay_refused(client: Client, officer: Any) -> None:
    _password(client, "officer")
    r = client.post(
        "/accounts/login/code/", {"code": "000000" if _code(officer) != "000000" else "111111"}
    )
    assert r.status_code == 200 and "not valid" in r.content.decode()
    code = _code(officer)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    other = Client()
    _password(other, "officer")
    r = other.post("/accounts/login/code/", {"code": code})  # the same code again: a replay
    assert r.status_code == 200


def test_case_role_without_totp_must_enrol(client: Client, user_factory: Any, police: Any) -> None:
    user = user_factory("newbie", "prosecutor", police, totp=False)
    r = _password(client, "newbie")
    assert r["Location"] == "/accounts/login/setup/"
    page = client.get("/accounts/login/setup/").content.decode()
    assert "data:image/svg+xml;base64," in page
    secret = client.session["npp_totp_new"]
    r = client.post("/accounts/login/setup/", {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.has_totp and user.totp_secret == secret
    assert client.get("/cases/").status_code == 200


def test_analyst_needs_no_second_factor(client: Client, user_factory: Any, police: Any) -> None:
    user_factory("ana", "analyst", police)
    r = _password(client, "ana")
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/cases/statistics/").status_code == 200


def test_throttling_blocks_even_the_right_password(
    client: Client, officer: Any, settings: Any
) -> None:
    for _ in range(settings.NPP_LOGIN_MAX_FAILURES):
        r = _password(client, "officer", "wrong-password")
        assert "Wrong username or password" in r.content.decode()
    r = _password(client, "officer")
    assert r.status_code == 200 and "Too many failed attempts" in r.content.decode()


def test_idle_timeout_signs_out(client: Client, officer: Any, settings: Any) -> None:
    from .conftest import login

    login(client, officer)
    assert client.get("/cases/").status_code == 200
    session = client.session
    session["npp_seen"] = int(time.time()) - settings.NPP_IDLE_TIMEOUT - 5
    session.save()
    r = client.get("/cases/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/cases/").status_code == 302


def test_session_without_second_factor_is_refused(client: Client, officer: Any) -> None:
    client.force_login(officer)  # no npp_2fa flag: e.g. a role changed after sign-in
    r = client.get("/cases/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_login_needs_csrf(officer: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _password(client, "officer").status_code == 403


def test_logout_is_post_only(client: Client, officer: Any) -> None:
    from .conftest import login

    login(client, officer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/cases/").status_code == 302


def test_open_redirect_refused(client: Client, user_factory: Any, police: Any) -> None:
    user_factory("ana", "analyst", police)
    r = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "ana", "password": PASSWORD}
    )
    assert r["Location"] == "/"


def test_demo_accounts_only_in_demo_mode(
    client: Client, user_factory: Any, police: Any, settings: Any
) -> None:
    user_factory("demo-frontline", "frontline", police)
    settings.DEMO = False
    assert "demo-frontline" not in client.get("/accounts/login/").content.decode()
    settings.DEMO = True
    assert "demo-frontline" in client.get("/accounts/login/").content.decode()
