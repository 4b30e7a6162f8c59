"""Production settings: secure by default, and refuse to start without the two keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from .conftest import login

KEY = "q6Z0wB2uX8hYbQm3kM8v1xJcH0yqTn7pV9Rk1sLd2aE="
PROBE = (
    "import json, django; from django.conf import settings as s; django.setup();"
    "print(json.dumps({k: getattr(s, k, None) for k in ['DEBUG', 'SECURE_HSTS_SECONDS', "
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'NPP_ENCRYPTION_KEYS', "
    "'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', 'ALLOWED_HOSTS']}))"
)


def run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NPP_", "DJANGO_", "DATABASE_URL"))
    }
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "npp.web.settings", "NPP_DATA_DIR": str(tmp_path)}, **env
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60
    )


def test_refuses_without_secret_key(tmp_path: Path) -> None:
    r = run({"NPP_ENCRYPTION_KEY": KEY}, tmp_path)
    assert r.returncode != 0 and "NPP_SECRET_KEY" in r.stderr and "Refusing to start" in r.stderr


def test_refuses_without_encryption_key(tmp_path: Path) -> None:
    r = run({"NPP_SECRET_KEY": "s" * 50}, tmp_path)
    assert r.returncode != 0 and "NPP_ENCRYPTION_KEY" in r.stderr


def test_refuses_a_malformed_encryption_key(tmp_path: Path) -> None:
    r = run({"NPP_SECRET_KEY": "s" * 50, "NPP_ENCRYPTION_KEY": "not-a-key"}, tmp_path)
    assert r.returncode != 0 and "not a Fernet key" in r.stderr


def test_secure_by_default_and_file_variants(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("f" * 50)
    (tmp_path / "enc").write_text(f"{KEY}\n")
    r = run(
        {
            "NPP_SECRET_KEY_FILE": str(tmp_path / "secret"),
            "NPP_ENCRYPTION_KEY_FILE": str(tmp_path / "enc"),
        },
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["DEBUG"] is False
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SESSION_COOKIE_HTTPONLY"] and s["X_FRAME_OPTIONS"] == "DENY"
    assert s["NPP_ENCRYPTION_KEYS"] == [KEY]


def test_key_rotation_list(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    new = Fernet.generate_key().decode()
    r = run({"NPP_SECRET_KEY": "s" * 50, "NPP_ENCRYPTION_KEY": f"{new},{KEY}"}, tmp_path)
    assert json.loads(r.stdout)["NPP_ENCRYPTION_KEYS"] == [new, KEY]


def test_demo_mode_generates_keys_once(tmp_path: Path) -> None:
    first = run({"NPP_DEMO": "1"}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "demo-keys.json").stat().st_mode & 0o077 == 0
    second = run({"NPP_DEMO": "1"}, tmp_path)
    assert (
        json.loads(first.stdout)["NPP_ENCRYPTION_KEYS"]
        == json.loads(second.stdout)["NPP_ENCRYPTION_KEYS"]
    )
    assert (
        json.loads(first.stdout)["SESSION_COOKIE_SECURE"] is None
        or not json.loads(first.stdout)["SESSION_COOKIE_SECURE"]
    )


@pytest.mark.django_db
def test_security_headers(client: Client) -> None:
    r = client.get("/law/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_private_pages_are_not_cached(client: Client, officer: Any, case: Any) -> None:
    login(client, officer)
    r = client.get(f"/cases/{case.reference}/")
    assert "no-store" in r["Cache-Control"] or "no-cache" in r["Cache-Control"]


@pytest.mark.django_db
def test_error_pages_show_no_request_data(client: Client) -> None:
    r = client.get("/cases/TH-SECRETNAME/")
    assert r.status_code in {302, 404}
    r = client.get("/law/instruments/Jane-Doe-passport-123/")
    assert r.status_code == 404 and "Jane-Doe" not in r.content.decode()


def test_log_filter_drops_messages_and_queries() -> None:
    import logging

    from npp.web.middleware import RedactFilter

    name, passport = "Som" + "chai", "P" + "123"
    try:
        raise ValueError(f"name={name} passport={passport}")
    except ValueError:
        rec = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/cases/x/?name=Somchai",),
            sys.exc_info(),
        )
    RedactFilter().filter(rec)
    text = logging.Formatter().format(rec)
    assert "Somchai" not in text and "P123" not in text and "/cases/x/" in text


def test_server_error_page_needs_nothing_from_the_request() -> None:
    from django.test import RequestFactory

    from npp.web.views import error_500

    r = error_500(RequestFactory().get("/cases/TH-X/?name=Somchai"))
    assert r.status_code == 500 and b"Somchai" not in r.content
