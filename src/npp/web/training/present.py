"""View models for the training pages: a question with its options, the learner's answer,
and the feedback (the assessment's own explanation, the key, the misconceptions shown)."""

from __future__ import annotations

from typing import Any

from npp.training.model import Question, Scenario
from npp.training.practice import assessment, feedback, grade, key, questions_doc
from npp.web.training.catalogue import catalogue, engine


def parse_answer(q: dict[str, Any], values: list[str]) -> list[str] | None:
    """The posted values if they are options of the question (one for a single choice)."""
    allowed = {o["value"] for o in q["options"]}
    picked = [v for v in dict.fromkeys(values) if v in allowed]
    if len(picked) != len(values):
        return None
    if not q["multiple"] and len(picked) != 1:
        return None
    return picked


def _question(s: Scenario, qid: str) -> Question:
    n = int(qid[1:]) - 1
    return s.questions[n]


def questions(s: Scenario, role: str | None) -> list[dict[str, Any]]:
    return questions_doc(engine(), s, role, key(engine(), s))


def find(s: Scenario, role: str | None, qid: str) -> dict[str, Any] | None:
    for q in questions(s, role):
        if q["id"] == qid:
            return q
    return None


def result(s: Scenario, q: dict[str, Any], answer: list[str] | None) -> dict[str, Any]:
    """What to show once a question is answered (``answer`` None: the key alone, revealed)."""
    cat = catalogue()
    question = _question(s, q["id"])
    k = key(engine(), s)
    labels = {o["value"]: o["label"] for o in q["options"]}
    g = grade(cat, s, question, k, answer or [])
    return {
        "answered": answer is not None,
        "correct": g.correct if answer is not None else None,
        "answer": [labels.get(v, v) for v in g.answer],
        "expected": [labels.get(v, v) for v in g.expected],
        "missed": [labels.get(v, v) for v in g.missed],
        "wrong": [labels.get(v, v) for v in g.wrong],
        "misconceptions": [
            {"claim": m.claim, "explanation": m.explanation, "citations": _cites(m.citations)}
            for m in g.misconceptions
        ]
        if answer is not None
        else [],
        "feedback": feedback(assessment(engine(), s).document, question),
    }


def _cites(ids: list[str]) -> list[str]:
    kb = engine().kb
    return [kb.cite(c).label() for c in ids]


def page(s: Scenario, role: str | None, answers: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Every question of the page, each with its result where answered."""
    out = []
    for q in questions(s, role):
        item = dict(q)
        if q["kind"] != "discussion" and q["id"] in answers:
            item["result"] = result(s, q, answers[q["id"]])
            chosen = set(answers[q["id"]])
            item["options"] = [{**o, "checked": o["value"] in chosen} for o in q["options"]]
        out.append(item)
    return out
