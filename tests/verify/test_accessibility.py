"""Accessibility: axe-core on every main page, and the guided assessment by keyboard alone.

Debian's Chromium (``/usr/bin/chromium``) is driven by Playwright (Python) against a live
server holding the synthetic demo data; axe-core comes from the npm registry, pinned in
``tests/a11y/package.json`` (``npm ci`` in ``tests/a11y``, done by ``.ci/run``), and is
injected into each page (the context bypasses the app's Content-Security-Policy for that
script only). Pages: sign-in and its code step, the dashboard, case list, case detail,
personal details, history, referrals, every step of the guided assessment and its result,
the law pages, comparison, gaps, guides, statistics and monitoring. Required: no serious or
critical violation; all violations are written to ``out/verify/axe.json``.

The keyboard test signs in, answers the guided assessment and saves it as a case using only
Tab, Shift+Tab, arrow keys, Space, Enter and typing — every control it uses must be reached
with Tab and show where the focus is.
"""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from chromium import BROWSER_MARKS

from .conftest import ROOT, report

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

pytestmark = [
    *BROWSER_MARKS,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run npm ci in tests/a11y"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(settings: Any) -> dict[str, Any]:
    """The synthetic demo data (a smaller set): organisations, one user per role, cases."""
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from npp.web import demo as demo_data
    from npp.web.accounts.models import User
    from npp.web.cases.models import Case, Referral

    demo_data.load(40)
    prosecutor = User.objects.get(username="demo-prosecutor")
    from npp.web.access import visible_cases

    case = visible_cases(prosecutor).filter(organisation=prosecutor.organisation).first()
    case = case or visible_cases(prosecutor).first() or Case.objects.first()
    assert case is not None
    referral = Referral.objects.filter(to_org=prosecutor.organisation).first()
    return {
        "totp": {
            u.username: u.totp_secret for u in User.objects.filter(username__startswith="demo-")
        },
        "case": case.reference,
        "referred": referral.case.reference if referral else None,
    }


WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


def _context(browser: Any, width: str = "desktop") -> Any:
    return browser.new_context(viewport=WIDTHS[width], locale="en-GB", bypass_csp=True)


def sign_in(page: Any, base: str, username: str, secret: str | None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "npp-demo-password")
    page.click("button[type=submit].primary")
    if secret:
        page.wait_for_url("**/accounts/login/code/")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


class Axe:
    def __init__(self) -> None:
        self.pages: dict[str, list[dict[str, Any]]] = {}

    def check(self, page: Any, name: str) -> None:
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        self.pages[name] = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]  # fmt: skip

    def blocking(self) -> list[str]:
        return [
            f"{page}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
            for page, violations in self.pages.items()
            for v in violations
            if v["impact"] in BLOCKING
        ]


def _walk_assessment(page: Any, base: str, axe: Axe, prefix: str) -> None:
    """Every step of the guided assessment (as in the practitioner journey), then the result."""
    page.goto(f"{base}/assess/?new=1")
    axe.check(page, f"{prefix}assess: where")
    page.check("input[name=jurisdiction][value=TH]")
    page.click("button[value=next]")
    axe.check(page, f"{prefix}assess: stage")
    page.check("input[name=stage][value=arrest_and_charge]")
    page.click("button[value=next]")
    axe.check(page, f"{prefix}assess: person")
    page.fill("input[name=age]", "25")
    page.check("input[name=victim_status][value=potential]")
    page.click("button[value=next]")
    seen = 0
    while "/assess/result/" not in page.url and seen < 12:
        seen += 1
        step = page.url.rstrip("/").rsplit("/", 1)[-1]
        axe.check(page, f"{prefix}assess: {step}")
        if step == "offences":
            page.check("input[name=offences][value=prostitution]")
        page.click("button[value=next]")
    assert "/assess/result/" in page.url
    axe.check(page, f"{prefix}assess: result")
    # A step with a validation error (no state chosen).
    page.goto(f"{base}/assess/?new=1")
    page.click("button[value=next]")
    axe.check(page, f"{prefix}assess: where, with an error")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_on_every_main_page(demo: dict[str, Any], live_server: Any, browser: Any,
                                width: str) -> None:  # fmt: skip
    base = live_server.url
    axe = Axe()
    public = {
        "home": "/", "sign-in": "/accounts/login/", "law": "/law/", "law: Thailand": "/law/TH/",
        "law: matrix": "/law/matrix/", "law: instruments": "/law/instruments/",
        "law: instrument": "/law/instruments/th.atipa-2008/",
        "law: recommendations": "/law/recommendations/",
        "law: search": "/law/search/?q=permission", "law: citation": "/law/cite/th.atipa-2008.s41/",
        "comparison": "/comparison/", "gaps": "/comparison/gaps/",
        "gaps: Thailand": "/comparison/gaps/TH/", "guides": "/guides/",
        "verify a notice": "/verify/", "trusted issuers": "/verify/issuers/",
        "training": "/training/", "training: join": "/training/join/",
        "training: scenario": "/training/th-karaoke-raid-disputed-age/?role=frontline",
    }  # fmt: skip
    ctx = _context(browser, width)
    page = ctx.new_page()
    for name, path in public.items():
        page.goto(base + path)
        axe.check(page, name)
    # A training question answered wrongly: the law's answer, the explanation, a misconception.
    page.goto(base + public["training: scenario"])
    page.check("#q1 input[value=no]")
    page.click("#q1 button.primary")
    page.wait_for_selector("#q1 .result")
    axe.check(page, "training: feedback")
    _walk_assessment(page, base, axe, "")
    ctx.close()

    # A prosecutor: the code step, dashboard, cases, a case and its pages.
    ctx = _context(browser, width)
    page = ctx.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "demo-prosecutor")
    page.fill("input[name=password]", "npp-demo-password")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/accounts/login/code/")
    axe.check(page, "sign-in: code")
    page.fill("input[name=code]", pyotp.TOTP(demo["totp"]["demo-prosecutor"]).now())
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    ref = demo["case"]
    signed_in = {
        "dashboard": "/", "case list": "/cases/", "case detail": f"/cases/{ref}/",
        "case: personal details": f"/cases/{ref}/person/",
        "case: history": f"/cases/{ref}/history/",
        "case: identification notices": f"/notices/case/{ref}/",
        "referrals": "/cases/referrals/",
    }  # fmt: skip
    if demo["referred"]:
        signed_in["case detail (referred)"] = f"/cases/{demo['referred']}/"
    for name, path in signed_in.items():
        page.goto(base + path)
        axe.check(page, name)
    _walk_assessment(page, base, axe, "signed in: ")
    ctx.close()

    # A supervisor: statistics, monitoring, export and import.
    ctx = _context(browser, width)
    page = ctx.new_page()
    sign_in(page, base, "demo-supervisor", demo["totp"]["demo-supervisor"])
    for name, path in {"statistics": "/cases/statistics/", "monitoring": "/monitoring/",
                       "monitoring: export": "/monitoring/export/",
                       "monitoring: import": "/monitoring/import/"}.items():  # fmt: skip
        page.goto(base + path)
        axe.check(page, name)
    ctx.close()

    counts: dict[str, int] = {}
    for violations in axe.pages.values():
        for v in violations:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    report(f"axe-{width}", {"axe_core": "4.14.1", "width": WIDTHS[width]["width"],
                   "pages": len(axe.pages), "violations_by_impact": counts,
                   "blocking": axe.blocking(), "by_page": axe.pages})  # fmt: skip
    assert len(axe.pages) >= 35
    assert not axe.blocking(), "\n".join(axe.blocking())


# --------------------------------------------------------------------------- keyboard only


class Keyboard:
    """Drives a page with keys only; reads the DOM only to know where the focus is."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.presses = 0

    def focused(self) -> dict[str, Any]:
        info: dict[str, Any] = self.page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 const r = e.getBoundingClientRect();
                 return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '',
                         value: e.value || '', text: (e.innerText || '').trim(),
                         checked: !!e.checked,
                         ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                               || s.boxShadow !== 'none',
                         visible: r.width > 0 && r.height > 0}; }"""
        )
        return info

    def press(self, key: str) -> None:
        self.presses += 1
        self.page.keyboard.press(key)

    def tab_to(self, want: Any, limit: int = 120) -> dict[str, Any]:
        for _ in range(limit):
            self.press("Tab")
            f = self.focused()
            if want(f):
                assert f["visible"], f"focused but not visible: {f}"
                assert f["ring"], f"no visible focus indicator on {f}"
                return f
        raise AssertionError("not reachable with Tab")

    def field(self, name: str, value: str | None = None) -> dict[str, Any]:
        return self.tab_to(lambda f: f["name"] == name and (value is None or f["value"] == value))

    def radio(self, name: str, value: str) -> None:
        """Tab into the group, then arrow keys to the option (arrows select radios)."""
        f = self.field(name)
        for _ in range(60):
            if f["value"] == value:
                if not f["checked"]:
                    self.press("Space")
                return
            self.press("ArrowDown")
            f = self.focused()
        raise AssertionError(f"option {value} of {name} not reached with arrow keys")

    def check(self, name: str, value: str) -> None:
        f = self.field(name, value)
        if not f["checked"]:
            self.press("Space")
        assert self.focused()["checked"]

    def select(self, name: str, value: str) -> None:
        f = self.field(name)
        for _ in range(80):
            if f["value"] == value:
                return
            self.press("ArrowDown")
            f = self.focused()
        raise AssertionError(f"{value} not reached in {name}")

    def type_into(self, name: str, text: str) -> None:
        self.field(name)
        self.page.keyboard.type(text)

    def button(self, text: str) -> None:
        self.tab_to(lambda f: f["tag"] == "button" and f["text"] == text)
        with self.page.expect_navigation():
            self.press("Enter")


def test_guided_assessment_by_keyboard_alone(demo: dict[str, Any], live_server: Any,
                                            browser: Any) -> None:  # fmt: skip
    base = live_server.url
    ctx = _context(browser)
    page = ctx.new_page()
    kb = Keyboard(page)

    # Sign in.
    page.goto(f"{base}/accounts/login/")
    kb.type_into("username", "demo-prosecutor")
    kb.type_into("password", "npp-demo-password")
    kb.button("Continue")
    assert "/accounts/login/code/" in page.url
    kb.type_into("code", pyotp.TOTP(demo["totp"]["demo-prosecutor"]).now())
    with page.expect_navigation():
        kb.press("Enter")  # submits the form from its field
    assert page.url == f"{base}/"

    # Passing over the language switcher with the arrow keys must not change the page.
    kb.field("language")
    kb.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.url == f"{base}/" and page.get_attribute("html", "lang") == "en"
    kb.press("ArrowUp")
    page.wait_for_timeout(200)
    assert page.get_attribute("html", "lang") == "en"

    # The guided assessment, from its first question to its result.
    page.goto(f"{base}/assess/?new=1")
    kb.radio("jurisdiction", "TH")
    kb.button("Next")
    kb.radio("stage", "arrest_and_charge")
    kb.button("Next")
    kb.type_into("age", "16")
    kb.radio("sex", "female")
    kb.select("nationality", "LA")
    kb.radio("victim_status", "potential")
    kb.button("Next")
    assert "/assess/offences/" in page.url, page.url
    kb.check("offences", "prostitution")
    kb.check("offences", "immigration.illegal_entry")
    kb.button("Next")
    kb.check("acts", "recruitment")
    kb.check("purposes", "sexual_exploitation")
    kb.button("Next")
    steps = 0
    while "/assess/result/" not in page.url and steps < 6:  # the remaining questions: "Next"
        steps += 1
        kb.button("Next")
    assert "/assess/result/" in page.url, page.url
    text = page.inner_text("main")
    assert "Possible victim of trafficking" in text and "What to do now" in text

    # Save it as a case.
    kb.type_into("province", "Chiang Mai")
    kb.button("Save as a case")
    assert "/cases/TH-" in page.url, page.url
    assert "saved" in page.inner_text("main")
    report("keyboard", {"key_presses": kb.presses, "result": page.url.rsplit("/", 2)[-2]})
    ctx.close()
