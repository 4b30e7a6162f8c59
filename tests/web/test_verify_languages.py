"""/verify/ in the user's language: the verdict the browser's script draws (valid, every
reason, the claims, the status lines) comes from the server's catalogue for the active
language, embedded in the page as JSON (``json_script``: data, not script, so the CSP holds),
and so works offline from the page the service worker keeps. Unit tests of the catalogue and
the page; a browser test on a Thai phone, online and offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from chromium import browser_test, phone
from npp.notices.verify import Reason
from npp.web.notices import verify_text

from .test_browser import _fits, _shot

SCRIPT = (
    Path(__file__).resolve().parents[2] / "src/npp/web/static/npp/notices/verify.js"
).read_text(encoding="utf-8")
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue(lang: str) -> dict[str, Any]:
    with translation.override(lang):
        return verify_text.catalogue()


def _page_catalogue(html: str) -> dict[str, Any]:
    m = re.search(r'<script id="verify-text" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page embeds no catalogue"
    return dict(json.loads(m.group(1)))


def test_every_reason_the_verifier_gives_has_a_sentence_in_every_language() -> None:
    english = _catalogue("en")
    assert set(english["reasons"]) == {str(r) for r in Reason}
    for lang in OTHER_LANGUAGES:
        words = _catalogue(lang)
        assert set(words["reasons"]) == set(english["reasons"])
        assert set(words["text"]) == set(english["text"])
        catalog = trans_real.translation(lang)._catalog
        for part in ("reasons", "text"):
            for key, text in words[part].items():
                msgid = english[part][key]
                # in the catalogue, and not left empty (an empty msgstr shows the English)
                assert catalog.get(msgid), f"{lang}: {key} untranslated"
                assert text == catalog[msgid]
                assert set(PLACEHOLDER.findall(text)) == set(
                    PLACEHOLDER.findall(english[part][key])
                ), f"{lang}: {key} lost or gained a placeholder"


def test_the_script_writes_only_words_of_the_catalogue() -> None:
    """Every key the script looks up exists, and no English sentence is left in it."""
    english = _catalogue("en")
    known = set(english["reasons"]) | set(english["text"])
    used = set(re.findall(r'\bt\(\s*"(\w+)"', SCRIPT))
    for pair in re.findall(r'\bt\(\s*navigator\.onLine \? "(\w+)" : "(\w+)"', SCRIPT):
        used |= set(pair)
    used |= set(re.findall(r'\badd\("(\w+)"', SCRIPT))
    used |= {k for k in re.findall(r'add\("\w+", (?:[^,]*\? )?"(\w+)"', SCRIPT)}
    used |= set(re.findall(r'new NotANotice\("(\w+)"\)', SCRIPT))
    assert used and used <= known, used - known
    assert {str(r) for r in Reason} <= used  # the script can give every reason
    code = re.sub(r"^\s*//.*$", "", SCRIPT, flags=re.M)  # comments may be English
    sentences = [
        s
        for s in re.findall(r'"([^"\\\n]*)"', code)
        if re.search(r"[a-z]{2,} [a-z]{2,}", s) and s not in {"use strict", "verdict bad"}
    ]
    assert not sentences, sentences


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["th", "vi", "my"])
def test_the_page_embeds_the_catalogue_of_its_language_as_data(client: Any, lang: str) -> None:
    client.cookies["npp_language"] = lang
    r = client.get("/verify/")
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html
    assert _page_catalogue(html) == _catalogue(lang)
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    with translation.override(lang):
        assert translation.gettext("Verify an identification notice") in html


@pytest.mark.django_db
def test_the_servers_verdict_is_in_the_language_too(client: Any, issued: Any) -> None:
    """Without JavaScript the server answers: its headings and labels are translated."""
    client.cookies["npp_language"] = "th"
    html = client.post("/verify/", {"notice": json.dumps(issued.document)}).content.decode()
    assert "ถูกต้อง" in html and "ออกโดย" in html  # Valid, Issued by
    html = client.post("/verify/", {"notice": "hello"}).content.decode()
    assert "ไม่ใช่หนังสือแจ้ง" in html  # Not a notice


# ------------------------------------------------------------------ in Chromium


@browser_test
@pytest.mark.django_db(transaction=True)
def test_a_thai_phone_sees_the_verdict_in_thai_online_and_offline(
    notice: dict[str, Any], live_server: Any, browser: Any
) -> None:
    th = _catalogue("th")
    base = live_server.url.replace("localhost", "127.0.0.1")
    # a phone set to Thai: Accept-Language picks the page's language
    page, errors = phone(browser, "th-TH")

    page.goto(f"{base}/verify/")
    assert page.get_attribute("html", "lang") == "th"
    page.wait_for_selector("#lists-status[data-loaded]")
    assert th["text"]["lists"].split("%(")[0].strip() in page.inner_text("#lists-status")
    page.set_input_files("input[type=file]", str(notice["qr"]))
    verdict = page.wait_for_selector("[data-testid=verdict].good")
    text = verdict.inner_text()
    assert th["text"]["valid"] in text and th["text"]["issued_by"] in text
    assert th["text"]["checked_here"] in text
    assert "Valid" not in text and "Issued by" not in text
    _fits(page)
    _shot(page, "notice-verified-th")

    altered = dict(notice["document"])
    altered["claims"] = dict(altered["claims"], status="formal")
    page.fill("textarea", json.dumps(altered))
    page.click("#verify-form button[type=submit]")
    li = page.wait_for_selector("[data-testid=verdict].bad li[data-code=altered_claims]")
    assert li.inner_text() == th["reasons"]["altered_claims"]
    assert th["text"]["not_valid"] in page.inner_text("[data-testid=verdict]")

    page.fill("textarea", "hello")
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("[data-testid=verdict].bad")
    assert th["text"]["not_a_notice"] in page.inner_text("[data-testid=verdict]")

    # Offline, from the page the service worker kept: still Thai.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#lists-status[data-loaded]")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#lists-status[data-loaded]")
    assert "ออฟไลน์" in page.inner_text("#lists-status")  # "offline"
    forged = notice["document"]["jws"][:-6] + "AAAAAA"
    page.fill("textarea", forged)
    page.click("#verify-form button[type=submit]")
    li = page.wait_for_selector("[data-testid=verdict].bad li[data-code=bad_signature]")
    assert li.inner_text() == th["reasons"]["bad_signature"]
    assert th["text"]["checked_here_offline"] in page.inner_text("[data-testid=verdict]")
    _shot(page, "notice-offline-forged-th")
    assert not [e for e in errors if "Failed to load" not in e], errors
