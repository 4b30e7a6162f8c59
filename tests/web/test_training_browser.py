"""Browser journeys for training (Chromium via Playwright, 375 px phone screen): a learner
practises one scenario without an account; a trainer runs a group session that a participant
joins with the code. Skipped, with the reason, where Chromium is not installed."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest

from chromium import BROWSER_MARKS

from .test_browser import _fits, _shot

SID = "th-karaoke-raid-disputed-age"

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainer(user_factory: Any, org_factory: Any) -> dict[str, Any]:
    from npp.web.accounts.models import User

    u = user_factory("trainer", "frontline", org_factory("th-police"), password="browser-pass-12")
    return {"totp": User.objects.get(pk=u.pk).totp_secret}


def _phone(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 375, "height": 812}, locale="en-GB")


def test_learner_practises_a_scenario_on_a_phone(live_server: Any, browser: Any) -> None:
    ctx = _phone(browser)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/training/?role=frontline&jurisdiction=TH")
    _fits(page)
    page.click("text=After the raid: the girl who says she is 19")
    page.wait_for_url(f"**/training/{SID}/?role=frontline")
    assert "Savannakhet" in page.inner_text(".narrative")
    _fits(page)
    # Q1: no credible suspicion (wrong) -> the law's answer, the explanation, the misconception.
    page.check("#q1 input[value=no]")
    page.click("#q1 button.primary")
    page.wait_for_selector("#q1 .result.wrong")
    q1 = page.inner_text("#q1")
    assert "Not quite." in q1 and "The law's answer: Yes" in q1
    assert "She agreed to the work" in q1
    # The outcome of prostitution in Thailand (q3): right.
    page.check("#q3 input[value=ministerial_permission_required]")
    page.click("#q3 button.primary")
    page.wait_for_selector("#q3 .result.right")
    assert "Right" in page.inner_text("#q3 .verdict")
    _fits(page)
    _shot(page, "training-1-scenario")
    # The same page in Thai: the interface changes language, the scenario stays readable.
    page.select_option("select[name=language]", "th")
    page.wait_for_selector("html[lang=th]")
    _fits(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    ctx.close()


def test_trainer_runs_a_group_session_that_a_participant_joins(
    trainer: dict[str, Any], live_server: Any, browser: Any
) -> None:
    base = live_server.url
    tctx = _phone(browser)
    t = tctx.new_page()
    t.goto(f"{base}/accounts/login/")
    t.fill("input[name=username]", "trainer")
    t.fill("input[name=password]", "browser-pass-12")
    t.click("button[type=submit].primary")
    t.wait_for_url("**/accounts/login/code/")
    t.fill("input[name=code]", pyotp.TOTP(trainer["totp"]).now())
    t.click("button[type=submit].primary")
    t.wait_for_url(f"{base}/")
    t.goto(f"{base}/training/sessions/new/")
    t.select_option("select[name=role]", "frontline")
    t.check(f"input[name=scenarios][value={SID}]")
    t.click("text=Create the session")
    t.wait_for_url(re.compile(r".*/training/sessions/[A-Z2-9]{6}/$"))
    code = t.inner_text("#join-code").strip()
    _fits(t)

    # A participant joins with the code, without an account, and answers.
    pctx = _phone(browser)
    p = pctx.new_page()
    p.goto(f"{base}/training/join/")
    p.fill("input[name=code]", code.lower())
    p.click("button.primary")
    p.wait_for_url(f"**/training/join/{code}/")
    p.check(f"#{SID}-q1 input[value=yes]")
    p.click(f"#{SID}-q1 button.primary")
    p.wait_for_selector(f"#{SID}-q1 .sent")
    assert "The law's answer" not in p.inner_text(f"#{SID}-q1")
    _fits(p)

    # The trainer sees the count (no names) and shows the answer.
    t.reload()
    assert re.search(r"Yes\s+1", t.inner_text(f"#{SID}-q1 table"))
    assert "1 participant has answered" in t.inner_text("main")
    t.click(f"#{SID}-q1 button:has-text('Show the answer to the group')")
    t.wait_for_selector(f"#{SID}-q1 .result")
    _shot(t, "training-2-trainer")

    p.reload()
    p.wait_for_selector(f"#{SID}-q1 .result.right")
    assert "The law's answer: Yes" in p.inner_text(f"#{SID}-q1")
    _fits(p)
    _shot(p, "training-3-participant")
    tctx.close()
    pctx.close()
