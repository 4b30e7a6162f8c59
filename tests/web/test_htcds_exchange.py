"""HTCDS v2.0 through the database: a file made from the standard imports and comes back
unchanged, the project's own export round-trips on a fresh instance, exported values conform."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from typer.testing import CliRunner

import npp
from npp.cli.main import app
from npp.exchange import from_project, mapping, parse_row, read_file, standard
from npp.exchange.formats import write_records
from npp.exchange.project import empty_project
from npp.web.cases.models import Case, Referral

from .conftest import th_facts

STANDARD = list(standard().fields)
TOOLKIT = Path(__file__).parents[1] / "exchange" / "fixtures" / "htcds-toolkit-v2.0-filled.xlsx"
#: Fields that describe the exporting instance itself (filled in when a file leaves them out).
INSTANCE = {"org_Name", "org_Type", "org_ShippingCountry", "org_ShippingState", "cas_CaseOwner"}


def _file(records: list[dict[str, Any]], fmt: str) -> Any:
    buf = io.BytesIO()
    write_records(records, list(mapping().columns), fmt, buf)
    return read_file(buf.getvalue(), f"x.{fmt}")


def _export(fmt: str = "json", **filters: Any) -> list[dict[str, Any]]:
    from npp.web.monitoring.exchange import export_htcds

    buf = io.BytesIO()
    export_htcds(Case.objects.filter(**filters), buf, fmt=fmt, with_identity=True)
    table = read_file(buf.getvalue(), f"x.{fmt}")
    return [parse_row(r, n, {})[0] for r, n in zip(table.rows, table.numbers, strict=True)]


def _supervisor(user_factory: Any, org_factory: Any) -> Any:
    return user_factory(
        "my-supervisor", "supervisor", org_factory("my-immigration", "immigration", "MY")
    )


# --------------------------------------------------------------------------- property


class TestThroughTheDatabase(HypothesisTestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(x=st.deferred(lambda: _records()), fmt=st.sampled_from(["csv", "json", "xlsx"]))
    def test_export_of_import_is_the_file_field_by_field(self, x: dict[str, Any], fmt: str) -> None:
        from npp.web.accounts.models import Organisation, User
        from npp.web.monitoring.exchange import import_htcds

        org, _ = Organisation.objects.get_or_create(
            code="my-immigration",
            defaults={"name": "MY Immigration", "kind": "immigration", "jurisdiction": "MY"},
        )
        user, _ = User.objects.get_or_create(
            username="sup", defaults={"organisation": org, "role": "supervisor"}
        )
        result = import_htcds(_file([x], fmt), user)
        assert result.ok, result.problems
        (ref,) = result.created
        (out,) = _export(fmt, reference=ref)
        assert {k: v for k, v in out.items() if k in x} == x
        assert set(out) - set(x) - INSTANCE <= {k for k in out if k.startswith("npp_")}
        enc = Case.objects.get(reference=ref).exchange
        assert enc.fields == {k: v for k, v in x.items()}


def _records() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "exchange_strategies", Path(__file__).parents[1] / "exchange" / "strategies.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.records()


# --------------------------------------------------------------------------- files


pytestmark = pytest.mark.django_db


def test_a_toolkit_workbook_imports_and_unknown_organisations_become_external(
    tmp_path: Any, user_factory: Any, org_factory: Any, transactional_db: Any
) -> None:
    from npp.web.accounts.models import Organisation

    _supervisor(user_factory, org_factory)
    r = CliRunner().invoke(app, ["import", str(TOOLKIT), "--user", "my-supervisor"])
    assert r.exit_code == 0, r.output
    assert "external organisation recorded: Mekong Fishers Aid" in r.output
    verify = CliRunner().invoke(app, ["audit", "verify"])  # bulk entries chain like the others
    assert verify.exit_code == 0, verify.output
    external = Organisation.objects.filter(kind="external")
    assert sorted(external.values_list("name", flat=True)) == [
        "Mekong Fishers Aid",
        "Songkhla Shelter",
    ]
    cases = Case.objects.order_by("pk")
    assert [c.closed for c in cases] == [False, True]  # FollowUp stays open, ClosedReferred closed
    assert cases[0].facts["offences"] == [] and cases[0].assessments.count() == 0
    assert cases[0].person.full_name == "Zaw Min Oo"
    assert cases[0].exchange.fields["vic_ForcedLabourIndustry"] == "A_AgricultureForestryAndFishing"
    out = tmp_path / "again.xlsx"
    r = CliRunner().invoke(app, ["export", "--format", "htcds", "--identity", "--out", str(out)])
    assert r.exit_code == 0, r.output
    original = read_file(TOOLKIT.read_bytes(), TOOLKIT.name)
    again = read_file(out.read_bytes(), out.name)
    for raw, n, back in zip(original.rows, original.numbers, again.rows, strict=True):
        x = parse_row(raw, n, {})[0]
        y = parse_row(back, n, {})[0]
        assert {k: v for k, v in y.items() if k in x} == x


def test_the_projects_own_export_round_trips_on_a_fresh_instance(
    case: Any, officer: Any, ngo: Any, user_factory: Any, org_factory: Any
) -> None:
    import datetime as dt

    from npp.web.cases import actions
    from npp.web.monitoring.exchange import import_htcds

    actions.do_record_decision(
        officer, case, "not_charged", case.version, decided_by="Inquiry official"
    )
    ref = actions.do_refer(
        officer, case, ngo, "shelter_and_support", dt.date(2025, 1, 2), case.version
    )
    actions.do_update_referral(officer, ref, "accepted", ref.version)
    other = actions.do_create_case(officer, th_facts(), person={"full_name": "Zaw Min Oo"})
    Case.objects.filter(pk=other.pk).update(closed=True)
    before = _export("csv")
    # A fresh instance: none of these cases, and the NGO unknown there.
    Referral.objects.all().delete()
    Case.objects.all().delete()
    ngo.delete()
    importer = _supervisor(user_factory, org_factory)
    result = import_htcds(_file(before, "csv"), importer)
    assert result.ok, result.problems
    assert result.organisations == [ngo.name]
    after = _export("csv")
    moved = {"npp_CaseReference", "npp_SourceReference", *INSTANCE}
    for a, b in zip(before, after, strict=True):
        assert {k: v for k, v in a.items() if k not in moved} == {
            k: v for k, v in b.items() if k not in moved
        }
        assert b["npp_SourceReference"] == a["npp_CaseReference"]
    referral = Referral.objects.get()
    assert referral.status == "accepted" and referral.to_org.kind == "external"
    assert [c.closed for c in Case.objects.order_by("pk")] == [False, True]


def test_the_web_pages_take_the_toolkit_workbook_and_give_xlsx(
    client: Any, user_factory: Any, org_factory: Any
) -> None:
    from .conftest import login

    login(client, _supervisor(user_factory, org_factory))
    with TOOLKIT.open("rb") as fh:
        r = client.post("/monitoring/import/", {"file": fh})
    assert r.status_code == 200 and "2 cases imported" in r.content.decode()
    case = Case.objects.order_by("pk").first()
    assert case is not None
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "As received (HTCDS v2.0)" in page and "Agriculture, forestry and fishing" in page
    assert "Min Oo" not in page  # identifying fields only on the personal details page
    assert "+66 81 234 5678" in client.get(f"/cases/{case.reference}/person/").content.decode()
    r = client.post("/monitoring/export/", {"format": "htcds", "file_format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_file(r.content, "export.xlsx")
    rows = [parse_row(raw, n, {})[0] for raw, n in zip(table.rows, table.numbers, strict=True)]
    assert [row["cas_Status"] for row in rows] == ["FollowUp", "ClosedReferred"]
    assert all("prs_FirstName" not in row for row in rows)  # identity only when asked


def test_offence_categories_come_from_the_knowledge_base_vocabulary() -> None:
    from npp.web.monitoring.exchange import vocabulary

    assert set(vocabulary()["offence_categories"]) == set(
        npp.engine().kb.vocabulary.offence_categories
    )


# --------------------------------------------------------------------------- conformance
KB = npp.load_knowledge()
V = KB.vocabulary


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    """Random records of the project's own, from the knowledge base's vocabulary."""
    from npp.web.accounts.models import OrgKind
    from npp.web.cases.vocab import ReferralPurpose

    p = empty_project(draw(st.sampled_from(sorted(V.jurisdictions))))
    person = p["facts"]["person"]
    person["sex"] = draw(st.sampled_from([None, "female", "male", "other"]))
    person["victim_status"] = draw(st.sampled_from([None, *V.victim_status]))
    person["nationality"] = draw(st.sampled_from([None, "MM", "LA", "KH", "XX"]))
    subset = st.lists
    traf = p["facts"]["trafficking"]
    traf["means"] = draw(subset(st.sampled_from(V.trafficking_means), unique=True))
    traf["purposes"] = draw(subset(st.sampled_from(V.exploitation_purposes), unique=True))
    p["facts"]["offences"] = [
        {"category": c}
        for c in draw(subset(st.sampled_from(sorted(V.offence_categories)), unique=True))
    ]
    p["case"].update(closed=draw(st.booleans()), owner="demo-supervisor")
    p["organisation"] = {
        "name": "Org",
        "kind": draw(st.sampled_from(OrgKind.values)),
        "country": "TH",
        "state": "",
    }
    if draw(st.booleans()):
        p["referral"] = {
            "to_name": "Shelter",
            "purpose": draw(st.sampled_from(ReferralPurpose.values)),
            "created": "2024-01-02",
            "note": "x",
        }
    p["identity"] = {"full_name": "Ma Lin Aye", "date_of_birth": "2008-01-01"}
    return p


@settings(max_examples=200, deadline=None)
@given(p=projects())
def test_every_exported_value_is_in_the_standards_list_for_its_field(p: dict[str, Any]) -> None:
    std = standard()
    out = from_project(p, identity=True)
    for name, value in out.items():
        if name not in std.fields:
            assert name.startswith("npp_")
            continue
        f = std.fields[name]
        values = value if isinstance(value, list) else [value]
        assert isinstance(value, list) == f.multi, name
        for v in values:
            if f.values:
                assert v in f.values, (name, v)
            elif f.kind == "country":
                assert v in std.countries, (name, v)
    assert "cas_CaseOwner" in out and out["cas_CaseOwner"] == "demo-supervisor"


def test_a_referral_to_the_importing_organisation_is_kept_as_one_it_received(
    user_factory: Any, org_factory: Any
) -> None:
    from npp.web.monitoring.exchange import import_htcds

    importer = _supervisor(user_factory, org_factory)
    row = {
        "org_Name": "Sabah Shelter",
        "npp_Referrals": [
            {
                "to": "my-immigration",
                "purpose": "formal_identification",
                "due": "2025-02-01",
                "status": "completed",
            }
        ],
    }
    result = import_htcds(_file([row], "json"), importer)
    assert result.ok, result.problems
    referral = Referral.objects.get()
    assert (referral.from_org.name, referral.to_org.code) == ("Sabah Shelter", "my-immigration")
    assert referral.status == "completed"
    alone = {"npp_Referrals": row["npp_Referrals"]}  # and no organisation to say it came from
    result = import_htcds(_file([alone], "json"), importer)
    assert [str(p) for p in result.problems] == [
        "row 1: npp_Referrals[0]: a referral to the importing organisation itself"
    ]
