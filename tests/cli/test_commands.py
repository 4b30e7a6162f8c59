"""The ``npp`` command as users and other tools run it: a real process, real exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from processes import without_database

ROOT = Path(__file__).resolve().parents[2]
NPP = [sys.executable, "-m", "npp.cli.main"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NPP, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=without_database(),
    )


def test_assess_example_prints_contract_json() -> None:
    r = run("assess", "examples/th-raid-minor.json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["contract"] == "npp.assessment/1"


def test_assess_reads_standard_input() -> None:
    facts = (ROOT / "examples" / "ph-no-indicators.json").read_text()
    r = run("assess", "-", stdin=facts)
    assert r.returncode == 0 and json.loads(r.stdout)["jurisdiction"] == "PH"


def test_assess_text_format_is_for_people() -> None:
    r = run("assess", "examples/th-raid-minor.json", "--format", "text")
    assert r.returncode == 0
    assert "MINISTERIAL_PERMISSION_REQUIRED" in r.stdout and "not make them" in r.stdout


@pytest.mark.parametrize(
    "content,expected",
    [
        (None, "person.age: must be between 0 and 120"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (
            '{"jurisdiction": "TH", "offences": [{"category": "drugs.trafficking"}], "stage": "x"}',
            "stage: must be one of",
        ),
    ],
)
def test_assess_bad_input_exits_2_with_one_line_per_problem(
    content: str | None, expected: str, tmp_path: Path
) -> None:
    path = ROOT / "examples" / "invalid-jurisdiction.json"
    if content is not None:
        path = tmp_path / "case.json"
        path.write_text(content)
    r = run("assess", str(path))
    assert r.returncode == 2
    assert r.stdout == ""
    assert expected in r.stderr
    assert "Traceback" not in r.stderr


def test_assess_missing_file_exits_2() -> None:
    r = run("assess", "no/such/file.json")
    assert r.returncode == 2 and "CASE: cannot read" in r.stderr and "Traceback" not in r.stderr


def test_law_matrix_json_is_contract_section_2() -> None:
    r = run("law", "matrix", "--format", "json", "--date", "2024-06-30")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 10
    assert sum(r["has_provision"] for r in rows) == 7


def test_law_matrix_csv_has_a_header_and_ten_rows() -> None:
    r = run("law", "matrix", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 10 and "model" in rows[0]


def test_law_show_cite_search_list_and_gaps_work() -> None:
    assert "Thailand" in run("law", "show", "TH", "--date", "2024-01-01").stdout
    shown = json.loads(run("law", "show", "vn", "--format", "json").stdout)
    assert shown["jurisdiction"] == "VN"
    cited = json.loads(run("law", "cite", "asean.actip.art14-7").stdout)
    assert "14(7)" in cited["provision"]
    assert "asean.actip" in run("law", "search", "ACTIP").stdout
    assert run("law", "list").returncode == 0
    gaps = json.loads(run("law", "gaps", "KH", "--format", "json").stdout)
    assert {g["benchmark"] for g in gaps} == {"R10", "R16", "R19", "R25", "ACTIP14(7)"}


@pytest.mark.parametrize(
    "args,expected",
    [
        (["law", "show", "XX"], "CC: must be one of"),
        (["law", "show", "TH", "--date", "2024-13-01"], "--date: must be a date"),
        (["law", "cite", "no.such.id"], "no provision, instrument or source"),
        (["law", "matrix", "--format", "xml"], "xml"),
        (["law", "gaps", "ZZ"], "CC: must be one of"),
        (["law", "search", " "], "TEXT: must not be empty"),
    ],
)
def test_law_commands_reject_bad_input_with_exit_2(args: list[str], expected: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    assert expected in r.stderr
    assert "Traceback" not in r.stderr


def test_law_check_passes_on_the_real_knowledge_base() -> None:
    r = run("law", "check")
    assert r.returncode == 0 and r.stdout.startswith("ok:")
