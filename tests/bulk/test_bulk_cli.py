"""``npp review`` and ``npp demo-data`` as users run them: exit status, stderr, files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from npp.cli.main import app
from processes import without_database

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "review-sample.csv"
runner = CliRunner()


def npp(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    assert "Traceback" not in r.stderr, r.stderr
    return r.exit_code, r.stdout, r.stderr


def test_all_rows_assessed_exits_0_and_prints_the_summary(tmp_path: Path) -> None:
    code, out, err = npp("demo-data", "--rows", "300", "--out", str(tmp_path / "d.csv"))
    assert code == 0 and "wrote 300 synthetic records" in err
    code, out, err = npp("review", str(tmp_path / "d.csv"), "--out", str(tmp_path / "r.csv"))
    assert code == 0, err
    assert "300 rows reviewed" in out and "state" in out
    assert pl.read_csv(tmp_path / "r.csv").height == 300
    # The progress bar (drawn on a terminal) can be asked for anywhere.
    code, out, err = npp("review", str(tmp_path / "d.csv"), "--out", str(tmp_path / "p.csv"),
                         "--progress")  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "p.csv").read_bytes() == (tmp_path / "r.csv").read_bytes()


def test_rejected_rows_exit_3_and_name_the_rejects_file(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("jurisdiction,offence.category,person.age\nTH,begging,12\nTH,begging,-1\n")
    code, _, err = npp("review", str(src), "--out", str(tmp_path / "r.parquet"))
    assert code == 3
    assert "1 row(s) rejected" in err and "r.parquet.rejects.csv" in err
    rejects = pl.read_csv(tmp_path / "r.parquet.rejects.csv")
    assert rejects.rows() == [(2, "person.age", "must be between 0 and 120", -1)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["review", "missing.csv", "--out", "o.csv"],
            "INPUT: 'missing.csv' is not a readable file",
        ),
        (["review", "{sample}", "--out", "o.txt"], "--out: 'o.txt' must end in .csv or .parquet"),
        (
            ["review", "{sample}", "--out", "o.csv", "--date", "2024-13-01"],
            "--date: must be a date",
        ),
        (
            ["review", "{sample}", "--out", "o.csv", "--jurisdiction", "XX"],
            "--jurisdiction: must be one of",
        ),
        (["demo-data", "--rows", "-1", "--out", "d.csv"], "--rows: must be 0 or more"),
        (["demo-data", "--bad-rows", "2", "--out", "d.csv"], "--bad-rows: must be between 0 and 1"),
        (["demo-data", "--out", "d.json"], "--out: 'd.json' must end in .csv or .parquet"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = npp(*(a.replace("{sample}", str(SAMPLE)) for a in args))
    assert code == 2
    assert message in err, err
    assert not out


def test_every_argument_problem_is_reported_at_once(tmp_path: Path) -> None:
    code, _, err = npp("review", str(tmp_path / "no.csv"), "--out", "o.txt", "--date", "x",
                       "--jurisdiction", "ZZ")  # fmt: skip
    assert code == 2
    fields = [line.split(":")[0] for line in err.splitlines()]
    assert fields == ["--date", "--jurisdiction", "INPUT", "--out"], err


def test_jurisdiction_and_date_options(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("offence.category,person.age,trafficking.purposes\ndrugs.trafficking,30,none\n")
    code, _, err = npp("review", str(src), "--out", str(tmp_path / "a.csv"),
                       "--jurisdiction", "my", "--date", "2023-07-03")  # fmt: skip
    assert code == 0, err
    row = pl.read_csv(tmp_path / "a.csv").row(0, named=True)
    assert row["risk_flags"].startswith("capital_punishment")


def test_demo_data_is_valid_by_construction_and_seeded(tmp_path: Path) -> None:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert npp("demo-data", "--rows", "2000", "--seed", "7", "--out", str(a))[0] == 0
    assert npp("demo-data", "--rows", "2000", "--seed", "7", "--out", str(b))[0] == 0
    assert pl.read_parquet(a).equals(pl.read_parquet(b))
    code, _, err = npp("review", str(a), "--out", str(tmp_path / "r.csv"))
    assert code == 0, err


def test_demo_data_bad_rows_are_rejected_and_nothing_else(tmp_path: Path) -> None:
    src = tmp_path / "d.csv"
    assert npp("demo-data", "--rows", "5000", "--bad-rows", "0.1", "--out", str(src))[0] == 0
    assert npp("review", str(src), "--out", str(tmp_path / "r.csv"))[0] == 3
    rejected = pl.read_csv(tmp_path / "r.csv.rejects.csv", infer_schema=False)["row"].n_unique()
    assert 350 < rejected < 650, rejected


def test_the_sample_file_reviews_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "reviewed.csv"
    result = subprocess.run(
        [sys.executable, "-m", "npp.cli.main", "review", str(SAMPLE), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env=without_database(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reviewed = pl.read_csv(out, infer_schema=False)
    sample = pl.read_csv(SAMPLE, infer_schema=False)
    assert reviewed.select(sample.columns).equals(sample)
    assert reviewed["review_priority"].null_count() == 0


def test_law_commands_do_not_import_polars() -> None:
    code = "import sys, npp.cli.main; print('polars' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=True, env=without_database())  # fmt: skip
    assert result.stdout.strip() == "False"
