"""HTCDS v2.0 rows with npp_ extension fields: mapping, round trip and validation."""

from __future__ import annotations

import datetime as dt
import json

from npp.analytics import htcds
from npp.analytics.htcds import CaseRecord, from_row, to_row

DECISIONS = {
    "charged": "arrest_and_charge",
    "identified_as_victim": "identification",
    "charge_withdrawn": "prosecution",
}
STAGES = [
    "identification",
    "arrest_and_charge",
    "prosecution",
    "trial",
    "sentencing",
    "post_conviction",
]
FACTS = {
    "jurisdiction": "TH",
    "offence_date": "2024-03-01",
    "stage": "arrest_and_charge",
    "person": {
        "age": 16,
        "age_disputed": True,
        "sex": "female",
        "nationality": "LA",
        "victim_status": "potential",
        "identified_by": None,
    },
    "offences": [{"category": "prostitution"}, {"category": "immigration.illegal_entry"}],
    "trafficking": {
        "acts": ["recruitment"],
        "means": ["deception", "debt_bondage"],
        "purposes": ["sexual_exploitation"],
        "compelled": None,
        "direct_consequence": True,
        "under_control_at_offence": True,
    },
    "indicators": [],
}


def record() -> CaseRecord:
    return CaseRecord(
        facts=FACTS,
        reference="TH-ABCDEFGH",
        organisation="th-police",
        organisation_name="Police",
        organisation_kind="police",
        province="Chiang Mai",
        first_contact=dt.date(2024, 3, 2),
        identity={"full_name": "Ma Lin Aye", "date_of_birth": "2008-01-01"},
        potential_victim=True,
        outcomes=["ministerial_permission_required", "ministerial_permission_required"],
        decisions=[
            {
                "on": "2024-03-03",
                "stage": "arrest_and_charge",
                "decision": "charged",
                "offence": "prostitution",
                "decided_by": "Inquiry official, station X",
            }
        ],
    )


def test_picklists_and_extension_fields() -> None:
    row = to_row(record())
    assert row["prs_Gender"] == "Female"
    assert row["prs_Citizenship"] == "LA"
    assert row["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert row["vic_TypeOfExploitation"] == "SexualExploitation"
    assert row["vic_MethodsOfControl"] == "FalsePromises;DebtBondage"
    assert row["org_Type"] == "LawEnforcement"
    assert row["npp_OffencesCharged"] == "prostitution;immigration.illegal_entry"
    assert row["npp_Decision"] == "charged" and row["npp_DecisionMaker"].startswith("Inquiry")
    assert set(row) == set(htcds.COLUMNS)
    assert all(c.startswith(("prs_", "vic_", "cas_", "org_", "npp_")) for c in row)


def test_identity_is_left_out_unless_asked() -> None:
    assert to_row(record())["prs_FirstName"] == ""
    assert to_row(record())["prs_Birthdate"] == ""
    full = to_row(record(), with_identity=True)
    assert (full["prs_FirstName"], full["prs_SecondName"]) == ("Ma Lin", "Aye")


def test_round_trip_keeps_facts_and_decisions() -> None:
    rec, problems = from_row(
        to_row(record(), with_identity=True), 2, decisions=DECISIONS, stages=STAGES
    )
    assert problems == [] and rec is not None
    assert rec.facts["person"] == FACTS["person"]
    assert rec.facts["trafficking"] == FACTS["trafficking"]
    assert [o["category"] for o in rec.facts["offences"]] == [
        "prostitution",
        "immigration.illegal_entry",
    ]
    assert rec.decisions[0]["decision"] == "charged" and rec.decisions[0]["on"] == dt.date(
        2024, 3, 3
    )
    assert rec.identity["full_name"] == "Ma Lin Aye" and rec.reference == "TH-ABCDEFGH"


def test_plain_htcds_rows_map_into_case_facts() -> None:
    row = {
        "npp_Jurisdiction": "MY",
        "npp_OffencesCharged": "immigration.unlawful_stay",
        "prs_Gender": "Male",
        "prs_Birthdate": "1990-06-30",
        "npp_OffenceDate": "2024-06-29",
        "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        "vic_TypeOfExploitation": "ForcedLabour",
        "vic_MethodsOfControl": "WithholdsDocuments;DebtBondage",
        "cas_Status": "Active",
    }
    rec, problems = from_row(row, 5, decisions=DECISIONS, stages=STAGES)
    assert problems == [] and rec is not None
    assert rec.facts["person"]["age"] == 33
    assert rec.facts["person"]["victim_status"] == "formal"
    assert rec.facts["trafficking"]["purposes"] == ["forced_labour"]
    assert rec.facts["trafficking"]["means"] == ["coercion", "debt_bondage"]


def test_every_problem_of_a_row_is_reported_with_its_field() -> None:
    row = {
        "npp_OffencesCharged": "",
        "prs_Gender": "F",
        "npp_OffenceDate": "01/03/2024",
        "vic_TypeOfExploitation": "Slavery",
        "npp_Compelled": "maybe",
        "npp_Decisions": json.dumps(
            [
                {"decision": "jailed", "decided_by": "x", "on": "2024-01-01"},
                {"decision": "charged", "on": "2024-01-01"},
            ]
        ),
        "mystery": "1",
        "per_RoleInProcess": "Exploiter",
    }
    rec, problems = from_row(row, 7, decisions=DECISIONS, stages=STAGES)
    assert rec is None
    fields = {p.field for p in problems}
    assert {
        "npp_Jurisdiction",
        "npp_OffencesCharged",
        "prs_Gender",
        "npp_OffenceDate",
        "vic_TypeOfExploitation",
        "npp_Compelled",
        "mystery",
    } <= fields
    assert "per_RoleInProcess" not in fields  # other HTCDS fields are accepted
    texts = [str(p) for p in problems]
    assert any("unknown decision 'jailed'" in t for t in texts)
    assert any("decided_by" in t for t in texts)
    assert all(t.startswith("row 7: ") for t in texts)
