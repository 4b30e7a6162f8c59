"""The catalogue as shipped: every key is the engine's answer, reviewed, and the catalogue
covers every state, stage and role."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from npp import engine
from npp.cli.main import app
from npp.training import ROLES, keys_differ, load_training, read_keys
from npp.training.keys import key_of
from npp.training.loader import Catalogue
from npp.training.practice import all_keys, coverage_problems

runner = CliRunner()


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_training(engine().kb)


def test_every_reviewed_key_is_what_the_engine_gives_today(cat: Catalogue) -> None:
    """Fails, naming each scenario, when a change to the law or the rules changes a key: a
    trainer reviews the scenario, then runs `npp training rekey`."""
    stale = keys_differ(all_keys(engine(), cat), read_keys(cat.root / "keys.json"))
    assert not stale, "answer keys changed; review these scenarios:\n" + "\n".join(stale)


def test_every_key_equals_npp_assess_on_the_scenarios_facts(cat: Catalogue, tmp_path: Path) -> None:
    reviewed = read_keys(cat.root / "keys.json")
    for sid, s in cat.scenarios.items():
        case = tmp_path / f"{sid}.json"
        case.write_text(json.dumps(s.facts), encoding="utf-8")
        r = runner.invoke(app, ["assess", str(case)])
        assert r.exit_code == 0, (sid, r.output)
        assert key_of(json.loads(r.stdout)) == reviewed[sid], sid


def test_catalogue_covers_every_state_stage_and_role(cat: Catalogue) -> None:
    assert coverage_problems(engine().kb, cat) == []
    kb = engine().kb
    states = Counter(s.jurisdiction for s in cat.scenarios.values())
    stages = Counter(s.stage for s in cat.scenarios.values())
    roles = Counter(r for s in cat.scenarios.values() for r in s.roles)
    assert set(states) == set(kb.vocabulary.jurisdictions)
    assert set(stages) == set(kb.vocabulary.stages)
    assert set(roles) == set(ROLES)
    assert len(cat.scenarios) >= 40


def test_catalogue_includes_a_case_where_the_principle_is_not_engaged(cat: Catalogue) -> None:
    keys = all_keys(engine(), cat)
    assert any(not k["potential_victim"] for k in keys.values())
    outcomes = {o for k in keys.values() for o in k["outcomes"].values()}
    # The catalogue exercises the range of answers, not one outcome over and over.
    assert {
        "statutory_bar",
        "ministerial_permission_required",
        "conditional",
        "outside_statutory_scope",
        "no_statutory_provision",
        "not_indicated",
    } <= outcomes


def test_the_studys_patterns_are_all_written(cat: Catalogue) -> None:
    patterns = Counter(p for s in cat.scenarios.values() for p in s.patterns)
    for p in (
        "raid",
        "fishing_vessel",
        "drug_courier",
        "scam_compound",
        "domestic_worker_ran_away",
        "victim_turned_recruiter",
        "disputed_age",
        "consented",
        "was_paid",
        "had_phone",
        "not_self_identified",
        "offended_again",
    ):
        assert patterns[p] >= 2, p


def test_every_misconception_is_addressed_by_a_scenario(cat: Catalogue) -> None:
    used = {m for s in cat.scenarios.values() for m in s.misconceptions}
    assert used == set(cat.misconceptions)


# ------------------------------------------------------------------ contract §6 shapes


def _json(*args: str) -> Any:
    r = runner.invoke(app, ["training", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_list_json_has_the_contract_keys_and_filters() -> None:
    rows = _json("list", "--format", "json")
    assert len(rows) >= 40
    for row in rows:
        assert {"id", "title", "jurisdiction", "stage", "roles", "misconceptions"} <= set(row)
    th_judge = _json("list", "--role", "judge", "--jurisdiction", "th", "--format", "json")
    assert th_judge and all(r["jurisdiction"] == "TH" and "judge" in r["roles"] for r in th_judge)
    sent = _json("list", "--stage", "sentencing", "--format", "json")
    assert sent and all(r["stage"] == "sentencing" for r in sent)


def test_show_json_has_the_contract_keys_and_the_engines_key() -> None:
    doc = _json("show", "th-karaoke-raid-disputed-age", "--format", "json")
    assert {"id", "title", "narrative", "facts", "questions", "key"} <= set(doc)
    assert set(doc["key"]) >= {"potential_victim", "outcomes", "risk_flags", "actions"}
    assert doc["facts"]["jurisdiction"] == "TH"
    assert doc["key"]["outcomes"]["prostitution"] == "ministerial_permission_required"
    assert "minority" in doc["key"]["presumptions"]
    assert all(isinstance(n, int) for n in doc["key"]["actions"])
    kinds = {q["kind"] for q in doc["questions"]}
    assert {"suspicion", "indicators", "outcome", "risks", "actions"} <= kinds


def test_show_role_filters_the_questions() -> None:
    doc = _json("show", "th-karaoke-raid-disputed-age", "--role", "prosecutor", "--format", "json")
    assert all("prosecutor" in q["roles"] for q in doc["questions"])
    assert not any(q["kind"] == "indicators" for q in doc["questions"])


def test_unknown_scenario_and_bad_filters_exit_2_with_one_line_each() -> None:
    r = runner.invoke(app, ["training", "show", "nope", "--format", "json"])
    assert r.exit_code == 2 and "ID: no scenario 'nope'" in r.stderr and r.stdout == ""
    r = runner.invoke(app, ["training", "list", "--role", "sheriff"])
    assert r.exit_code == 2 and r.stderr.startswith("--role: must be one of frontline")
    r = runner.invoke(app, ["training", "list", "--jurisdiction", "XX"])
    assert r.exit_code == 2 and "--jurisdiction" in r.stderr


def test_check_passes_on_the_shipped_catalogue() -> None:
    r = runner.invoke(app, ["training", "check"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("ok: ")


def test_schema_files_are_current() -> None:
    from npp.training import training_dir
    from npp.training.schema import render

    for name, text in render().items():
        path = training_dir() / "schema" / name
        assert path.exists(), f"{name} missing: run python -m npp.training.schema"
        assert path.read_text(encoding="utf-8") == text, f"{name} stale: regenerate it"


def test_a_changed_key_is_reported_naming_the_scenario(cat: Catalogue) -> None:
    """What a trainer sees when the law changes an answer: the scenario and what changed."""
    current = all_keys(engine(), cat)
    reviewed = {sid: dict(k) for sid, k in current.items()}
    reviewed["th-fishing-boat-kantang"]["outcomes"] = {"fishing.iuu": "statutory_bar"}
    del reviewed["my-smuggled-worker-no-indicators"]
    lines = keys_differ(current, reviewed)
    assert len(lines) == 2
    assert lines[0] == "my-smuggled-worker-no-indicators: no reviewed key (new scenario)"
    assert lines[1].startswith("th-fishing-boat-kantang: key changed: outcomes {'fishing.iuu'")
