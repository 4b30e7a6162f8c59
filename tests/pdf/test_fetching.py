"""A PDF fetches nothing but the bundled fonts, data: URLs and files under its base_url:
user-entered text that slipped into markup must not pull a server file into a printout."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from npp.pdf import render_pdf


def _images(pdf: bytes) -> int:
    return sum(
        len((page.get("/Resources") or {}).get("/XObject") or {})
        for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "stamp.png"
    Image.new("RGB", (8, 8), "navy").save(path)
    return path


def test_a_data_url_image_is_embedded(picture: Path) -> None:
    data = base64.b64encode(picture.read_bytes()).decode()
    assert _images(render_pdf(f"<p>Seal</p><img src='data:image/png;base64,{data}'>")) == 1


def test_files_under_the_base_url_are_embedded(picture: Path) -> None:
    base = picture.parent.as_uri() + "/"
    assert _images(render_pdf("<img src='stamp.png'>", base_url=base)) == 1


@pytest.mark.parametrize(
    "src",
    [
        "{file}",  # any other file on the server
        "http://127.0.0.1:9/stamp.png",  # the network
        "ftp://127.0.0.1:9/stamp.png",
    ],
)
def test_nothing_else_is_fetched(picture: Path, src: str) -> None:
    html = f"<p>Seal</p><img src='{src.format(file=picture.as_uri())}'>"
    pdf = render_pdf(html)
    assert _images(pdf) == 0


def test_no_way_out_of_the_base_url(picture: Path, tmp_path: Path) -> None:
    inner = tmp_path / "doc"
    inner.mkdir()
    html = "<img src='../stamp.png'>"
    assert _images(render_pdf(html, base_url=inner.as_uri() + "/")) == 0
    assert _images(render_pdf(html, base_url=(inner / "x").as_uri())) == 0
