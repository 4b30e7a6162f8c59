"""Pocket guides: content from the knowledge base, PDF output, and the command."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest
from typer.testing import CliRunner

from npp.cli.main import app
from npp.guides.content import guide
from npp.guides.render import render_html, render_pdf
from processes import without_database

DAY = dt.date(2025, 1, 1)


@pytest.mark.parametrize("cc", ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"])
def test_every_state_has_a_guide_built_from_the_knowledge_base(kb: Any, cc: str) -> None:
    for stage in kb.vocabulary.stages:
        g = guide(kb, cc, stage, DAY)
        assert g["questions"] and g["referral"]
        case_actions = {r.number for r in kb.recommendations_for(stage) if r.case_action}
        assert {a["number"] for a in g["actions"]} == case_actions
        html = render_html(g)
        assert "not verified" in html or "verified against the official text" in html
        assert "supports decisions; it does not make them" in html


def test_what_the_law_says(kb: Any) -> None:
    th = guide(kb, "TH", "arrest_and_charge", DAY)
    assert th["provisions"][0]["section"] == "s. 41"
    assert "Minister of Justice" in th["provisions"][0]["decides"]
    kh = guide(kb, "KH", "prosecution", DAY)
    assert kh["provisions"] == []
    assert "no explicit non-punishment provision" in render_html(kh)


def test_pdf_renders_asean_scripts(kb: Any, tmp_path: Any) -> None:
    pdf = render_pdf(guide(kb, "TH", "identification", DAY))
    assert pdf[:5] == b"%PDF-"
    if shutil.which("pdffonts"):
        path = tmp_path / "th.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, env=without_database()
        ).stdout
        assert "Thai" in fonts  # the Thai text of s.41 is set in a Thai font, not boxes


def test_guide_command(tmp_path: Any) -> None:
    out = tmp_path / "guide.pdf"
    r = CliRunner().invoke(app, ["guide", "MY", "--stage", "trial", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:5] == b"%PDF-"
    r = CliRunner().invoke(app, ["guide", "MY", "--stage", "lunch", "--out", str(out)])
    assert r.exit_code == 2 and "--stage: must be one of" in r.output
    r = CliRunner().invoke(app, ["guide", "ZZ", "--stage", "trial", "--out", str(out)])
    assert r.exit_code == 2
