"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

One practitioner's path on a 375 px phone screen: sign in with a TOTP code, run the guided
assessment, save the case, refer it, advance a stage, download the decision record and check
its text, switch the language. Skipped, with the reason, where Chromium is not installed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pyotp
import pytest

from chromium import BROWSER_MARKS

SHOTS = Path(os.environ.get("NPP_SCREENSHOTS", "/tmp/npp-screens"))

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(user_factory: Any, org_factory: Any) -> dict[str, Any]:
    police = org_factory("th-police-bkk", "police")
    shelter = org_factory("th-shelter", "ngo")
    officer = user_factory("officer", "frontline", police, password="browser-test-password")
    from npp.web.accounts.models import User

    secret = User.objects.get(pk=officer.pk).totp_secret
    # Read everything the test needs here: once Playwright runs, the test body runs in a
    # greenlet whose database connection would outlive the test.
    return {"shelter_name": shelter.name, "totp": secret}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"


def test_practitioner_journey_on_a_phone(
    people: dict[str, Any], live_server: Any, browser: Any
) -> None:
    ctx = browser.new_context(
        viewport={"width": 375, "height": 812}, accept_downloads=True, locale="en-GB"
    )
    page = ctx.new_page()
    base = live_server.url

    # Sign in: password, then the TOTP code.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "browser-test-password")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/accounts/login/code/")
    page.fill("input[name=code]", pyotp.TOTP(people["totp"]).now())
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    assert "Cases of" in page.content()

    # The guided assessment.
    page.goto(f"{base}/assess/?new=1")
    page.check("input[name=jurisdiction][value=TH]")
    page.fill("input[name=offence_date]", "2024-03-01")
    _fits(page)
    _shot(page, "1-where")
    page.click("button[value=next]")
    page.check("input[name=stage][value=arrest_and_charge]")
    page.click("button[value=next]")
    page.fill("input[name=age]", "16")
    assert not page.is_checked("input[name=age_unknown]")  # typing an age clears "don't know"
    page.check("input[name=sex][value=female]")
    page.select_option("select[name=nationality]", "LA")
    page.check("input[name=victim_status][value=potential]")
    _fits(page)
    _shot(page, "2-person")
    page.click("button[value=next]")
    page.check("input[name=offences][value=prostitution]")
    page.check("input[name=offences][value='immigration.illegal_entry']")
    page.click("button[value=next]")
    page.check("input[name=acts][value=recruitment]")
    page.check("input[name=purposes][value=sexual_exploitation]")
    page.click("button[value=next]")
    assert "means" not in page.url  # a 16-year-old is not asked about means
    page.check("input[name=under_control_at_offence][value=yes]")
    page.click("button[value=next]")
    page.wait_for_url("**/assess/result/")
    text = page.inner_text("main")
    for expected in (
        "Possible victim of trafficking",
        "What to do now",
        "Citations",
        "Recommendation",
    ):
        assert expected in text
    _fits(page)
    _shot(page, "3-result")

    # Save as a case.
    page.fill("input[name=province]", "Bangkok")
    page.click("text=Save as a case")
    page.wait_for_url("**/cases/TH-*/")
    reference = page.url.rstrip("/").split("/")[-1]
    assert f"Case {reference} saved" in page.content()
    _fits(page)

    # Refer it to the shelter.
    page.click("text=Refer to another organisation")
    page.select_option("select[name=to_org]", label=people["shelter_name"])
    page.select_option("select[name=purpose]", "shelter_and_support")
    page.fill("input[name=due_date]", "2099-01-31")
    page.click("button:has-text('Refer')")
    assert "Referred to" in page.inner_text("main")

    # Advance a stage.
    page.select_option("select[name=stage]", "prosecution")
    page.click("button:has-text('Advance stage')")
    assert "re-assessed" in page.inner_text("main")
    _shot(page, "4-case")

    # Download the decision record.
    with page.expect_download() as dl:
        page.click("[data-testid=pdf]")
    data = Path(dl.value.path()).read_bytes()
    from pypdf import PdfReader

    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert reference in pdf_text and "Decision record" in pdf_text

    # Switch the language (the select submits itself).
    page.select_option("select[name=language]", "th")
    page.wait_for_selector("html[lang=th]")
    assert "ออกจากระบบ" in page.content()
    _shot(page, "5-thai")
    ctx.close()


def test_law_pages_need_no_login(live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{live_server.url}/law/matrix/")
    assert "Comparative matrix" in page.inner_text("h1")
    page.goto(f"{live_server.url}/law/search/?q=permission")
    assert "result" in page.inner_text("main")
    page.close()
