"""Monitoring dashboard: roles, the read model, and privacy on crafted data (issue #5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import pytest

from npp.web.monitoring.models import CaseFact, DecisionFact, OffenceFact

from .conftest import login

pytestmark = pytest.mark.django_db

DIMS = dict(
    jurisdiction="TH",
    province="Bangkok",
    stage="arrest_and_charge",
    sex="female",
    age_band="16-17",
    nationality="LA",
    sector="sex_industry",
    typology="status",
)


def add_facts(
    n: int,
    *,
    start: int,
    flags: dict[str, Any] | None = None,
    offence: str = "prostitution",
    decisions: tuple[str, ...] = (),
    **dims: Any,
) -> None:
    d = {**DIMS, **dims}
    day = dt.date(int(d.pop("year", 2024)), 3, 1)
    rows, offs, decs = [], [], []
    for i in range(start, start + n):
        f = {"potential_victim": True, **(flags or {})}
        rows.append(
            CaseFact(case_id=i, opened_on=day, month=day, year=day.year, offences=offence, **d, **f)
        )
        offs.append(
            OffenceFact(
                case_id=i,
                position=0,
                category=offence,
                outcome="statutory_bar",
                month=day,
                year=day.year,
                potential_victim=True,
                **d,
            )
        )
        for dec in decisions:
            decs.append(
                DecisionFact(
                    case_id=i,
                    decision=dec,
                    decision_stage="arrest_and_charge",
                    occurred_on=day,
                    after_flag=True,
                    month=day,
                    year=day.year,
                    **d,
                )
            )
    CaseFact.objects.bulk_create(rows)
    OffenceFact.objects.bulk_create(offs)
    DecisionFact.objects.bulk_create(decs)


@pytest.fixture
def regional(org_factory: Any) -> Any:
    return org_factory("asean-sec", "regional_body", "ID")


@pytest.fixture
def analyst(user_factory: Any, regional: Any) -> Any:
    return user_factory("analyst", "analyst", regional)


@pytest.fixture
def supervisor(user_factory: Any, police: Any) -> Any:
    return user_factory("supervisor", "supervisor", police)


@pytest.fixture
def crafted(db: Any) -> None:
    """A common group and several rare combinations an outsider could recognise."""
    add_facts(60, start=1, flags={"charged": True, "punished": True}, decisions=("charged",))
    add_facts(
        40,
        start=100,
        flags={"protected": True, "identified": True, "days_to_identification": 3},
        decisions=("not_charged",),
    )
    add_facts(
        1,
        start=500,
        jurisdiction="BN",
        sex="male",
        age_band="50+",
        nationality="MM",
        sector="unknown",
        typology="liberation",
        offence="violence.homicide",
        flags={"punished": True, "charged": True},
        decisions=("charged", "convicted"),
    )
    add_facts(
        3,
        start=510,
        nationality="VN",
        sector="drug_trade",
        typology="consequential",
        offence="drugs.trafficking",
        flags={"punished": True},
        decisions=("convicted",),
    )
    add_facts(
        12,
        start=520,
        jurisdiction="MY",
        sex="male",
        age_band="25-34",
        nationality="KH",
        sector="fishing",
        offence="immigration.illegal_entry",
        year=2022,
    )


def test_dashboard_is_for_statistics_roles(
    client: Any, analyst: Any, officer: Any, crafted: None
) -> None:
    assert client.get("/monitoring/").status_code == 302  # anonymous: sign in first
    login(client, officer)
    assert client.get("/monitoring/").status_code == 403
    client.logout()
    login(client, analyst)
    r = client.get("/monitoring/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<svg" in html and "The table behind this chart" in html


def _true_counts(by: str) -> dict[str, dict[str, int]]:
    from django.db.models import Count

    from npp.web.monitoring.queries import CASE_MEASURES, OFFENCE_MEASURES

    if by == "offence":
        qs, key, measures = OffenceFact.objects.all(), "category", OFFENCE_MEASURES
    else:
        qs, key, measures = CaseFact.objects.all(), by, CASE_MEASURES
    aggs = {m: Count("pk") if c is None else Count("pk", filter=c) for m, c in measures.items()}
    return {str(r[key]): r for r in qs.values(key).annotate(**aggs)}


@pytest.mark.parametrize(
    "by",
    [
        "jurisdiction",
        "sex",
        "age_band",
        "nationality",
        "sector",
        "typology",
        "offence",
        "stage",
        "year",
        "province",
    ],
)
def test_no_cell_about_fewer_than_k_persons_is_shown(crafted: None, by: str) -> None:
    from npp.web.monitoring import queries

    pol = queries.policy_from()
    table = queries.breakdown(queries.Filters(), pol, by).frame
    truth = _true_counts(by)
    for row in table.to_dicts():
        real = truth[str(row["group"])]
        for m, v in row.items():
            if m in {"group"} or m.endswith("_pct"):
                continue
            if 0 < real[m] < pol.k:
                assert v is None, (by, row["group"], m, real[m], v)
            if v is not None:  # perturbed by at most pol.noise, then rounded
                assert v % pol.base == 0 and (real[m] >= pol.k or real[m] == v == 0)
                assert abs(v - real[m]) <= pol.base // 2 + pol.noise


def test_rare_combinations_are_suppressed_on_the_page_and_in_downloads(
    client: Any, analyst: Any, crafted: None
) -> None:
    login(client, analyst)
    for by in ("nationality", "jurisdiction", "offence"):
        r = client.get(f"/monitoring/download/breakdown.csv?by={by}")
        assert r.status_code == 200
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        labels = {row[0]: row for row in rows[1:]}
        for name in ("MM", "VN", "Brunei Darussalam", "Homicide"):
            for key, row in labels.items():
                if key.startswith(name):
                    assert set(row[1:6]) == {"suppressed"}, row
        for row in rows[1:]:
            for cell in row[1:]:
                if cell.isdigit():
                    assert cell == "0" or int(cell) >= 10  # 11 rounds to 10; never 1..9
    # The filter route cannot single anyone out either: filtering on the rare person.
    r = client.get("/monitoring/download/figures.csv?jurisdiction=BN")
    figures = dict(csv.reader(io.StringIO(r.content.decode())))
    assert figures["Persons screened"] == "suppressed"
    assert figures["Victims punished after being flagged (persons)"] == "suppressed"
    r = client.get("/monitoring/download/decisions.csv?nationality=MM")
    assert all(
        c in {"suppressed", "0"}
        for row in list(csv.reader(io.StringIO(r.content.decode())))[1:]
        for c in row[2:]
    )


def test_k_can_be_raised_but_not_lowered(client: Any, analyst: Any, crafted: None) -> None:
    login(client, analyst)
    default = client.get("/monitoring/download/breakdown.csv?by=jurisdiction").content
    r = client.get("/monitoring/download/breakdown.csv?by=jurisdiction&k=2")
    assert r.content == default  # asking for k=2 changes nothing
    rows = {row[0]: row for row in csv.reader(io.StringIO(r.content.decode()))}
    assert rows["Brunei Darussalam"][1] == "suppressed"
    r = client.get("/monitoring/download/breakdown.csv?by=jurisdiction&k=100")
    rows = {row[0]: row for row in csv.reader(io.StringIO(r.content.decode()))}
    assert rows["Malaysia"][1] == "suppressed"


def test_xlsx_download_and_audit(client: Any, analyst: Any, crafted: None) -> None:
    from npp.web.audit.models import AuditEntry

    login(client, analyst)
    r = client.get("/monitoring/download/trend.xlsx?period=month")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    e = AuditEntry.objects.filter(event="data.exported_statistics").last()
    assert e is not None and e.actor == "analyst" and e.details["table"] == "trend"
    assert client.get("/monitoring/download/persons.csv").status_code == 404


def test_scope_follows_the_organisation(
    client: Any, user_factory: Any, police: Any, crafted: None
) -> None:
    th_analyst = user_factory("th-analyst", "analyst", police)
    login(client, th_analyst)
    r = client.get("/monitoring/download/breakdown.csv?by=jurisdiction")
    names = [row[0] for row in csv.reader(io.StringIO(r.content.decode()))][1:]
    assert names == ["Thailand"]


def test_a_case_written_through_actions_reaches_the_statistics(case: Any, officer: Any) -> None:
    from npp.web.cases import actions

    fact = CaseFact.objects.get(case_id=case.pk)
    assert (fact.jurisdiction, fact.sex, fact.age_band, fact.nationality) == (
        "TH",
        "female",
        "16-17",
        "LA",
    )
    assert fact.potential_victim and fact.flagged_on is not None and not fact.punished
    assert set(fact.offences.split(";")) == {"prostitution", "immigration.illegal_entry"}
    actions.do_record_decision(
        officer,
        case,
        "charged",
        case.version,
        decided_by="Inquiry official",
        offence="prostitution",
    )
    fact.refresh_from_db()
    assert fact.charged and fact.punished
    assert OffenceFact.objects.get(case_id=case.pk, category="prostitution").punished
    assert not OffenceFact.objects.get(
        case_id=case.pk, category="immigration.illegal_entry"
    ).punished
    actions.do_record_decision(
        officer,
        case,
        "identified_as_victim",
        case.version,
        decided_by="MSDHS",
        occurred_on=dt.date.today() + dt.timedelta(days=3),
    )
    fact.refresh_from_db()
    assert fact.identified and fact.identified_after_charge and fact.days_to_identification == 3
    assert DecisionFact.objects.filter(case_id=case.pk).count() == 2
    # Nothing personal in the read model.
    values = " ".join(
        str(v) for v in CaseFact.objects.filter(case_id=case.pk).values().first().values()
    )
    assert "Test Person" not in values and case.reference not in values and "P1234567" not in values


def test_rebuild_reproduces_the_read_model(case: Any, officer: Any) -> None:
    from npp.web.cases import actions
    from npp.web.monitoring.facts import rebuild

    actions.do_record_decision(
        officer, case, "not_charged", case.version, decided_by="Inquiry official"
    )
    before = list(CaseFact.objects.values())
    CaseFact.objects.all().delete()
    assert rebuild() == 1
    assert list(CaseFact.objects.values()) == before


def test_dashboard_page_never_shows_personal_data(
    client: Any, analyst: Any, case: Any, officer: Any
) -> None:
    login(client, analyst)
    pages = [client.get("/monitoring/").content.decode()]
    for table, by in itertools.product(
        ["figures", "trend", "breakdown", "decisions", "time"],
        ["jurisdiction", "province", "nationality"],
    ):
        pages.append(client.get(f"/monitoring/download/{table}.csv?by={by}").content.decode())
    blob = "\n".join(pages)
    assert "Test Person" not in blob and case.reference not in blob and "P1234567" not in blob
