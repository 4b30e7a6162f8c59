"""Strict loading of the training catalogue: scenarios and the misconceptions they address.

Like the law loader (and reusing its strict YAML reader): duplicate or unknown keys fail, and
every problem reads ``file → key path → problem``. Beyond the schema, each scenario's facts
must be valid case facts (contract §1), questions must match the facts (an ``outcome``
question names an offence of the case), and every misconception, indicator, recommendation
and citation named must exist. Nothing is loaded unless everything is valid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npp.errors import InvalidFacts, LawDataError, Problem
from npp.law.knowledge import KnowledgeBase
from npp.law.loader import default_knowledge_dir, parse, read_yaml
from npp.screening.facts import CaseFacts, parse_facts
from npp.training.model import KEYED_KINDS, Misconception, MisconceptionFile, Scenario

OUTCOME_CODES = ("no_link",)  # beyond the vocabulary's protection outcomes


def training_dir(knowledge: Path | None = None) -> Path:
    """``$NPP_TRAINING_DIR``, else ``training/`` inside the knowledge directory."""
    env = os.environ.get("NPP_TRAINING_DIR")
    if env:
        return Path(env)
    return (knowledge or default_knowledge_dir()) / "training"


@dataclass(frozen=True)
class Catalogue:
    scenarios: dict[str, Scenario]
    misconceptions: dict[str, Misconception]
    facts: dict[str, CaseFacts] = field(default_factory=dict)
    root: Path = Path()

    def select(
        self, role: str | None = None, jurisdiction: str | None = None, stage: str | None = None
    ) -> list[Scenario]:
        """Scenarios for a role, state and stage (each filter optional), in catalogue order."""
        return [
            s
            for s in self.scenarios.values()
            if (role is None or role in s.roles)
            and (jurisdiction is None or s.jurisdiction == jurisdiction)
            and (stage is None or s.stage == stage)
        ]


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent.parent))
    except ValueError:
        return str(path)


def load_training(kb: KnowledgeBase, root: Path | None = None) -> Catalogue:
    """The validated catalogue; raises :class:`LawDataError` listing every problem."""
    root = (root or training_dir()).resolve()
    if not root.is_dir():
        raise LawDataError([Problem(str(root), "training directory not found")])
    problems: list[Problem] = []
    misconceptions: dict[str, Misconception] = {}
    mpath = root / "misconceptions.yaml"
    try:
        mfile = parse(MisconceptionFile, read_yaml(mpath, root), _shown(mpath, root))
    except LawDataError as exc:
        problems.extend(exc.problems)
    else:
        for n, m in enumerate(mfile.misconceptions):
            where = f"misconceptions[{n}]"
            if m.id in misconceptions:
                problems.append(_p(mpath, root, f"{where}.id", f"duplicate id {m.id!r}"))
            misconceptions[m.id] = m
            problems.extend(_check_misconception(m, kb, mpath, root, where))

    scenarios: dict[str, Scenario] = {}
    facts: dict[str, CaseFacts] = {}
    paths = sorted(p for p in (root / "scenarios").glob("*.yaml") if p.is_file())
    if not paths:
        problems.append(Problem(_shown(root / "scenarios", root), "no scenario files"))
    for path in paths:
        try:
            s = parse(Scenario, read_yaml(path, root), _shown(path, root))
        except LawDataError as exc:
            problems.extend(exc.problems)
            continue
        if s.id != path.stem:
            problems.append(_p(path, root, "id", f"must equal the file name ({path.stem!r})"))
        if s.id in scenarios:
            problems.append(_p(path, root, "id", f"duplicate id {s.id!r}"))
        found, cf = _check_scenario(s, kb, set(misconceptions), path, root)
        problems.extend(found)
        if cf is not None:
            scenarios[s.id] = s
            facts[s.id] = cf
    if problems:
        raise LawDataError(problems)
    return Catalogue(scenarios, misconceptions, facts, root)


def _p(path: Path, root: Path, key: str, problem: str) -> Problem:
    return Problem(_shown(path, root), f"{key} → {problem}")


def _check_misconception(
    m: Misconception, kb: KnowledgeBase, path: Path, root: Path, where: str
) -> list[Problem]:
    out = []
    for n, c in enumerate(m.citations):
        if not kb.can_cite(c):
            out.append(_p(path, root, f"{where}.citations[{n}]", f"unknown citation {c!r}"))
    for n, r in enumerate(m.recommendations):
        if r not in kb.recommendations:
            out.append(_p(path, root, f"{where}.recommendations[{n}]", f"no recommendation {r}"))
    for n, t in enumerate(m.triggers):
        known: set[str] = {"any"}
        if t.kind == "risks":
            known |= set(kb.vocabulary.risk_flags)
        elif t.kind == "actions":
            known |= {str(r) for r in kb.recommendations}
        elif t.kind == "indicators":
            known |= set(kb.indicators)
        for k, code in enumerate(t.codes):
            if code not in known:
                out.append(
                    _p(path, root, f"{where}.triggers[{n}].codes[{k}]", f"unknown code {code!r}")
                )
        if t.when == "missed" and not t.codes:
            out.append(_p(path, root, f"{where}.triggers[{n}].codes", "required for 'missed'"))
    return out


def _check_scenario(
    s: Scenario, kb: KnowledgeBase, misconceptions: set[str], path: Path, root: Path
) -> tuple[list[Problem], CaseFacts | None]:
    out: list[Problem] = []
    cf: CaseFacts | None = None
    try:
        cf = parse_facts(s.facts, kb)
    except InvalidFacts as exc:
        out.extend(_p(path, root, f"facts.{p.where}", p.problem) for p in exc.problems)
    for key in ("offence_date", "stage"):
        # Without a date the key would follow the calendar; without a stage, the default.
        if s.facts.get(key) is None:
            out.append(_p(path, root, f"facts.{key}", "required in a scenario"))
    for n, m in enumerate(s.misconceptions):
        if m not in misconceptions:
            out.append(_p(path, root, f"misconceptions[{n}]", f"unknown misconception {m!r}"))
    if len(set(s.roles)) != len(s.roles):
        out.append(_p(path, root, "roles", "lists a role twice"))
    categories = [o.category for o in cf.offences] if cf else []
    if len(set(categories)) != len(categories):
        out.append(_p(path, root, "facts.offences", "an offence category appears twice"))
    answered: set[str] = set()
    for n, q in enumerate(s.questions):
        where = f"questions[{n}]"
        roles = q.roles or s.roles
        for r in roles:
            if r not in s.roles:
                out.append(_p(path, root, f"{where}.roles", f"{r!r} is not a role of the scenario"))
        if q.kind in KEYED_KINDS:
            answered.update(roles)
        if q.kind == "outcome":
            if q.offence is None:
                out.append(_p(path, root, f"{where}.offence", "required for an outcome question"))
            elif cf is not None and q.offence not in categories:
                out.append(
                    _p(path, root, f"{where}.offence", f"{q.offence!r} is not an offence of facts")
                )
        elif q.offence is not None:
            out.append(_p(path, root, f"{where}.offence", "only for an outcome question"))
        if q.kind == "discussion" and not q.prompt:
            out.append(_p(path, root, f"{where}.prompt", "required for a discussion question"))
        if q.kind == "indicators":
            if cf is not None and not cf.indicators:
                out.append(_p(path, root, where, "facts.indicators is empty: nothing to find"))
            for k, code in enumerate(q.distractors):
                if code not in kb.indicators:
                    out.append(
                        _p(path, root, f"{where}.distractors[{k}]", f"unknown indicator {code!r}")
                    )
                elif cf is not None and code in cf.indicators:
                    out.append(
                        _p(path, root, f"{where}.distractors[{k}]", "is one of facts.indicators")
                    )
        elif q.distractors:
            out.append(_p(path, root, f"{where}.distractors", "only for an indicators question"))
    for r in s.roles:
        if r not in answered:
            out.append(_p(path, root, "questions", f"no keyed question for the role {r!r}"))
    return out, (cf if not out else None)


def facts_dict(s: Scenario) -> dict[str, Any]:
    """The scenario's case facts as contract §1 JSON (a copy)."""
    import copy

    return copy.deepcopy(s.facts)
