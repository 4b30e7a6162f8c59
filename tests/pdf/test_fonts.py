"""The bundled fonts: the right files, static (not variable), licensed, shipped in the wheel."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from npp.pdf import FONT_DIR, FONT_STACK, FONTS, font_face_css, font_files, render_pdf
from pdf.support import pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("family", "weight", "name"), FONTS, ids=[n for _, _, n in FONTS])
def test_each_font_is_the_static_family_and_weight_it_claims(
    family: str, weight: int, name: str
) -> None:
    font = TTFont(FONT_DIR / name)
    assert "fvar" not in font, f"{name} is a variable font"
    # The file's own family name ("Noto Sans Symbols2" for "Noto Sans Symbols 2").
    assert font["name"].getDebugName(1).replace(" ", "") == family.replace(" ", "")
    assert font["OS/2"].usWeightClass == weight
    assert "SIL Open Font License" in (font["name"].getDebugName(13) or "")


def test_the_asean_scripts_are_covered_in_regular_and_bold() -> None:
    samples = {"Thai": "ก", "Khmer": "ក", "Lao": "ກ", "Myanmar": "က", "": "A"}
    for script, letter in samples.items():
        family = f"Noto Sans {script}".strip()
        files = [FONT_DIR / n for f, _, n in FONTS if f == family]
        assert len(files) == 2, family  # regular and bold
        for path in files:
            assert ord(letter) in TTFont(path).getBestCmap(), (path.name, letter)
    warning_sign = [n for _, _, n in FONTS if ord("⚠") in TTFont(FONT_DIR / n).getBestCmap()]
    assert warning_sign  # the risk flags of the decision record


def test_the_licence_ships_beside_the_fonts() -> None:
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" in licence
    assert "PERMISSION & CONDITIONS" in licence and "Google" in licence
    assert sorted(p.name for p in FONT_DIR.glob("*.ttf")) == sorted(p.name for p in font_files())


def test_the_package_data_includes_the_fonts() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert "*.ttf" in patterns and "*.txt" in patterns


def test_the_stylesheet_points_at_the_bundled_files() -> None:
    css = font_face_css()
    urls = re.findall(r'url\("(file://[^"]+)"\)', css)
    assert urls == [p.as_uri() for p in font_files()]
    assert all(p.is_file() for p in font_files())
    assert FONT_STACK.startswith('"Noto Sans", "Noto Sans Thai"')
    assert f"font-family: {FONT_STACK}" in css


def test_extra_stylesheets_apply_and_the_document_wins() -> None:
    html = "<html><head><style>p { color: black }</style></head><body><p>Ministry</p></body></html>"
    pdf = render_pdf(html, stylesheets=["@page { size: A6 } p { color: red }"])

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width)) == 298  # A6: 105 mm
    assert "Ministry" in pdf_text(pdf)
    assert b"1 0 0 rg" not in page.get_contents().get_data()  # not red: the document's black
