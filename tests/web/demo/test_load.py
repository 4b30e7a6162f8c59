"""The demo loads once, in bulk: organisations of each kind, one user per role (and a regional
analyst), cases across the ten states and six stages, an audit chain that verifies, and a
statistics read model equal to a rebuild from the case tables."""

from __future__ import annotations

from typing import Any

import pytest

from npp.web.accounts.models import Organisation, User
from npp.web.audit.log import verify
from npp.web.cases.models import Assessment, Case, CaseOffence, Person
from npp.web.roles import Role

pytestmark = pytest.mark.django_db


def test_refuses_outside_demo_mode(settings: Any) -> None:
    from npp.web import demo

    settings.DEMO = False
    with pytest.raises(demo.NotDemo):
        demo.load(5)


def test_demo_data(settings: Any) -> None:
    from npp.web import demo

    settings.DEMO = True
    counts = demo.load(60)
    assert counts["cases"] == 60
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds >= {
        "police",
        "immigration",
        "labour_inspectorate",
        "prosecution",
        "defence",
        "court",
        "ngo",
        "ministry",
        "regional_body",
    }
    assert Organisation.objects.values("jurisdiction").distinct().count() == 10
    demo_users = User.objects.filter(username__startswith="demo-")
    assert set(demo_users.values_list("role", flat=True)) == set(Role.values)
    p = User.objects.get(username="demo-prosecutor")
    assert (
        p.role == "prosecutor"
        and p.organisation.jurisdiction == "TH"
        and p.check_password(demo.DEMO_PASSWORD)
    )
    regional = User.objects.get(username="demo-analyst-regional")
    assert regional.role == "analyst" and regional.organisation.kind == "regional_body"
    assert regional.check_password(demo.DEMO_PASSWORD)
    assert Case.objects.values("jurisdiction").distinct().count() == 10
    assert Case.objects.values("stage").distinct().count() == 6
    assert verify().ok
    assert demo.load(5)["cases"] == 0  # idempotent: never loads twice


def test_every_case_is_complete_and_reads_back(settings: Any) -> None:
    """Rows written in bulk read back through the models: facts and documents decrypt (the
    documents compressed), each case has its person, assessment and offences."""
    from npp.web import demo

    settings.DEMO = True
    demo.load(40)
    for case in Case.objects.all():
        latest = Assessment.objects.get(case=case)
        assert latest.facts == case.facts and case.facts["stage"] == case.stage
        assert latest.document["jurisdiction"] == case.jurisdiction
        assert latest.document["stage"] == case.stage
        outcomes = [o["outcome"] for o in latest.document["offences"]]
        assert list(CaseOffence.objects.filter(case=case).values_list("outcome", flat=True)) == (
            outcomes
        )
        assert Person.objects.get(case=case).full_name


def test_the_read_model_equals_a_rebuild(settings: Any) -> None:
    from npp.web import demo
    from npp.web.monitoring.facts import rebuild
    from npp.web.monitoring.models import CaseFact, DecisionFact, OffenceFact

    def snapshot() -> tuple[list[Any], ...]:
        return tuple(sorted(m.objects.values_list(*fields)) for m, fields in TABLES)

    TABLES = (
        (CaseFact, [f.attname for f in CaseFact._meta.concrete_fields]),
        (OffenceFact, [f.attname for f in OffenceFact._meta.concrete_fields if f.attname != "id"]),
        (
            DecisionFact,
            [f.attname for f in DecisionFact._meta.concrete_fields if f.attname != "id"],
        ),
    )
    settings.DEMO = True
    demo.load(80)
    written = snapshot()
    assert written[0] and written[1] and written[2]
    rebuild()
    assert snapshot() == written


def test_the_number_of_cases_comes_from_the_environment(monkeypatch: Any) -> None:
    from npp.web import demo

    monkeypatch.delenv("NPP_DEMO_CASES", raising=False)
    assert demo.demo_cases() == 20_000
    monkeypatch.setenv("NPP_DEMO_CASES", "350")
    assert demo.demo_cases() == 350
    monkeypatch.setenv("NPP_DEMO_CASES", "many")
    with pytest.raises(ValueError, match="NPP_DEMO_CASES"):
        demo.demo_cases()


def test_the_sign_in_page_lists_the_demo_accounts(settings: Any, client: Any) -> None:
    from npp.web import demo

    settings.DEMO = True
    demo.load(12)
    page = client.get("/accounts/login/").content.decode()
    for username, _role, _org in demo.USERS:
        assert username in page
    assert "Regional Anti-Trafficking Observatory" in page


def test_cases_written_after_the_demo_get_fresh_keys(settings: Any, facts: Any) -> None:
    """The demo writes its cases with explicit keys; the next case (PostgreSQL: the sequence)
    continues after them."""
    from npp.web import demo
    from npp.web.cases.actions import do_create_case

    settings.DEMO = True
    demo.load(20)
    top = Case.objects.order_by("-pk").first()
    assert top is not None
    officer = User.objects.get(username="demo-frontline")
    assert do_create_case(officer, facts).pk > top.pk


def test_cli_refuses_an_unusable_number_of_cases(monkeypatch: Any, settings: Any) -> None:
    from typer.testing import CliRunner

    from npp.cli.main import app

    settings.DEMO = True
    monkeypatch.setenv("NPP_DEMO_CASES", "lots")
    result = CliRunner().invoke(app, ["demo", "load"])
    assert result.exit_code == 2
    assert "NPP_DEMO_CASES: must be a whole number" in result.output
    assert not Case.objects.exists()
