"""A decision record and a pocket guide in each of the five scripts embed the bundled fonts,
and their text extracts correctly, with the host's fonts and with no system font at all."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from npp.guides.content import guide
from npp.guides.render import render_html
from npp.guides.render import render_pdf as guide_pdf
from npp.pdf import FONTS
from npp.web.cases import actions
from npp.web.cases.pdf import record_html
from pdf.support import SCRIPTS, Script, pdf_fonts, pdf_text, render_without_system_fonts
from web.conftest import login

DAY = dt.date(2025, 1, 1)
STAGE = "prosecution"

#: The names WeasyPrint gives the bundled fonts in a PDF ("Noto-Sans-Thai", "Noto-Sans-Bold"),
#: and their slanted forms (italic text: WeasyPrint slants the upright file, "-Oblique").
BUNDLED = {
    family.replace(" ", "-") + ("-Bold" if weight == 700 else "") + slant
    for family, weight, _ in FONTS
    for slant in ("", "-Oblique")
}


def _record(officer: Any, case: Any, script: Script) -> None:
    actions.do_record_decision(
        officer, case, "not_charged", case.version, decided_by=script.who, reasons=script.what
    )


def _guide(kb: Any, script: Script) -> dict[str, Any]:
    """The state's real pocket guide, with a referral contact written in the script."""
    g = guide(kb, script.jurisdiction, STAGE, DAY)
    g["referral"].append(
        {"text": script.what, "where": script.who, "verified": False, "mark": "not verified"}
    )
    return g


def assert_prints(pdf: bytes, script: Script, *expected: str) -> None:
    """Only bundled fonts, the script's own among them; the script's text extracts."""
    assert pdf[:5] == b"%PDF-"
    fonts = pdf_fonts(pdf)
    assert fonts <= BUNDLED, f"fonts from the host: {sorted(fonts - BUNDLED)}"
    assert script.font in fonts, (script.name, sorted(fonts))
    text = pdf_text(pdf)
    assert "\x00" not in text, f"NUL-separated glyphs: {text[:80]!r}"
    for words in expected:
        letters = set(re.findall(script.letters, words))
        missing = letters - set(text)
        assert not missing, f"{script.name}: {sorted(missing)} not extracted from {text!r}"
        if script.name not in {"Khmer", "Burmese"}:
            # Khmer and Burmese draw some vowels and subscripts before the consonant they
            # follow; WeasyPrint maps each glyph to one piece of text for the whole document,
            # so their letters all come back, but not always in order.
            assert words in text, (script.name, words)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.name)
def test_decision_record_in_each_script(
    client: Client, officer: Any, case: Any, script: Script
) -> None:
    _record(officer, case, script)
    login(client, officer)
    client.post("/i18n/setlang/", {"language": script.lang, "next": "/"})
    r = client.get(f"/cases/{case.reference}/record.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert_prints(r.content, script, script.who, script.what)
    assert case.reference in pdf_text(r.content)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.name)
def test_pocket_guide_in_each_script(kb: Any, script: Script) -> None:
    assert_prints(guide_pdf(_guide(kb, script)), script, script.who, script.what)


def test_thai_guide_prints_the_original_thai_text_of_the_law(kb: Any) -> None:
    g = guide(kb, "TH", STAGE, DAY)
    original = next(p["original_text"] for p in g["provisions"] if p["original_text"])
    first_words = original.split()[1]  # "มาตรา ๔๑ ..." -> the section number in Thai digits
    assert_prints(guide_pdf(g), SCRIPTS[1], "มาตรา", first_words)


def test_documents_need_no_system_font(
    kb: Any, officer: Any, case: Any, empty_fontconfig: dict[str, str]
) -> None:
    records, guides = [], []
    for script in SCRIPTS:
        _record(officer, case, script)
        with translation.override(script.lang):
            records.append(record_html(case, officer, with_identity=False))
        guides.append(render_html(_guide(kb, script)))
    pdfs = render_without_system_fonts(records + guides, empty_fontconfig)
    for script, record, pocket in zip(SCRIPTS, pdfs[:5], pdfs[5:], strict=True):
        # Every script's words are on every record (one case, five decisions).
        assert_prints(record, script, script.who, script.what)
        assert_prints(pocket, script, script.who, script.what)


def test_guide_command_needs_no_system_font(
    tmp_path: Any, empty_fontconfig: dict[str, str]
) -> None:
    out = tmp_path / "th.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "npp.cli.main", "guide", "TH", "--stage", STAGE, "--out", str(out)],
        env=empty_fontconfig,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {out}"  # no font warning either
    assert_prints(out.read_bytes(), SCRIPTS[1], "มาตรา")
