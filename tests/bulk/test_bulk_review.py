"""``review()`` on real files: rows in = rows out, unknown columns untouched, rejects file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import npp
from npp.bulk.columns import OUTPUT_COLUMNS, REJECT_COLUMNS
from npp.bulk.review import rejects_path, review
from npp.errors import NppError

KB = npp.load_knowledge()
TODAY = dt.date(2026, 11, 28)
HEADER = "record_id,jurisdiction,offence.category,person.age,notes,amount\n"
ROWS = [
    'A1,TH,prostitution,16,"said ""I was forced"", then left",007\n',
    "A2,MY,drugs.trafficking,abc, spaced ,1.50\n",
    "A3,PH,begging,,élan — ünïcode,\n",
    "A4,XX,,200,,-0\n",
]


def write(tmp: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_comes_out_with_its_unknown_columns_untouched(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + "".join(ROWS))
    out = tmp_path / "out.csv"
    summary = review(KB, src, out, date=TODAY)
    assert (summary.rows, summary.rejected_rows) == (4, 2)
    rows_in, rows_out = read_rows(src), read_rows(out)
    assert list(rows_out[0]) == [*rows_in[0], *OUTPUT_COLUMNS]
    for a, b in zip(rows_in, rows_out, strict=True):
        assert {k: b[k] for k in a} == a  # text exactly as written, quotes and all
    assert rows_out[0]["outcome"] and rows_out[0]["review_priority"]
    assert rows_out[1]["outcome"] == "" and rows_out[1]["reason"].startswith("rejected: person.age")


def test_rejects_file_lists_row_field_problem_and_value(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + "".join(ROWS))
    out = tmp_path / "out.csv"
    summary = review(KB, src, out, date=TODAY)
    assert summary.rejects == tmp_path / "out.csv.rejects.csv" == rejects_path(out)
    rejects = read_rows(summary.rejects)
    assert list(rejects[0]) == list(REJECT_COLUMNS)
    assert [(r["row"], r["field"], r["value"]) for r in rejects] == [
        ("2", "person.age", "abc"),
        ("4", "jurisdiction", "XX"),
        ("4", "person.age", "200"),
        ("4", "offence.category", ""),
    ]
    assert summary.problems == 4


def test_rejects_file_is_written_even_when_empty(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + ROWS[0])
    stale = tmp_path / "out.csv.rejects.csv"
    stale.write_text("row,field,problem,value\n9,x,old,\n")
    summary = review(KB, src, tmp_path / "out.csv", date=TODAY)
    assert summary.rejected_rows == 0
    assert stale.read_text() == "row,field,problem,value\n"


def test_parquet_round_trip_keeps_types_of_carried_columns(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "record_id": [1, 2],
            "jurisdiction": ["TH", "VN"],
            "offence.category": ["prostitution", "fraud.online_scam"],
            "person.age": [16, None],
            "trafficking.compelled": [True, None],
            "offence_date": [dt.date(2024, 3, 1), None],
            "amount": [1.5, None],
            "tags": [["a", "b"], []],
        }
    )
    src = tmp_path / "in.parquet"
    frame.write_parquet(src)
    out = tmp_path / "out.parquet"
    review(KB, src, out, date=TODAY)
    back = pl.read_parquet(out)
    assert back.select(frame.columns).equals(frame)
    assert back.schema["potential_victim"] == pl.Boolean
    assert back.schema["review_priority"] == pl.Int8
    # Parquet in, CSV out, and the other way round.
    review(KB, src, tmp_path / "out.csv", date=TODAY)
    assert pl.read_csv(tmp_path / "out.csv")["outcome"].to_list() == back["outcome"].to_list()


def test_many_batches_give_the_same_file_as_one(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + "".join(ROWS * 25))
    review(KB, src, tmp_path / "one.csv", date=TODAY)
    summary = review(KB, src, tmp_path / "many.csv", date=TODAY, batch_rows=7)
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "many.csv").read_text()
    one = (tmp_path / "one.csv.rejects.csv").read_text()
    assert one == (tmp_path / "many.csv.rejects.csv").read_text()
    assert summary.rows == 100 and summary.rejected_rows == 50


def test_a_header_only_file_gives_a_header_only_output(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER)
    summary = review(KB, src, tmp_path / "out.csv", date=TODAY)
    assert summary.rows == 0
    assert (tmp_path / "out.csv").read_text().splitlines() == [
        HEADER.strip() + "," + ",".join(OUTPUT_COLUMNS)
    ]


def test_warnings_for_misspelt_case_columns_and_replaced_results(tmp_path: Path) -> None:
    src = write(tmp_path, "jurisdiction,offence.category,trafficking.compeled,outcome\n"
                          "TH,prostitution,true,old\n")  # fmt: skip
    summary = review(KB, src, tmp_path / "out.csv", date=TODAY)
    assert any(
        "trafficking.compeled" in w and "'trafficking.compelled'" in w for w in summary.warnings
    )
    assert any(w.startswith("outcome:") for w in summary.warnings)
    assert read_rows(tmp_path / "out.csv")[0]["outcome"] != "old"


@pytest.mark.parametrize(
    ("text", "name", "out", "message"),
    [
        ("jurisdiction,x\nTH,1\n", "in.csv", "out.csv", "'offence.category' (required)"),
        ("offence.category\nbegging\n", "in.csv", "out.csv", "give --jurisdiction"),
        ("a,b\n", "in.txt", "out.csv", "must end in .csv or .parquet"),
        (HEADER, "in.csv", "out.json", "must end in .csv or .parquet"),
        (HEADER, "in.csv", "in.csv", "must not be the input file"),
        (HEADER, "in.csv", "nowhere/out.csv", "does not exist"),
        ("", "in.csv", "out.csv", "cannot read"),
        ("jurisdiction,jurisdiction,offence.category\n", "in.csv", "out.csv", "more than once"),
    ],
)
def test_unusable_files_raise_one_problem_per_line(
    tmp_path: Path, text: str, name: str, out: str, message: str
) -> None:
    src = write(tmp_path, text, name)
    with pytest.raises(NppError) as err:
        review(KB, src, tmp_path / out, date=TODAY)
    assert any(message in str(p) for p in err.value.problems), err.value


def test_a_file_that_breaks_half_way_leaves_no_output(tmp_path: Path) -> None:
    good = HEADER + "".join(ROWS[:1] * 50)
    src = write(tmp_path, good + "A9,TH,begging,1,2,3,4,5,6\n")
    with pytest.raises(NppError, match="cannot read"):
        review(KB, src, tmp_path / "out.csv", date=TODAY, batch_rows=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_missing_jurisdiction_column_is_fine_with_a_default(tmp_path: Path) -> None:
    src = write(tmp_path, "offence.category,person.age\nbegging,12\n")
    summary = review(KB, src, tmp_path / "out.csv", jurisdiction="KH", date=TODAY)
    doc = (
        npp.engine()
        .assess_data(
            {"jurisdiction": "KH", "offences": [{"category": "begging"}], "person": {"age": 12}},
            today=TODAY,
        )
        .document
    )
    assert summary.rejected_rows == 0
    assert read_rows(tmp_path / "out.csv")[0]["outcome"] == doc["offences"][0]["outcome"]
