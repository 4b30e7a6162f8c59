"""Least privilege for referrals (issue 15): transfer of responsibility vs service referral.

The authorisation matrix (tests/verify) checks every route for both kinds; these tests check
the rules themselves: the data table, what each side may record, how responsibility moves,
and the migration of existing referrals (forward and back, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from npp.web import access
from npp.web.cases import actions
from npp.web.cases.referral_rules import RulesError, parse, rules

from .conftest import login

SOON = dt.date.today() + dt.timedelta(days=7)


@pytest.fixture
def orgs(org_factory: Any) -> dict[str, Any]:
    return {k: org_factory(f"th-{k}", k) for k in ("police", "prosecution", "court", "ngo")}


@pytest.fixture
def people(orgs: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    roles = {"police": "frontline", "prosecution": "prosecutor", "court": "judge",
             "ngo": "caseworker"}  # fmt: skip
    return {k: user_factory(f"u-{k}", roles[k], o) for k, o in orgs.items()}


@pytest.fixture
def owned(people: dict[str, Any], facts: dict[str, Any]) -> Any:
    return actions.do_create_case(people["police"], facts, person={"full_name": "Mai Sirikul"})


# --------------------------------------------------------------------------- the data table


def test_rules_file_lists_every_organisation_kind_and_known_decisions() -> None:
    r = rules()
    assert r.suggested_kind("police", "prosecution") == "transfer"
    assert r.suggested_kind("prosecution", "court") == "transfer"
    assert r.suggested_kind("police", "ngo") == "service"
    assert "shelter_provided" in r.service_decisions("ngo", "trial")
    assert "charged" not in r.service_decisions("ngo", "arrest_and_charge")
    assert r.service_decisions("court", "trial") == frozenset()
    assert "defence_raised" in r.service_decisions("defence", "trial")
    assert "defence_raised" not in r.service_decisions("defence", "identification")


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        ({"transfer_chain": [["police", "sheriff"]]}, "transfer_chain -> 0"),
        ({"service_decisions": {"ngo": {}}}, "must list every organisation kind"),
        ({"stage": "hearing"}, "hearing: unknown stage"),
        ({"decision": "pardoned_by_ngo"}, "unknown decision pardoned_by_ngo"),
    ],
)
def test_a_broken_rules_file_is_refused_naming_the_key(broken: dict[str, Any], words: str) -> None:
    import yaml

    from npp.web.cases.referral_rules import PATH

    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    if "stage" in broken:
        data["service_decisions"]["ngo"][broken["stage"]] = ["screened"]
    elif "decision" in broken:
        data["service_decisions"]["ngo"]["any"].append(broken["decision"])
    else:
        data.update(broken)
    with pytest.raises(RulesError, match=words):
        parse(data)


# --------------------------------------------------------------------------- service referral


def test_a_service_receiver_records_its_service_and_nothing_else(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any], facts: dict[str, Any]
) -> None:
    actions.do_refer(people["police"], owned, orgs["ngo"], "shelter_and_support", SOON,
                     owned.version, kind="service")  # fmt: skip
    ngo = people["ngo"]
    case = access.get_case(ngo, owned.reference)  # it sees the case
    may = access.rights(ngo, case)
    assert not (may.responsible or may.change_facts or may.advance_stage or may.refer)
    assert not may.identity and not access.may_see_identity(ngo, case)
    ev = actions.do_record_decision(ngo, case, "shelter_provided", case.version,
                                    decided_by="Shelter manager")  # fmt: skip
    assert ev.decision == "shelter_provided"
    with pytest.raises(PermissionDenied):
        actions.do_record_decision(ngo, case, "not_charged", case.version, decided_by="x")
    with pytest.raises(PermissionDenied):
        actions.do_update_facts(ngo, case, facts, case.version)
    with pytest.raises(PermissionDenied):
        actions.do_advance_stage(ngo, case, "prosecution", case.version)
    with pytest.raises(PermissionDenied):
        actions.do_refer(ngo, case, orgs["court"], "court", SOON, case.version)


def test_a_shared_identity_is_read_but_not_changed_by_a_service_receiver(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any], client: Any
) -> None:
    actions.do_refer(people["police"], owned, orgs["ngo"], "shelter_and_support", SOON,
                     owned.version, kind="service", share_identity=True)  # fmt: skip
    ngo = people["ngo"]
    assert access.rights(ngo, owned).identity
    with pytest.raises(PermissionDenied):
        actions.do_update_person(ngo, owned, {"full_name": "Changed"}, owned.version + 1)
    login(client, ngo)
    page = client.get(f"/cases/{owned.reference}/person/").content.decode()
    assert "Mai Sirikul" in page and 'data-testid="person-read-only"' in page
    assert client.post(f"/cases/{owned.reference}/person/", {"version": 2}).status_code == 403


def test_the_case_page_of_a_service_receiver_offers_only_its_decisions(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any], client: Any
) -> None:
    actions.do_refer(people["police"], owned, orgs["ngo"], "shelter_and_support", SOON,
                     owned.version, kind="service")  # fmt: skip
    login(client, people["ngo"])
    page = client.get(f"/cases/{owned.reference}/").content.decode()
    assert 'value="shelter_provided"' in page
    assert 'value="charged"' not in page
    assert "Advance stage" not in page and "Change facts" not in page
    assert 'data-testid="access-note"' in page


# --------------------------------------------------------------------------- transfer


def test_a_transfer_moves_responsibility_and_the_sender_keeps_reading(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any]
) -> None:
    police, prosecutor = people["police"], people["prosecution"]
    r = actions.do_refer(police, owned, orgs["prosecution"], "prosecution_review", SOON,
                         owned.version)  # fmt: skip
    assert r.kind == "transfer"  # the next link of the chain, by default
    case = access.get_case(prosecutor, owned.reference)
    assert access.rights(prosecutor, case).responsible
    actions.do_advance_stage(prosecutor, case, "prosecution", case.version)
    actions.do_record_decision(prosecutor, case, "charge_withdrawn", case.version,
                               decided_by="Public prosecutor")  # fmt: skip
    # The sender reads the outcome but writes nothing more ...
    seen = access.get_case(police, owned.reference)
    assert seen.stage == "prosecution"
    assert "charge_withdrawn" in set(seen.events.values_list("decision", flat=True))
    mine = access.rights(police, seen)
    assert not mine.responsible and not mine.decisions and mine.identity
    with pytest.raises(PermissionDenied):
        actions.do_record_decision(police, seen, "charged", seen.version, decided_by="x")
    # ... until it withdraws the transfer: responsibility comes back.
    r.refresh_from_db()
    actions.do_update_referral(police, r, "withdrawn", r.version)
    assert access.rights(police, seen).responsible
    assert not access.visible_cases(prosecutor).filter(pk=owned.pk).exists()


def test_a_declined_transfer_leaves_the_sender_responsible(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any]
) -> None:
    r = actions.do_refer(people["police"], owned, orgs["prosecution"], "prosecution_review",
                         SOON, owned.version, kind="transfer")  # fmt: skip
    actions.do_update_referral(people["prosecution"], r, "declined", r.version)
    assert access.rights(people["police"], owned).responsible
    assert not access.rights(people["prosecution"], owned).responsible


def test_the_api_takes_and_shows_the_kind(
    owned: Any, people: dict[str, Any], orgs: dict[str, Any], client: Any, token_for: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for(people['police'])}"}
    body = {"to_organisation": "th-ngo", "purpose": "legal_aid", "due_date": SOON.isoformat(),
            "version": owned.version, "kind": "service"}  # fmt: skip
    r = client.post(f"/api/v1/cases/{owned.reference}/referrals", body,
                    content_type="application/json", **auth)  # fmt: skip
    assert r.status_code == 201 and r.json()["kind"] == "service"
    body["kind"] = "handover"
    body["version"] = owned.version + 1
    r = client.post(f"/api/v1/cases/{owned.reference}/referrals", body,
                    content_type="application/json", **auth)  # fmt: skip
    assert r.status_code == 400 and "kind" in r.content.decode()


# --------------------------------------------------------------------------- migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_sets_kinds_by_the_chain_and_reverses() -> None:
    """Forward: police->prosecution and prosecution->court become transfers, the rest service.
    Backward: the column goes and the referrals stay. Runs on SQLite and PostgreSQL."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("cases", "0002_exchange"), ("accounts", "0002_exchange")]
    after = [("cases", "0003_referral_kind"), ("accounts", "0002_exchange")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        org = old.get_model("accounts", "Organisation")
        o = {k: org.objects.create(code=f"m-{k}", name=k, kind=k, jurisdiction="TH")
             for k in ("police", "prosecution", "court", "ngo", "immigration")}  # fmt: skip
        case = old.get_model("cases", "Case").objects.create(
            reference="TH-MIGRATE1", organisation=o["police"], facts={}, jurisdiction="TH"
        )
        referral = old.get_model("cases", "Referral")
        pairs = [("police", "prosecution"), ("prosecution", "court"), ("police", "ngo"),
                 ("immigration", "prosecution"), ("police", "court")]  # fmt: skip
        ids = {
            p: referral.objects.create(case=case, from_org=o[p[0]], to_org=o[p[1]],
                                       purpose="other", due_date=SOON).pk
            for p in pairs
        }  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("cases", "Referral")
        kinds = {p: new.objects.get(pk=pk).kind for p, pk in ids.items()}
        assert kinds == {
            ("police", "prosecution"): "transfer",
            ("prosecution", "court"): "transfer",
            ("police", "ngo"): "service",
            ("immigration", "prosecution"): "service",
            ("police", "court"): "service",
        }
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "cases_referral"
            )
        }
        assert "kind" not in columns
        assert referral.objects.filter(pk__in=ids.values()).count() == len(pairs)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_docs_show_the_current_rules_table() -> None:
    """docs/referrals.md reproduces referral_rules.yaml; regenerate it with markdown_table()."""
    from pathlib import Path

    from npp.web.cases.referral_rules import markdown_table

    doc = Path(__file__).resolve().parents[2] / "docs" / "referrals.md"
    text = doc.read_text(encoding="utf-8")
    shown = text.split("<!-- referral-rules:start -->")[1].split("<!-- referral-rules:end -->")[0]
    assert shown.strip() == markdown_table().strip()
