"""Public pages: law comparison, gaps and pocket guides need no login (issue #5)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_comparison_matrix_is_public_with_every_axis(client: Any) -> None:
    r = client.get("/comparison/")
    assert r.status_code == 200
    html = r.content.decode()
    for axis in (
        "Link required",
        "Offences covered",
        "Victims covered",
        "Stages protected",
        "Who decides",
        "Burden of proof",
        "Post-conviction relief",
        "Severe penalties",
    ):
        assert axis in html
    for state in ("Thailand", "Cambodia", "Viet Nam", "Singapore", "Indonesia"):
        assert state in html
    assert "not verified" in html
    assert client.get("/comparison/?date=2010-01-01").status_code == 200


def test_gap_pages_are_public_and_printable(client: Any) -> None:
    r = client.get("/comparison/gaps/")
    assert r.status_code == 200 and "ACTIP art. 14(7)" in r.content.decode()
    r = client.get("/comparison/gaps/kh/")
    html = r.content.decode()
    assert r.status_code == 200 and "Cambodia" in html and "Not met" in html
    assert client.get("/comparison/gaps/XX/").status_code == 404


def test_guides_download_without_login(client: Any) -> None:
    assert client.get("/guides/").status_code == 200
    r = client.get("/guides/TH/arrest_and_charge.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:5] == b"%PDF-"
    assert client.get("/guides/TH/nowhere.pdf").status_code == 404
