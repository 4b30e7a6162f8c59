"""Reading files: the standard's own Excel toolkit, JSON arrays, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from npp.exchange import FileError, mapping, parse_row, read_file, standard, to_project
from npp.exchange.project import from_project

TOOLKIT = Path(__file__).parent / "fixtures" / "htcds-toolkit-v2.0-filled.xlsx"
VOCAB = {"offence_categories": ("prostitution", "drugs.transport"), "jurisdictions": ("TH",)}


def _rows(table: Any) -> list[tuple[int, dict[str, Any], list[Any]]]:
    out = []
    for raw, n in zip(table.rows, table.numbers, strict=True):
        rec, problems = parse_row(raw, n, VOCAB)
        out.append((n, rec, problems))
    return out


def test_a_workbook_filled_in_with_the_standards_excel_toolkit_is_read() -> None:
    table = read_file(TOOLKIT.read_bytes(), TOOLKIT.name)
    assert table.problems == [] and table.warnings == []
    (n1, first, p1), (n2, second, p2) = _rows(table)
    assert (n1, n2) == (3, 4) and p1 == p2 == []  # the hidden name row and the label row
    assert first["vic_TraffickingStatusDecisionMakingOrg"] == "NonPoliceGovernmentalOrganization"
    assert first["cas_ReasonForOutgoingReferral"] == "MigrationOrChangeOfLocation"  # no header
    assert first["vic_MethodsOfControl"] == ["DebtBondage", "WithholdsDocuments", "TakesEarnings"]
    assert first["vic_TypeOfExploitation"] == ["ForcedLabour", "ChildLabour"]
    assert first["vic_ForcedLabourIndustry"] == "A_AgricultureForestryAndFishing"
    assert first["cas_Status"] == "FollowUp" and second["cas_Status"] == "ClosedReferred"
    assert first["prs_Birthdate"] == "2001-05-04" and first["con_Consent"] == "true"
    assert first["prs_Citizenship"] == ["MM"]
    assert (first["prs_FirstName"], first["prs_SecondName"]) == ("Zaw", "Min Oo")
    assert second["vic_TypeOfSexExploitation"] == ["Prostitution", "RemoteInteractiveServices"]
    for rec in (first, second):
        assert from_project(to_project(rec, jurisdiction="TH"), identity=True) == {
            **rec,
            "npp_Jurisdiction": "TH",
            "npp_Nationality": "MM",
            **({"npp_Means": ["debt_bondage"]} if rec is first else {}),
            **(
                {"npp_Purposes": ["forced_labour"], "npp_Sex": "male"}
                if rec is first
                else {
                    "npp_Purposes": ["sexual_exploitation"],
                    "npp_Sex": "female",
                    "npp_VictimStatus": "formal",
                }
            ),
            **({"npp_VictimStatus": "potential"} if rec is first else {}),
        }


def test_json_multi_value_fields_are_arrays() -> None:
    data = [{"vic_TypeOfExploitation": ["ForcedLabour", "ChildLabour"], "con_Consent": True}]
    ((_n, rec, problems),) = _rows(read_file(json.dumps(data).encode(), "x.json"))
    assert problems == []
    assert rec == {"vic_TypeOfExploitation": ["ForcedLabour", "ChildLabour"], "con_Consent": "true"}


def test_a_record_without_offences_is_a_victim_record() -> None:
    ((_n, rec, problems),) = _rows(read_file(b"prs_Gender\nMasculine\n", "x.csv"))
    p = to_project(rec, jurisdiction="TH")
    assert problems == [] and p["facts"]["offences"] == []
    assert p["facts"]["person"]["sex"] == "male"


def test_errors_name_the_row_and_the_field_one_line_each() -> None:
    csv = (
        "prs_Gendre,vic_TypeOfExploitation,prs_Birthdate,npp_OffencesCharged,Notes\n"
        "Male,Slavery;ForcedLabour,01/03/2024,drugs.transprot,free text\n"
    )
    table = read_file(csv.encode(), "x.csv")
    assert [str(p) for p in table.problems] == [
        "row 1: prs_Gendre: is not a field of HTCDS 2.0 or npp_; did you mean 'prs_Gender'?"
    ]
    assert table.warnings == ["column 'Notes' is not an HTCDS 2.0 field: not imported"]
    ((_n, _rec, problems),) = _rows(table)
    lines = [str(p) for p in problems]
    assert lines[0].startswith("row 2: vic_TypeOfExploitation: 'Slavery' is not in the list")
    assert lines[1] == "row 2: prs_Birthdate: '01/03/2024' is not a date (YYYY-MM-DD)"
    assert lines[2] == (
        "row 2: npp_OffencesCharged: unknown code 'drugs.transprot'; "
        "did you mean 'drugs.transport'?"
    )


def test_old_draft_values_are_refused_with_the_v2_list() -> None:
    ((_n, _rec, problems),) = _rows(read_file(b"prs_Gender\nFemale\n", "x.csv"))
    assert "Feminine, Masculine, TransgenderFeminine" in problems[0].problem


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\xfe", "x.csv", "not UTF-8"),
        (b"{", "x.json", "not valid JSON"),
        (b'{"a": 1}', "x.json", "array of objects"),
        (b"PK not a zip", "x.xlsx", "not an XLSX workbook"),
        (b"name,age\nx,1\n", "x.csv", "no field of HTCDS"),
        (b"", "x.csv", "empty"),
        (b"a", "x.txt", "must end in .csv, .json or .xlsx"),
    ],
)
def test_an_unusable_file_is_one_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(FileError, match=message):
        read_file(data, name)


def test_xlsx_is_read_with_protection_against_xml_bombs() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML  # defusedxml is a dependency: openpyxl then parses with it


def test_the_mapping_covers_every_field_of_the_standard_in_its_order() -> None:
    assert list(mapping().fields) == list(standard().fields)
    assert all(m.path or not m.values for m in mapping().fields.values())
