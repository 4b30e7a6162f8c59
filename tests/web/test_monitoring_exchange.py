"""HTCDS export and import, the de-identified export, and the commands (issue #5)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from npp.cli.main import app
from npp.web.audit.models import AuditEntry
from npp.web.cases.models import Case

from .conftest import login, th_facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(user_factory: Any, police: Any) -> Any:
    return user_factory("supervisor", "supervisor", police)


@pytest.fixture
def my_org(org_factory: Any) -> Any:
    return org_factory("my-immigration", "immigration", "MY")


@pytest.fixture
def my_supervisor(user_factory: Any, my_org: Any) -> Any:
    return user_factory("my-supervisor", "supervisor", my_org)


def _table(rows: list[dict[str, Any]]) -> Any:
    from npp.exchange import read_file

    return read_file(json.dumps(rows).encode(), "rows.json")


def _export(client: Any, user: Any, **data: str) -> list[dict[str, str]]:
    login(client, user)
    r = client.post("/monitoring/export/", {"format": "htcds", **data})
    assert r.status_code == 200, r.status_code
    return list(csv.DictReader(io.StringIO(r.content.decode())))


def test_htcds_export_is_for_supervisors_and_leaves_identity_out(
    client: Any, case: Any, officer: Any, supervisor: Any
) -> None:
    from npp.web.cases import actions

    actions.do_record_decision(
        officer,
        case,
        "charged",
        case.version,
        decided_by="Inquiry official",
        offence="prostitution",
    )
    login(client, officer)
    assert client.get("/monitoring/export/").status_code == 403
    client.logout()
    rows = _export(client, supervisor)
    assert len(rows) == 1
    row = rows[0]
    assert row["npp_CaseReference"] == case.reference
    assert (
        row["prs_Gender"] == "Feminine"
        and row["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    )
    decisions = json.loads(row["npp_Decisions"])
    assert decisions[0]["decision"] == "charged"
    assert decisions[0]["decided_by"] == "Inquiry official"
    assert row["cas_CaseOwner"] == officer.username  # a person, not an organisation code
    assert "prs_FirstName" not in row and "Test Person" not in json.dumps(rows)
    full = _export(client, supervisor, identity="on")
    assert (
        full[0]["prs_FirstName"] == "Test Person Alpha"
        and full[0]["prs_IdentityNumber"] == "P1234567"
    )
    events = list(
        AuditEntry.objects.filter(event="data.exported_htcds").values_list("details", flat=True)
    )
    assert [e["identity"] for e in events] == [False, True]


def test_round_trip_into_another_organisation(
    client: Any, case: Any, officer: Any, supervisor: Any, my_supervisor: Any
) -> None:
    from npp.web.cases import actions

    actions.do_record_decision(
        officer, case, "not_charged", case.version, decided_by="Inquiry official"
    )
    rows = _export(client, supervisor)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    client.logout()
    login(client, my_supervisor)
    upload = io.BytesIO(buf.getvalue().encode())
    upload.name = "cases.csv"
    r = client.post("/monitoring/import/", {"file": upload})
    assert r.status_code == 200 and "1 case imported" in r.content.decode()
    new = Case.objects.exclude(pk=case.pk).get()
    assert new.organisation_id == my_supervisor.organisation_id
    assert new.facts["person"] == case.facts["person"]
    assert list(new.events.filter(kind="decision").values_list("decision", flat=True)) == [
        "not_charged"
    ]
    assert AuditEntry.objects.filter(event="data.imported").exists()
    # The same record cannot be imported twice.
    upload = io.BytesIO(buf.getvalue().encode())
    upload.name = "cases.csv"
    r = client.post("/monitoring/import/", {"file": upload})
    assert "was already imported" in r.content.decode()
    assert Case.objects.count() == 2


def test_import_is_all_or_nothing_with_a_report_of_every_row(my_supervisor: Any) -> None:
    from npp.web.monitoring.exchange import import_htcds

    good = {
        "npp_Jurisdiction": "MY",
        "npp_OffencesCharged": "immigration.unlawful_stay",
        "prs_Gender": "Feminine",
    }
    rows = [
        good,
        {**good, "npp_OffencesCharged": "jaywalking"},
        {**good, "prs_Gender": "F", "npp_AgeAtOffence": "two"},
        {**good, "npp_Decisions": [{"decision": "charged", "on": "2024-01-01"}]},
        {**good, "npp_Jurisdiction": "FR"},
    ]
    before = Case.objects.count()
    result = import_htcds(_table(rows), my_supervisor)
    assert Case.objects.count() == before  # nothing half-imported
    by_row: dict[int, list[str]] = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append(f"{p.field}: {p.problem}")
    assert set(by_row) == {2, 3, 4, 5}  # JSON: the record's position; the first is fine
    assert any("jaywalking" in t for t in by_row[2])
    assert any(t.startswith("prs_Gender") for t in by_row[3]) and any(
        t.startswith("npp_AgeAtOffence") for t in by_row[3]
    )
    assert any("decided_by" in t for t in by_row[4])
    assert any(t.startswith("npp_Jurisdiction") for t in by_row[5])
    assert by_row[3][0].startswith("prs_Gender: 'F' is not in the list")
    assert AuditEntry.objects.filter(event="data.import_rejected").exists()
    ok = import_htcds(_table([good, good]), my_supervisor)
    assert ok.ok and len(ok.created) == 2 and Case.objects.count() == before + 2


def test_a_failing_write_rolls_back_every_row(my_supervisor: Any, monkeypatch: Any) -> None:
    from django.core.exceptions import ValidationError

    from npp.web.cases import importing
    from npp.web.monitoring.exchange import import_htcds

    real = importing._write_rows

    def flaky(*a: Any, **kw: Any) -> Any:
        real(*a, **kw)
        raise ValidationError({"decision": "refused for the test"})

    monkeypatch.setattr(importing, "_write_rows", flaky)
    row = {
        "npp_Jurisdiction": "MY",
        "npp_OffencesCharged": "immigration.unlawful_stay",
        "npp_Decisions": [
            {"decision": "not_charged", "decided_by": "Immigration officer", "on": "2024-05-01"}
        ],
    }
    result = import_htcds(_table([row, row, row]), my_supervisor)
    assert not result.ok and result.created == []
    assert Case.objects.count() == 0
    assert "refused for the test" in str(result.problems[0])


def test_deidentified_export_for_analysts(
    client: Any, user_factory: Any, org_factory: Any, officer: Any
) -> None:
    from npp.web.cases.actions import do_create_case

    for _ in range(12):
        do_create_case(officer, th_facts(), person={"full_name": "Common Person"})
    rare = th_facts()
    rare["person"] = {
        **rare["person"],
        "age": 52,
        "sex": "male",
        "nationality": "MM",
        "age_disputed": False,
    }
    rare["offences"] = [{"category": "violence.homicide"}]
    do_create_case(officer, rare, person={"full_name": "Rare Person"})
    analyst = user_factory("analyst", "analyst", org_factory("asean", "regional_body", "ID"))
    login(client, analyst)
    r = client.post("/monitoring/export/", {"format": "deidentified", "k": "11"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 12  # the rare person could not hide among 11 others: suppressed
    assert (
        "Person" not in r.content.decode()
        and "case_id" not in rows[0]
        and "province" not in rows[0]
    )
    assert {row["age_band"] for row in rows} == {"16-17"}
    r = client.post("/monitoring/export/", {"format": "deidentified", "k": "11", "part": "report"})
    report = json.loads(r.content)
    assert (
        report["rows_in"] == 13
        and report["rows_suppressed"] == 1
        and report["smallest_class"] >= 11
    )
    assert "case_id" in report["dropped_columns"]
    assert AuditEntry.objects.filter(event="data.exported_deidentified").count() == 2


def test_commands_export_and_import(
    tmp_path: Any, case: Any, my_supervisor: Any, transactional_db: Any
) -> None:
    runner = CliRunner()
    out = tmp_path / "cases.csv"
    r = runner.invoke(app, ["export", "--format", "htcds", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert case.reference in out.read_text()
    r = runner.invoke(app, ["import", str(out), "--user", "my-supervisor", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert Case.objects.count() == 1
    r = runner.invoke(app, ["import", str(out), "--user", "my-supervisor"])
    assert r.exit_code == 0, r.output
    assert Case.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "npp_Jurisdiction,npp_OffencesCharged,prs_Gendre\nTH,jaywalking,\nXX,prostitution,\n"
    )
    r = runner.invoke(app, ["import", str(bad), "--user", "my-supervisor"])
    assert r.exit_code == 3
    assert (
        "row 1: prs_Gendre: is not a field of HTCDS 2.0 or npp_; did you mean 'prs_Gender'?"
        in r.output
    )
    assert "row 2: npp_OffencesCharged: unknown code 'jaywalking'" in r.output
    assert "row 3: npp_Jurisdiction: unknown code 'XX'" in r.output
    unusable = tmp_path / "bad.json"
    unusable.write_text("{not json")
    r = runner.invoke(app, ["import", str(unusable), "--user", "my-supervisor"])
    assert r.exit_code == 2 and "FILE: not valid JSON" in r.output
    r = runner.invoke(app, ["import", str(bad), "--user", "nobody"])
    assert r.exit_code == 2 and "--user: no user 'nobody'" in r.output
    deid = tmp_path / "research.csv"
    r = runner.invoke(app, ["export", "--format", "deidentified", "--out", str(deid), "--k", "11"])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "research.csv.report.json").read_text())["k"] == 11
    r = runner.invoke(app, ["export", "--format", "deidentified", "--out", str(deid), "--k", "1"])
    assert r.exit_code == 2 and "--k: must be at least 2" in r.output
    actors = set(
        AuditEntry.objects.filter(event__startswith="data.").values_list("actor", flat=True)
    )
    assert any(a.startswith("cli") for a in actors)


def test_imported_cases_enter_the_statistics_as_a_rebuild_would_count_them(
    my_supervisor: Any, org_factory: Any
) -> None:
    """The import derives the read model from the rows it holds in memory (nothing read
    back): it must be the rows that a rebuild from the case tables gives."""
    from npp.web.monitoring.exchange import import_htcds
    from npp.web.monitoring.facts import rebuild
    from npp.web.monitoring.models import CaseFact, DecisionFact, OffenceFact

    shelter = org_factory("my-shelter", "ngo", "MY")
    rows = [
        {
            "npp_Jurisdiction": "MY",
            "npp_OffenceDate": "2024-03-01",
            "npp_AgeAtOffence": "16",
            "prs_Gender": "Feminine",
            "npp_Purposes": "sexual_exploitation",
            "npp_OffencesCharged": "prostitution;immigration.unlawful_stay",
            "npp_Decisions": [
                {"decision": "charged", "decided_by": "Police inspector", "on": "2024-03-05",
                 "offence": "prostitution"},
                {"decision": "identified_as_victim", "decided_by": "Protection officer",
                 "on": "2024-04-01"},
            ],
            "npp_Referrals": [
                {"to": shelter.code, "purpose": "shelter_and_support", "due": "2024-05-01",
                 "status": "completed"},
                {"to": shelter.code, "purpose": "legal_aid", "due": "2024-04-10"},
            ],
        },
        {"prs_Gender": "Masculine", "vic_TraffickingStatus": "PossibleVictimOfTrafficking"},
        {
            "npp_Jurisdiction": "MY",
            "npp_OffencesCharged": "immigration.unlawful_stay",
            "npp_Decisions": [
                {"decision": "not_charged", "decided_by": "Immigration officer", "on": "2024-05-01"}
            ],
        },
    ]  # fmt: skip
    result = import_htcds(_table(rows), my_supervisor)
    assert result.ok, result.problems

    def snapshot() -> list[list[dict[str, Any]]]:
        return [
            sorted(
                ({k: v for k, v in r.items() if k != "id"} for r in model.objects.values()),
                key=lambda r: json.dumps(r, sort_keys=True, default=str),
            )
            for model in (CaseFact, OffenceFact, DecisionFact)
        ]

    imported = snapshot()
    assert len(imported[0]) == 3 and imported[1] and imported[2]
    rebuild()
    assert snapshot() == imported


def test_import_shows_records_checked_and_written_on_a_progress_bar(
    tmp_path: Any, my_supervisor: Any, transactional_db: Any
) -> None:
    rows = [{"prs_Gender": "Feminine", "npp_Jurisdiction": "MY"} for _ in range(1500)]
    src = tmp_path / "cases.json"
    src.write_text(json.dumps(rows))
    terminal = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "120"}
    r = CliRunner().invoke(
        app, ["import", str(src), "--user", "my-supervisor", "--progress"], env=terminal
    )
    assert r.exit_code == 0, r.output
    assert "records checked" in r.stderr and "records written" in r.stderr
    assert "1500/1500" in r.stderr  # both bars reach the end
    assert "imported 1500 case(s)" in r.stderr
    r = CliRunner().invoke(
        app, ["import", str(src), "--user", "my-supervisor", "--no-progress", "--dry-run"],
        env=terminal,
    )  # fmt: skip
    assert r.exit_code == 0 and "records checked" not in r.stderr
    assert "1500 record(s) checked; all can be imported" in r.stderr
