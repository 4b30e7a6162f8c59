"""Reading files: the standard's own Excel toolkit, JSON arrays, and clear errors."""

from __future__ import annotations

import io
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


def _workbook(sheet_xml: bytes) -> bytes:
    """An XLSX (made by xlsxwriter) whose one sheet's XML is replaced by ``sheet_xml``."""
    import zipfile

    import xlsxwriter

    base = io.BytesIO()
    wb = xlsxwriter.Workbook(base, {"in_memory": True})
    wb.add_worksheet("HTCDS").write_string(0, 0, "prs_FirstName")
    wb.close()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item.filename, sheet_xml if item.filename.endswith("sheet1.xml") else body)
    return out.getvalue()


def _sheet(*rows: list[str], doctype: str = "") -> bytes:
    cells = "".join(
        f'<row r="{i + 1}">'
        + "".join(f'<c r="{chr(65 + j)}{i + 1}" t="inlineStr"><is><t>{v}</t></is></c>'
                  for j, v in enumerate(r))
        + "</row>"
        for i, r in enumerate(rows)
    )  # fmt: skip
    return (
        f'<?xml version="1.0"?>{doctype}<worksheet '
        f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def test_xlsx_cells_are_read_with_the_workbook_escapes_undone_once() -> None:
    data = _workbook(_sheet(["prs_FirstName", "prs_SecondName"], ["_x005F_x0041_", "Min_x0020_Oo"]))
    ((_n, rec, problems),) = _rows(read_file(data, "x.xlsx"))
    assert problems == [] and rec == {"prs_FirstName": "_x0041_", "prs_SecondName": "Min Oo"}


def test_an_xlsx_entity_bomb_is_not_expanded() -> None:
    """ "Billion laughs": entities defined in a DOCTYPE are never expanded into the cells."""
    lol = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
    )
    data = _workbook(_sheet(["prs_FirstName"], ["&i;"], doctype=lol))
    try:
        table = read_file(data, "x.xlsx")
    except FileError:
        return  # refused outright: as good
    assert all(len(str(v)) < 1000 for row in table.rows for v in row.values())


def test_an_xlsx_zip_bomb_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from npp.exchange import formats

    monkeypatch.setattr(formats, "MAX_XLSX_EXPANDED", 1_000_000)  # 2 MB of one letter below
    data = _workbook(_sheet(["prs_FirstName"], ["A" * 2_000_000]))
    assert len(data) < 50_000
    with pytest.raises(FileError, match=r"the workbook expands to \d+ MB; at most 0 MB"):
        read_file(data, "x.xlsx")


def test_the_mapping_covers_every_field_of_the_standard_in_its_order() -> None:
    assert list(mapping().fields) == list(standard().fields)
    assert all(m.path or not m.values for m in mapping().fields.values())
