"""Pages: public law pages, case pages, the decision record PDF, statistics, languages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

import npp
from npp.web.audit.models import AuditEntry
from npp.web.cases import actions

from .conftest import login

pytestmark = pytest.mark.django_db


def test_law_pages_are_public(client: Client) -> None:
    kb = npp.engine().kb
    for cc in kb.vocabulary.jurisdictions:
        r = client.get(f"/law/{cc}/")
        assert r.status_code == 200 and kb.vocabulary.jurisdictions[cc] in r.content.decode()
    for url in (
        "/law/",
        "/law/matrix/",
        "/law/instruments/",
        "/law/recommendations/",
        "/law/search/?q=victim",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/law/XX/").status_code == 404


def test_law_pages_show_provision_text(client: Client) -> None:
    kb = npp.engine().kb
    iid, ins = next((i, x) for i, x in kb.instruments.items() if x.provisions)
    page = client.get(f"/law/instruments/{iid}/").content.decode()
    from django.utils.html import escape

    assert escape(ins.provisions[0].text[:40]) in page
    pid = ins.provisions[0].id
    assert client.get(f"/law/cite/{pid}/").status_code == 200


def test_recommendations_page_lists_all_26(client: Client) -> None:
    page = client.get("/law/recommendations/").content.decode()
    for n in range(1, 27):
        assert f'id="r{n}"' in page


def test_search_finds_and_links(client: Client) -> None:
    page = client.get("/law/search/?q=permission").content.decode()
    assert "result" in page and "/law/" in page


def test_case_page_for_the_owner(client: Client, officer: Any, case: Any) -> None:
    login(client, officer)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    for text in (
        case.reference,
        "Assessment",
        "Timeline",
        "Record a decision",
        "Refer to another organisation",
    ):
        assert text in page
    assert "Test Person Alpha" not in page  # identity only on its own, audited page
    assert AuditEntry.objects.filter(event="case.viewed", target=case.reference).exists()
    page = client.get(f"/cases/{case.reference}/person/").content.decode()
    assert "Test Person Alpha" in page
    assert AuditEntry.objects.filter(event="case.person_viewed", target=case.reference).exists()


def test_web_case_workflow(client: Client, officer: Any, case: Any, ngo: Any) -> None:
    login(client, officer)
    ref = case.reference
    r = client.post(
        f"/cases/{ref}/refer/",
        {
            "to_org": ngo.pk,
            "purpose": "shelter_and_support",
            "due_date": "2099-01-01",
            "version": 1,
            "share_identity": "on",
        },
        follow=True,
    )
    assert "Referred to" in r.content.decode()
    r = client.post(f"/cases/{ref}/stage/", {"stage": "prosecution", "version": 2}, follow=True)
    assert "re-assessed" in r.content.decode()
    r = client.post(f"/cases/{ref}/person/", {"full_name": "New Name", "version": 3}, follow=True)
    assert "New Name" in r.content.decode()
    case.refresh_from_db()
    assert case.stage == "prosecution" and case.version == 4
    assert client.get(f"/cases/{ref}/history/").status_code == 200
    assert client.get("/cases/referrals/").status_code == 200


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_decision_record_pdf(client: Client, officer: Any, case: Any) -> None:
    actions.do_record_decision(
        officer,
        case,
        "ministerial_permission_refused",
        case.version,
        decided_by="Minister of Justice",
        reasons="Victim of trafficking",
    )
    login(client, officer)
    r = client.get(f"/cases/{case.reference}/record.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = _pdf_text(r.content)
    assert case.reference in text and "Minister of Justice" in text
    assert "Ministerial permission refused" in text
    assert "th.atipa-2008" in text or "Anti-Trafficking" in text  # citations
    assert "Test Person Alpha" not in text
    with_name = _pdf_text(client.get(f"/cases/{case.reference}/record.pdf?identity=1").content)
    assert "Test Person Alpha" in with_name
    assert AuditEntry.objects.filter(event="case.record_exported").count() == 2


def test_statistics_are_aggregates_only(
    client: Client, user_factory: Any, police: Any, officer: Any, facts: dict[str, Any]
) -> None:
    for _ in range(12):
        actions.do_create_case(officer, facts, person={"full_name": "Hidden Person"})
    analyst = user_factory("ana", "analyst", police)
    login(client, analyst)
    page = client.get("/cases/statistics/").content.decode()
    assert "Hidden Person" not in page and "TH-" not in page
    assert "10" in page  # 12 cases, rounded to the nearest 5
    csv = client.get("/cases/statistics.csv").content.decode()
    assert "Cases by stage" in csv and "Hidden Person" not in csv
    login(client, officer)
    assert client.get("/cases/statistics/").status_code == 403


def test_small_counts_are_suppressed() -> None:
    from npp.web.cases.statistics import safe

    assert [safe(0), safe(3), safe(10), safe(11), safe(12), safe(13)] == [
        "0",
        "<11",
        "<11",
        "10",
        "10",
        "15",
    ]


def test_language_switch(client: Client) -> None:
    r = client.post("/i18n/setlang/", {"language": "th", "next": "/law/"}, follow=True)
    page = r.content.decode()
    assert '<html lang="th">' in page
    assert "กฎหมาย" in page  # "Law" in the Thai interface


@pytest.mark.parametrize("lang", ["th", "vi", "id", "ms", "fil", "km", "lo", "my"])
def test_every_language_has_a_catalogue(client: Client, lang: str) -> None:
    from django.utils import translation

    with translation.override(lang):
        assert translation.gettext("Sign in") != "Sign in", lang


def test_thai_pdf_renders(client: Client, officer: Any, case: Any) -> None:
    actions.do_record_decision(
        officer,
        case,
        "not_charged",
        case.version,
        decided_by="พนักงานอัยการ",
        reasons="ผู้เสียหายจากการค้ามนุษย์",
    )
    login(client, officer)
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    text = _pdf_text(client.get(f"/cases/{case.reference}/record.pdf").content)
    assert "พนักงานอัยการ" in text


def _pdf_fonts(data: bytes) -> set[str]:
    from pypdf import PdfReader

    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for f in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(f.get_object().get("/BaseFont")))
    return fonts


def test_pdf_uses_fonts_for_khmer_lao_and_burmese(client: Client, officer: Any, case: Any) -> None:
    texts = {"Khmer": "ព្រះរាជអាជ្ញា", "Lao": "ໄອຍະການ", "Myanmar": "ရှေ့နေ"}
    for text in texts.values():
        actions.do_record_decision(officer, case, "not_charged", case.version, decided_by=text)
    login(client, officer)
    fonts = " ".join(_pdf_fonts(client.get(f"/cases/{case.reference}/record.pdf").content))
    for script in texts:
        assert f"Noto-Sans-{script}" in fonts, (script, fonts)
