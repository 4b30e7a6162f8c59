"""/verify/ in Chromium on a 375 px phone, signed out: the QR code of the notice PDF is
taken out of the PDF, uploaded as a picture, decoded in the page (vendored jsQR) and verified
there (WebCrypto Ed25519); an altered notice is refused with its reason; and once visited the
page keeps verifying with the network off (service worker). Skipped where Chromium is not
installed, like the other browser tests."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chromium import BROWSER_MARKS, phone

from .test_browser import _fits, _shot

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


def test_verify_page_reads_the_pdfs_qr_code_and_works_offline_on_a_phone(
    notice: dict[str, Any], live_server: Any, browser: Any
) -> None:
    base = live_server.url.replace("localhost", "127.0.0.1")
    page, errors = phone(browser, "en-GB")

    page.goto(f"{base}/verify/")
    page.wait_for_selector("#lists-status[data-loaded]")
    page.set_input_files("input[type=file]", str(notice["qr"]))
    verdict = page.wait_for_selector("[data-testid=verdict].good")
    text = verdict.inner_text()
    assert "Valid" in text and "Alpha" in text and "th-police" in text
    assert page.input_value("textarea") == notice["document"]["jws"]
    _fits(page)
    _shot(page, "notice-verified")

    altered = dict(notice["document"])
    altered["claims"] = dict(altered["claims"], status="formal")
    page.fill("textarea", json.dumps(altered))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("[data-testid=verdict].bad li[data-code=altered_claims]")

    # Offline: the service worker keeps the page, its code and the lists.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#lists-status[data-loaded]")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#lists-status[data-loaded]")
    assert "offline" in page.inner_text("#lists-status")
    page.fill("textarea", notice["document"]["jws"])
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("[data-testid=verdict].good")
    forged = notice["document"]["jws"][:-6] + "AAAAAA"
    page.fill("textarea", forged)
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("[data-testid=verdict].bad li[data-code=bad_signature]")
    _shot(page, "notice-offline-forged")
    assert not [e for e in errors if "Failed to load" not in e], errors
