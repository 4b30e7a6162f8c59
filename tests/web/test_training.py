"""Training pages: open practice without an account, progress for signed-in users, group
sessions (anonymous participants, counts only, reveal, expiry), the workbook PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from npp.web.training import actions
from npp.web.training.models import GroupAnswer, GroupSession, Progress

from .conftest import login

pytestmark = pytest.mark.django_db
SID = "th-karaoke-raid-disputed-age"


@pytest.fixture
def officer(user_factory: Any, org_factory: Any) -> Any:
    return user_factory("trainer", "frontline", org_factory("th-police"))


def test_training_index_and_scenario_are_open_without_signing_in(client: Client) -> None:
    r = client.get("/training/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "After the raid" in page and "The cousin at the night market stall" in page
    r = client.get("/training/?role=judge&jurisdiction=TH")
    page = r.content.decode()
    assert "At trial: the passport the agent made" in page and "After the raid" not in page
    r = client.get(f"/training/{SID}/")
    assert r.status_code == 200 and "Savannakhet" in r.content.decode()
    assert client.get("/training/no-such-scenario/").status_code == 404


def test_csp_is_strict_and_no_inline_style_or_script(client: Client) -> None:
    r = client.get(f"/training/{SID}/")
    assert "'unsafe-inline'" not in r["Content-Security-Policy"]
    html = r.content.decode()
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_a_wrong_answer_gets_the_laws_answer_and_the_misconception(client: Client) -> None:
    r = client.post(f"/training/{SID}/q1/", {"answer": "no"})
    assert r.status_code == 302 and r["Location"].endswith("#q1")
    page = client.get(f"/training/{SID}/").content.decode()
    assert "Not quite." in page
    assert "A common misconception:" in page and "She agreed to the work" in page
    # The feedback is the assessment's own explanation, with citations.
    assert "credible suspicion" in page and "V.C.L. and A.N." in page


def test_a_right_answer_says_so_without_a_misconception(client: Client) -> None:
    client.post(f"/training/{SID}/q3/", {"answer": "ministerial_permission_required"})
    page = client.get(f"/training/{SID}/").content.decode()
    assert "Right: this is what the law gives" in page
    assert "A common misconception:" not in page


def test_an_answer_that_is_not_an_option_is_refused(client: Client) -> None:
    client.post(f"/training/{SID}/q1/", {"answer": "maybe"})
    page = client.get(f"/training/{SID}/", follow=True).content.decode()
    assert "Choose an answer first." in page and "Not quite." not in page
    assert client.post(f"/training/{SID}/q99/", {"answer": "yes"}).status_code == 404


def test_signed_in_progress_is_kept(client: Client, officer: Any) -> None:
    login(client, officer)
    client.post(f"/training/{SID}/q1/", {"answer": "yes"})
    p = Progress.objects.get(user=officer, scenario_id=SID, question_id="q1")
    assert p.correct and p.answer == ["yes"]
    assert "1 of " in client.get("/training/").content.decode()
    client.post(f"/training/{SID}/reset/")
    assert not Progress.objects.filter(user=officer).exists()


def test_group_session_counts_answers_and_reveals(client: Client, officer: Any) -> None:
    trainer = login(Client(), officer)
    r = trainer.post("/training/sessions/new/", {"scenarios": [SID], "role": "frontline"})
    gs = GroupSession.objects.get()
    assert r["Location"] == f"/training/sessions/{gs.code}/"
    assert re.fullmatch(r"[A-Z2-9]{6}", gs.code)
    # Three anonymous participants answer.
    for ans in ("yes", "yes", "no"):
        p = Client()
        assert p.post("/training/join/", {"code": gs.code.lower()})["Location"].endswith(
            f"/training/join/{gs.code}/"
        )
        assert p.post(f"/training/join/{gs.code}/{SID}/q1/", {"answer": ans}).status_code == 302
    assert GroupAnswer.objects.filter(session=gs).values("participant").distinct().count() == 3
    page = trainer.get(f"/training/sessions/{gs.code}/").content.decode()
    assert "3 participants have answered" in page
    assert re.search(r"Yes</td><td class=\"n\">2<", page)
    assert re.search(r"No</td><td class=\"n\">1<", page)
    # A participant sees the answer only once the trainer reveals it.
    p = Client()
    p.post(f"/training/join/{gs.code}/{SID}/q1/", {"answer": "no"})
    assert "The law's answer:" not in p.get(f"/training/join/{gs.code}/").content.decode()
    trainer.post(f"/training/sessions/{gs.code}/reveal/", {"scenario": SID, "question": "q1"})
    after = p.get(f"/training/join/{gs.code}/").content.decode()
    assert "The law's answer:" in after and "Not quite." in after


def test_only_the_trainer_sees_the_dashboard_and_analysts_cannot_run_sessions(
    client: Client, officer: Any, user_factory: Any, org_factory: Any
) -> None:
    gs = actions.create_session(officer, [SID])
    other = user_factory("other", "prosecutor", org_factory("th-ago"))
    assert login(Client(), other).get(f"/training/sessions/{gs.code}/").status_code == 404
    assert client.get(f"/training/sessions/{gs.code}/").status_code == 302  # sign in first
    analyst = user_factory("analyst", "analyst", org_factory("th-ministry", "ministry"))
    assert login(Client(), analyst).get("/training/sessions/new/").status_code == 404


def test_expired_sessions_stop_working_and_are_cleaned_up(officer: Any) -> None:
    gs = actions.create_session(officer, [SID])
    actions.submit_answer(gs, actions.new_participant(), SID, "q1", ["yes"])
    live = actions.create_session(officer, [SID])
    GroupSession.objects.filter(pk=gs.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert Client().get(f"/training/join/{gs.code}/").status_code == 404
    assert Client().post("/training/join/", {"code": gs.code}).status_code == 200  # refused
    assert actions.delete_expired() == (1, 1)
    assert list(GroupSession.objects.values_list("pk", flat=True)) == [live.pk]


def test_cleanup_command_reports_what_it_deleted(officer: Any) -> None:
    from typer.testing import CliRunner

    from npp.cli.main import app

    gs = actions.create_session(officer, [SID])
    GroupSession.objects.filter(pk=gs.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    r = CliRunner().invoke(app, ["training", "cleanup"])
    assert r.exit_code == 0, r.output
    assert "deleted 1 expired session(s) and 0 answer(s)" in r.stdout


def test_workbook_pdf_has_scenarios_then_answers(client: Client) -> None:
    r = client.get("/training/workbook/?role=frontline&jurisdiction=TH")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    first = text.index("After the raid")
    assert text.index("Answers") > first
    assert "No proceedings without a minister" in text[text.index("Answers") :]
    assert client.get("/training/workbook/?role=sheriff&jurisdiction=TH").status_code == 404


@pytest.mark.parametrize(
    ("lang", "word"),
    [("th", "การฝึกอบรม"), ("km", "ការបណ្តុះបណ្តាល"), ("my", "သင်တန်း"), ("vi", "Đào tạo")],
)
def test_training_pages_render_in_other_languages(client: Client, lang: str, word: str) -> None:
    client.cookies["npp_language"] = lang
    r = client.get(f"/training/{SID}/")
    page = r.content.decode()
    assert r.status_code == 200 and f'lang="{lang}"' in page and word in page
    # Untranslated strings fall back to English rather than breaking the page.
    assert "Clear my answers to this scenario" in page
