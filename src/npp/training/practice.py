"""Questions, grading and feedback for one scenario, for any adapter (web, CLI, PDF).

The options a learner picks from are built from the vocabulary and the key; the grade compares
the answer with the key the engine gives; the feedback is the assessment's own explanation
(the findings that answer that question, each with its citations), plus the explanation of a
misconception when the wrong answer shows one. Nothing here is a hand-typed answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from npp.assessment.engine import Assessment, Engine
from npp.law.knowledge import KnowledgeBase
from npp.training.keys import key_of
from npp.training.loader import Catalogue
from npp.training.model import ROLES, Misconception, Question, Scenario

#: Outcomes from most to least protective: an answer below the key's is "harsher".
OUTCOME_ORDER = (
    "statutory_bar",
    "ministerial_permission_required",
    "conditional",
    "no_link",
    "outside_statutory_scope",
    "no_statutory_provision",
    "not_indicated",
)
OUTCOME_LABELS = {
    "statutory_bar": "The law bars prosecution or punishment (its test is met)",
    "ministerial_permission_required": "No proceedings without a minister's written permission",
    "conditional": "A provision covers it, but its test is not yet established",
    "no_link": "A provision covers it, but the required link is absent",
    "outside_statutory_scope": "A provision exists but does not cover this offence or person",
    "no_statutory_provision": "No explicit provision: discretion, defences, ACTIP 14(7) remain",
    "not_indicated": "No trafficking indicators: the principle is not engaged",
}
MIN_SCENARIOS = 40

_ASSESSED: dict[tuple[int, str], Assessment] = {}


def assessment(engine: Engine, s: Scenario) -> Assessment:
    """The scenario's assessment today (memoised per engine: the law does not change in a
    running process)."""
    k = (id(engine), s.id)
    hit = _ASSESSED.get(k)
    if hit is None:
        hit = _ASSESSED[k] = engine.assess_data(s.facts)
    return hit


def key(engine: Engine, s: Scenario) -> dict[str, Any]:
    return key_of(assessment(engine, s).document)


def all_keys(engine: Engine, cat: Catalogue) -> dict[str, dict[str, Any]]:
    return {sid: key(engine, s) for sid, s in cat.scenarios.items()}


def summary(s: Scenario) -> dict[str, Any]:
    """A row of ``npp training list`` (contract §6)."""
    return {
        "id": s.id,
        "title": s.title,
        "jurisdiction": s.jurisdiction,
        "stage": s.stage,
        "roles": list(s.roles),
        "misconceptions": list(s.misconceptions),
        "patterns": list(s.patterns),
    }


def default_prompt(kb: KnowledgeBase, s: Scenario, q: Question) -> str:
    state = kb.vocabulary.jurisdictions.get(s.jurisdiction, s.jurisdiction)
    if q.prompt:
        return q.prompt
    if q.kind == "suspicion":
        return "Is there a credible suspicion that this person may be a victim of trafficking?"
    if q.kind == "indicators":
        return "Which of these indicators of trafficking does the account show?"
    if q.kind == "outcome":
        label = kb.offences[q.offence].label if q.offence in kb.offences else q.offence
        return (
            f"{label}: what does the law of {state} say about prosecuting or punishing this "
            "person for it?"
        )
    if q.kind == "risks":
        return "Which risks does this person face?"
    return "What should be done now? Choose the study's recommendations that apply to this case."


def options(kb: KnowledgeBase, s: Scenario, q: Question, k: dict[str, Any]) -> list[dict[str, str]]:
    """The choices offered (value and English label); empty for a discussion question."""
    if q.kind == "suspicion":
        return [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
    if q.kind == "indicators":
        codes = {*s.facts.get("indicators", []), *q.distractors}
        # By label, so the indicators of the facts are not grouped apart from the distractors.
        return sorted(
            ({"value": c, "label": kb.indicators[c][1].label} for c in codes),
            key=lambda o: (o["label"], o["value"]),
        )
    if q.kind == "outcome":
        return [{"value": o, "label": OUTCOME_LABELS[o]} for o in OUTCOME_ORDER]
    if q.kind == "risks":
        return [{"value": f, "label": label} for f, label in kb.vocabulary.risk_flags.items()]
    if q.kind == "actions":
        return [
            {"value": str(n), "label": f"{n}. {kb.recommendations[n].title}"}
            for n in action_choices(kb, s, k)
        ]
    return []


def action_choices(kb: KnowledgeBase, s: Scenario, k: dict[str, Any]) -> list[int]:
    """The key's recommendations, those of the scenario's stage, and the first two of other
    stages that are not in the key (so that "pick everything" is never right)."""
    stage_recs = [r.number for r in kb.recommendations.values() if r.stage == s.stage]
    chosen = set(k["actions"]) | set(stage_recs)
    others = [n for n in sorted(kb.recommendations) if n not in chosen]
    # Spread the decoys across the catalogue, deterministically per scenario.
    step = max(1, len(others) // 3)
    start = sum(map(ord, s.id)) % step if others else 0
    chosen |= set(others[start::step][:2])
    return sorted(chosen)


def expected(q: Question, s: Scenario, k: dict[str, Any]) -> list[str]:
    """The key's answer to ``q`` as option values."""
    if q.kind == "suspicion":
        return ["yes" if k["potential_victim"] else "no"]
    if q.kind == "indicators":
        return sorted(s.facts.get("indicators", []))
    if q.kind == "outcome":
        return [k["outcomes"][q.offence]]
    if q.kind == "risks":
        return list(k["risk_flags"])
    if q.kind == "actions":
        return [str(n) for n in k["actions"]]
    return []


@dataclass
class Grade:
    correct: bool
    expected: list[str]
    answer: list[str]
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)


def grade(cat: Catalogue, s: Scenario, q: Question, k: dict[str, Any], answer: list[str]) -> Grade:
    """Compare ``answer`` with the key; name the misconceptions the answer shows."""
    want = expected(q, s, k)
    got = sorted(set(answer))
    g = Grade(
        correct=set(got) == set(want),
        expected=want,
        answer=got,
        missed=[v for v in want if v not in got],
        wrong=[v for v in got if v not in want],
    )
    if not g.correct:
        g.misconceptions = [
            cat.misconceptions[m] for m in s.misconceptions if _shows(cat.misconceptions[m], q, g)
        ]
    return g


def _shows(m: Misconception, q: Question, g: Grade) -> bool:
    for t in m.triggers:
        if t.kind != q.kind:
            continue
        if t.when == "any_wrong":
            return True
        if t.when == "said_no" and g.answer == ["no"] and g.expected == ["yes"]:
            return True
        if t.when == "missed" and g.missed and ("any" in t.codes or set(t.codes) & set(g.missed)):
            return True
        if t.when == "harsher" and g.answer and g.expected:
            a, e = g.answer[0], g.expected[0]
            if a in OUTCOME_ORDER and OUTCOME_ORDER.index(a) > OUTCOME_ORDER.index(e):
                return True
    return False


def feedback(doc: dict[str, Any], q: Question) -> list[dict[str, Any]]:
    """The assessment's findings that answer ``q``, flattened (depth, text, citation labels)."""
    tree = doc["explanation"]
    labels = {c["id"]: _label(c) for c in doc["citations"]}
    nodes: list[dict[str, Any]] = []
    top = {c["topic"]: c for c in tree.get("children", [])}
    if q.kind in {"suspicion", "indicators"}:
        nodes = [top["screening"]]
        if q.kind == "suspicion" and "presumptions" in top:
            nodes.append(top["presumptions"])
    elif q.kind == "outcome":
        cats = [o["category"] for o in doc["offences"]]
        nodes = [top["offences"]["children"][cats.index(q.offence)]]
    elif q.kind == "risks" and "risk_flags" in top:
        nodes = [top["risk_flags"]]
    elif q.kind == "actions" and "actions" in top:
        nodes = [top["actions"]]
    out: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        cites = [labels.get(c, c) for c in node.get("citations", [])]
        out.append({"depth": depth, "text": node["text"], "citations": cites})
        for child in node.get("children", []):
            walk(child, depth + 1)

    for n in nodes:
        walk(n, 0)
    return out


def _label(c: dict[str, Any]) -> str:
    where = f", {c['provision']}" if c.get("provision") else ""
    mark = "" if c.get("verified") else " [not verified]"
    return f"{c['instrument']}{where}{mark}"


def questions_doc(
    engine: Engine, s: Scenario, role: str | None, k: dict[str, Any]
) -> list[dict[str, Any]]:
    kb = engine.kb
    out = []
    for qid, q in s.questions_for(role):
        d: dict[str, Any] = {
            "id": qid,
            "kind": q.kind,
            "roles": list(q.roles or s.roles),
            "prompt": default_prompt(kb, s, q),
            "multiple": q.kind in {"indicators", "risks", "actions"},
            "options": options(kb, s, q, k),
        }
        if q.offence:
            d["offence"] = q.offence
        out.append(d)
    return out


def scenario_doc(
    engine: Engine, cat: Catalogue, s: Scenario, role: str | None = None
) -> dict[str, Any]:
    """``npp training show ID --format json`` (contract §6)."""
    k = key(engine, s)
    return {
        **summary(s),
        "narrative": s.narrative,
        "facts": s.facts,
        "questions": questions_doc(engine, s, role, k),
        "misconceptions": [
            {"id": m, "claim": cat.misconceptions[m].claim} for m in s.misconceptions
        ],
        "key": k,
    }


def coverage_problems(kb: KnowledgeBase, cat: Catalogue) -> list[str]:
    """What the catalogue is missing: every state, stage and role needs a scenario."""
    out = []
    have = list(cat.scenarios.values())
    if len(have) < MIN_SCENARIOS:
        out.append(f"{len(have)} scenarios; at least {MIN_SCENARIOS} are needed")
    for cc in kb.vocabulary.jurisdictions:
        if not any(s.jurisdiction == cc for s in have):
            out.append(f"no scenario for the jurisdiction {cc}")
    for st in kb.vocabulary.stages:
        if not any(s.stage == st for s in have):
            out.append(f"no scenario for the stage {st}")
    for r in ROLES:
        if not any(r in s.roles for s in have):
            out.append(f"no scenario for the role {r}")
    return out
