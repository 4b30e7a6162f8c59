"""Executable legal cases: ``tests/cases/<cc>/*.yaml``, written from the study and the law.

Each file holds the facts (contract §1) and what a careful practitioner expects: the
outcome per offence, flags, presumptions and key actions. Lists under ``expect`` are exact
unless the key ends in ``_include``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

import npp

CASES = sorted((Path(__file__).resolve().parents[1] / "cases").glob("*/*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_there_are_at_least_five_cases_per_state() -> None:
    per_state: dict[str, int] = {}
    for p in CASES:
        per_state[p.parent.name] = per_state.get(p.parent.name, 0) + 1
    assert len(per_state) == 10, per_state
    assert all(n >= 5 for n in per_state.values()), per_state


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_case(path: Path) -> None:
    case = _load(path)
    today = case.get("today")
    doc = npp.assess(
        case["facts"], today=dt.date.fromisoformat(str(today)) if today else None
    ).document
    exp = case["expect"]
    assert doc["jurisdiction"] == path.parent.name.upper()
    if "potential_victim" in exp:
        assert doc["potential_victim"] is exp["potential_victim"]
    if "provision_model" in exp:
        got = doc["provision"]["model"] if doc["provision"] else "none"
        assert got == exp["provision_model"]
    if "outcomes" in exp:
        got = [o["outcome"] for o in doc["offences"]]
        assert got == exp["outcomes"], [o["reasons"] for o in doc["offences"]]
    if "presumptions" in exp:
        assert sorted(doc["presumptions"]) == sorted(exp["presumptions"])
    if "risk_flags" in exp:
        assert sorted(doc["risk_flags"]) == sorted(exp["risk_flags"])
    if "risk_flags_include" in exp:
        assert set(exp["risk_flags_include"]) <= set(doc["risk_flags"])
    if "penalty_flags" in exp:
        assert [o["penalty_flags"] for o in doc["offences"]] == exp["penalty_flags"]
    if "excluded_penalties" in exp:
        got_ex = [sorted(x["penalty"] for x in o["excluded_penalties"]) for o in doc["offences"]]
        assert got_ex == [sorted(x) for x in exp["excluded_penalties"]], doc["offences"]
        for o in doc["offences"]:
            for x in o["excluded_penalties"]:
                assert x["reason"] and x["citations"], x
    if "actions_include" in exp:
        got_actions = {a["recommendation"] for a in doc["actions"]}
        assert set(exp["actions_include"]) <= got_actions, got_actions
    if "questions_include" in exp:
        fields = {q["field"] for q in doc["questions"]}
        assert set(exp["questions_include"]) <= fields, fields
    if "questions_absent" in exp:
        fields = {q["field"] for q in doc["questions"]}
        assert not set(exp["questions_absent"]) & fields, fields
    if "elements" in exp:
        for k, v in exp["elements"].items():
            assert doc["elements"][k] == v, k
