"""Fuzzing case facts against the three ways in: ``npp.assess``, ``npp assess`` and the API.

Hypothesis draws documents from :func:`strategies.case_documents`: valid facts, and valid facts
with one random mutation (a value replaced by arbitrary JSON, a key deleted, an unknown key
added, the whole document replaced). For every document:

- nothing crashes, nothing answers 500, the CLI never prints a traceback;
- a valid document is assessed (exit 0, HTTP 200, contract ``npp.assessment/1``);
- an invalid one is rejected (``InvalidFacts``, exit 2, HTTP 400) with problems that each name
  a field on the mutated branch, and exactly the mutated field for an unknown or a missing
  required key;
- the CLI and the API report exactly the problems the library reports.

Short: 300 documents per surface (``make test``); full: 10,000 (``NPP_VERIFY=full``).
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

import npp
from npp.cli.main import app as cli
from processes import without_database
from strategies import case_documents, related  # type: ignore[import-not-found]

from .conftest import ROOT, report, scale

TODAY = dt.date(2026, 11, 28)
N = scale(300, 10_000)
N_PROCESSES = scale(20, 500)
fuzz = settings(
    max_examples=N,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
COUNTS: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)


def expected(doc: Any, mutation: dict[str, Any] | None) -> list[tuple[str, str]] | None:
    """What the library says: ``None`` if assessed, else the problems; checks the oracle."""
    try:
        result = npp.assess(doc, today=TODAY)
    except npp.InvalidFacts as exc:
        problems = [(p.where or "(top level)", p.problem) for p in exc.problems]
        assert mutation is not None, f"valid facts rejected: {problems}"
        assert problems, "rejected without a reason"
        for where, problem in problems:
            assert where and problem, (where, problem)
            assert related(where, mutation["path"]), (
                f"{where!r} reported, but the mutation was at {mutation['path']!r}"
            )
        if mutation["exact"]:
            assert mutation["path"] in {w for w, _ in problems}, (mutation, problems)
        return problems
    doc_out = result.document
    assert doc_out["contract"] == "npp.assessment/1"
    assert len(doc_out["offences"]) == len(doc["offences"])
    # No silent coercion: what was accepted is exactly what was sent (a number read as a date,
    # or "1" as true, would change the law applied or an outcome without anyone noticing).
    read = result.facts.model_dump(mode="json", exclude_unset=True)
    assert read == json.loads(json.dumps(doc)), (read, doc)
    if doc.get("offence_date"):
        assert doc_out["law_date"] == doc["offence_date"]
    return None


def _report(surface: str) -> None:
    name = "fuzz-" + "".join(c if c.isalnum() else "-" for c in surface).strip("-").lower()
    report(name, {"surface": surface, **COUNTS[surface]})


def _count(surface: str, outcome: str, mutation: dict[str, Any] | None) -> None:
    COUNTS[surface]["documents"] += 1
    COUNTS[surface][outcome] += 1
    COUNTS[surface]["mutated" if mutation else "generated_valid"] += 1


def test_library() -> None:
    @fuzz
    @given(case_documents())
    def run(case: tuple[Any, dict[str, Any] | None]) -> None:
        doc, mutation = case
        problems = expected(doc, mutation)
        _count("npp.assess", "rejected" if problems else "assessed", mutation)

    run()
    _report("npp.assess")


def test_cli_in_process() -> None:
    """``npp assess -`` through the real Typer command (in-process, for speed)."""

    @fuzz
    @given(case_documents())
    def run(case: tuple[Any, dict[str, Any] | None]) -> None:
        doc, mutation = case
        doc = json.loads(json.dumps(doc))  # as the command or server reads it
        want = expected(doc, mutation)
        r = CliRunner().invoke(cli, ["assess", "-"], input=json.dumps(doc), catch_exceptions=False)
        if want is None:
            assert r.exit_code == 0, r.stderr
            assert json.loads(r.stdout)["contract"] == "npp.assessment/1"
        else:
            assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
            assert r.stdout == ""
            lines = r.stderr.splitlines()
            assert lines == [f"{w}: {p}" for w, p in want], (lines, want)
        _count("npp assess (in-process)", "exit_2" if want else "exit_0", mutation)

    run()
    _report("npp assess (in-process)")


def test_cli_process() -> None:
    """A sample through real ``npp assess`` processes (stdin, exit status, stderr)."""

    @settings(max_examples=N_PROCESSES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case_documents())
    def run(case: tuple[Any, dict[str, Any] | None]) -> None:
        doc, mutation = case
        doc = json.loads(json.dumps(doc))  # as the command or server reads it
        want = expected(doc, mutation)
        r = subprocess.run(
            [sys.executable, "-m", "npp.cli.main", "assess", "-"],
            input=json.dumps(doc).encode(),
            capture_output=True,
            cwd=ROOT,
            timeout=60,
            env=without_database(),
        )
        err = r.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err, err
        if want is None:
            assert r.returncode == 0, err
            assert json.loads(r.stdout)["contract"] == "npp.assessment/1"
        else:
            assert r.returncode == 2 and r.stdout == b"", (r.returncode, err)
            assert err.splitlines() == [f"{w}: {p}" for w, p in want]
        _count("npp assess (process)", "exit_2" if want else "exit_0", mutation)

    run()
    _report("npp assess (process)")


@pytest.fixture
def api(client: Any, police: Any, user_factory: Any, token_for: Any) -> Any:
    user = user_factory("fuzzer", "prosecutor", police)
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}

    def post(path: str, body: Any) -> Any:
        return client.post(path, json.dumps(body), content_type="application/json", **auth)

    return post


@pytest.mark.django_db
def test_api_assessments(api: Any) -> None:
    @fuzz
    @given(case_documents())
    def run(case: tuple[Any, dict[str, Any] | None]) -> None:
        doc, mutation = case
        doc = json.loads(json.dumps(doc))  # as the command or server reads it
        want = expected(doc, mutation)
        r = api("/api/v1/assessments", doc)
        if want is None:
            assert r.status_code == 200, r.content[:500]
            assert r.json()["contract"] == "npp.assessment/1"
        else:
            assert r.status_code == 400, (r.status_code, r.content[:500])
            body = r.json()
            assert body == {"errors": [{"field": w, "problem": p} for w, p in want]}
        _count("POST /api/v1/assessments", str(r.status_code), mutation)

    run()
    _report("POST /api/v1/assessments")


@pytest.mark.django_db
def test_api_case_creation(api: Any) -> None:
    """The same documents as the facts of a new case: 201, or 400 naming ``facts.<field>``."""

    @settings(max_examples=max(N // 10, 50), deadline=None, suppress_health_check=list(HealthCheck))
    @given(case_documents())
    def run(case: tuple[Any, dict[str, Any] | None]) -> None:
        doc, mutation = case
        doc = json.loads(json.dumps(doc))  # as the command or server reads it
        want = expected(doc, mutation)
        r = api("/api/v1/cases", {"facts": doc})
        if want is None:
            assert r.status_code == 201, r.content[:500]
        elif not isinstance(doc, dict):
            assert r.status_code == 400 and r.json()["errors"][0]["field"].startswith("facts")
        else:
            assert r.status_code == 400, (r.status_code, r.content[:500])
            fields = [e["field"] for e in r.json()["errors"]]
            assert fields == [f"facts.{w}" if w != "(top level)" else "facts" for w, _ in want]
        _count("POST /api/v1/cases", str(r.status_code), mutation)

    run()
    _report("POST /api/v1/cases")
