"""Django test configuration for the web application (issue #4).

Settings come from the environment, as in production; the values below are test-only keys.
The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npp.web.settings")
os.environ.setdefault("NPP_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("NPP_ENCRYPTION_KEY", "q6Z0wB2uX8hYbQm3kM8v1xJcH0yqTn7pV9Rk1sLd2aE=")
os.environ.setdefault("NPP_HTTPS", "0")
os.environ.setdefault("NPP_DB_CONN_MAX_AGE", "0")  # live-server threads must not keep connections
os.environ.setdefault("NPP_DATA_DIR", tempfile.mkdtemp(prefix="npp-test-"))

import django
import pytest

django.setup()  # test modules import models at collection time

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "th-raid-minor.json"


def th_facts(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    facts.update(changes)
    return facts


@pytest.fixture
def facts() -> dict[str, Any]:
    return th_facts()


@pytest.fixture
def org_factory(db: Any) -> Any:
    from npp.web.accounts.actions import do_create_organisation

    def make(code: str, kind: str = "police", jurisdiction: str = "TH") -> Any:
        return do_create_organisation(
            None, code=code, name=f"{code} name", kind=kind, jurisdiction=jurisdiction
        )

    return make


@pytest.fixture
def user_factory(db: Any) -> Any:
    import pyotp

    from npp.web.accounts.actions import do_create_user
    from npp.web.roles import TWO_FACTOR_ROLES

    def make(
        username: str,
        role: str,
        org: Any,
        *,
        password: str = "a-long-test-password",
        totp: bool | None = None,
    ) -> Any:
        with_totp = role in TWO_FACTOR_ROLES if totp is None else totp
        return do_create_user(
            None,
            username=username,
            password=password,
            role=role,
            organisation=org,
            totp_secret=pyotp.random_base32() if with_totp else None,
        )

    return make


@pytest.fixture
def police(org_factory: Any) -> Any:
    return org_factory("th-police", "police")


@pytest.fixture
def ngo(org_factory: Any) -> Any:
    return org_factory("th-ngo", "ngo")


@pytest.fixture
def officer(user_factory: Any, police: Any) -> Any:
    return user_factory("officer", "frontline", police)


@pytest.fixture
def case(officer: Any, facts: dict[str, Any]) -> Any:
    from npp.web.cases.actions import do_create_case

    return do_create_case(
        officer, facts, person={"full_name": "Test Person Alpha", "document_numbers": "P1234567"}
    )


def login(client: Any, user: Any) -> Any:
    """Sign ``user`` in on the test client as if both factors were given."""
    client.force_login(user)
    session = client.session
    session["npp_2fa"] = True
    session.save()
    return client


@pytest.fixture
def token_for(db: Any) -> Any:
    from npp.web.accounts.actions import do_create_token

    def make(user: Any) -> str:
        return do_create_token(None, user)

    return make


@pytest.fixture
def issued(police: Any, officer: Any, case: Any) -> Any:
    """An identification notice issued from ``case`` by the police (authorised, consent given)."""
    from npp.web.notices import actions

    actions.do_authorise_issuer("cli:admin", police, ["formal_identification"])
    actions.do_record_consent(officer, case)
    return actions.do_issue_notice(officer, case, valid_days=30)


@pytest.fixture
def notice(issued: Any, tmp_path: Path) -> dict[str, Any]:
    """The issued notice's document, and its QR code as the one-page PDF carries it (PNG)."""
    import io

    from pypdf import PdfReader

    from npp.web.notices.pdf import notice_pdf

    (page,) = PdfReader(io.BytesIO(notice_pdf(issued.notice))).pages  # one page
    (image,) = page.images
    qr = tmp_path / "qr.png"
    qr.write_bytes(image.data)
    return {"document": issued.document, "qr": qr}
