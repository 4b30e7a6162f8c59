"""The strict loader: a broken scenario or misconception is refused with file, key path and
problem, and nothing is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from npp import engine
from npp.errors import LawDataError
from npp.training import load_training, training_dir

GOOD = "th-karaoke-raid-disputed-age"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    src = training_dir()
    dst = tmp_path / "knowledge" / "training"
    (dst / "scenarios").mkdir(parents=True)
    shutil.copy(src / "misconceptions.yaml", dst)
    shutil.copy(src / "scenarios" / f"{GOOD}.yaml", dst / "scenarios")
    return dst


def _edit(root: Path, change: object) -> None:
    path = root / "scenarios" / f"{GOOD}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def _problems(root: Path) -> list[str]:
    with pytest.raises(LawDataError) as exc:
        load_training(engine().kb, root)
    return [str(p) for p in exc.value.problems]


def test_a_valid_scenario_loads(root: Path) -> None:
    cat = load_training(engine().kb, root)
    assert list(cat.scenarios) == [GOOD]


def test_unknown_key_is_refused_with_file_and_key_path(root: Path) -> None:
    _edit(root, lambda d: d["questions"][0].update(answer="yes"))
    [p] = _problems(root)
    assert p.startswith(f"knowledge/training/scenarios/{GOOD}.yaml: questions[0].answer")
    assert "unknown key" in p


def test_invalid_facts_are_reported_under_facts(root: Path) -> None:
    def bad(d: dict) -> None:
        d["facts"]["jurisdiction"] = "XX"
        d["facts"]["offences"][0]["category"] = "smuggling"

    _edit(root, bad)
    found = "\n".join(_problems(root))
    assert "facts.jurisdiction → must be one of" in found
    assert "facts.offences[0].category → unknown offence category 'smuggling'" in found


def test_a_scenario_must_fix_its_date_and_stage(root: Path) -> None:
    _edit(root, lambda d: d["facts"].pop("offence_date"))
    assert any("facts.offence_date → required in a scenario" in p for p in _problems(root))


def test_outcome_question_must_name_an_offence_of_the_case(root: Path) -> None:
    _edit(root, lambda d: d["questions"].append({"kind": "outcome", "offence": "begging"}))
    assert any("'begging' is not an offence of facts" in p for p in _problems(root))


def test_unknown_misconception_role_and_distractor_are_refused(root: Path) -> None:
    def bad(d: dict) -> None:
        d["misconceptions"].append("ideal_victim")
        d["questions"][0]["roles"] = ["judge"]
        d["questions"][1]["distractors"] = ["ilo.not_a_code"]

    _edit(root, bad)
    found = "\n".join(_problems(root))
    assert "misconceptions[4] → unknown misconception 'ideal_victim'" in found
    assert "questions[0].roles → 'judge' is not a role of the scenario" in found
    assert "questions[1].distractors[0] → unknown indicator 'ilo.not_a_code'" in found


def test_every_role_needs_a_keyed_question(root: Path) -> None:
    def bad(d: dict) -> None:
        d["roles"].append("judge")
        for q in d["questions"]:
            q["roles"] = ["frontline"]

    _edit(root, bad)
    assert any("no keyed question for the role 'judge'" in p for p in _problems(root))


def test_file_name_must_match_id_and_duplicate_keys_fail(root: Path) -> None:
    path = root / "scenarios" / f"{GOOD}.yaml"
    path.write_text(path.read_text() + "title: again\n")
    assert any("duplicate key 'title'" in p for p in _problems(root))


def test_misconception_citation_must_resolve(root: Path) -> None:
    path = root / "misconceptions.yaml"
    path.write_text(path.read_text().replace("int.palermo.art3-b", "int.palermo.art99"))
    assert any("unknown citation 'int.palermo.art99'" in p for p in _problems(root))
