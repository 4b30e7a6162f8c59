"""Penalties for this person: what the offence carries, and what the law excludes for them.

The rules (:func:`npp.assessment.rules.derive`) decide the flags; this module explains them
from the same intermediate values: each penalty at stake, each exemption that excludes it for
this person (``excluded_penalties``, contract §1a: for a defender or judge an exclusion is
itself an argument), each exemption that turns on a fact not yet known (the flag stays and
the fact is asked for), and the exemptions the engine shows but does not apply (a condition
the case facts do not record, or a rule only recalled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from npp.assessment.explanation import Finding
from npp.assessment.lawfacts import PENALTY_COLUMNS, SEVERE, OffenceLaw
from npp.assessment.rules import Derived, ScalarOps, exempt_conditions
from npp.law.knowledge import KnowledgeBase
from npp.law.model import PenaltyExemption
from npp.screening.facts import CaseFacts

_ops = ScalarOps()
PENALTY_WORDS = {
    "capital_punishment": "the death penalty",
    "corporal_punishment": "caning or whipping",
}
#: The input that answers each condition of an exemption rule, when the condition is unknown.
_CONDITION_FIELD = {"sex": "person.sex", "age_now": "person.age_now"}


@dataclass
class PenaltyView:
    """What the explanation, the questions and the document need about one offence."""

    excluded: list[dict[str, Any]] = field(default_factory=list)
    #: (penalty, rule id, citation id, input field) for each exemption a fact would decide.
    unknown: list[tuple[str, str, str, str]] = field(default_factory=list)


def exemption_id(cc: str, n: int) -> str:
    return f"{cc.lower()}.profile.exemption.{n}"


def _who(x: PenaltyExemption) -> str:
    w = x.who
    bits = [{"female": "women", "male": "men"}[w.sex] if w.sex else "persons"]
    if w.age_at_offence_below is not None:
        bits.append(f"under {w.age_at_offence_below} at the time of the offence")
    if w.age_now_above is not None:
        bits.append(f"older than {w.age_now_above} now")
    if w.other:
        bits.append(w.other)
    if len(bits) == 1 and not w.sex:
        return "everyone"
    return bits[0] + (" " + ", ".join(bits[1:]) if len(bits) > 1 else "")


def _where(x: PenaltyExemption, cc: str) -> str:
    word = "Art." if cc in {"ID", "VN", "LA", "KH"} else "s."
    return x.instrument + (f", {word} {x.section}" if x.section else "")


def explain_penalties(
    kb: KnowledgeBase,
    node: Finding,
    facts: CaseFacts,
    law: OffenceLaw,
    d: Derived[Any],
    cols: dict[str, Any],
) -> PenaltyView:
    """Add the penalty findings to an offence's ``node``; return what the document needs."""
    cc = facts.jurisdiction
    prof = kb.profiles.get(cc)
    view = PenaltyView()
    for pen in law.penalties:
        pen_id = f"{cc.lower()}.profile.penalty.{prof.penalties.index(pen)}" if prof else "S1"
        bits = []
        if pen.capital.in_law in SEVERE:
            bits.append(
                f"death penalty ({pen.capital.in_law} in law; applied: {pen.capital.applied})"
                + (f" — {pen.capital.detail}" if pen.capital.detail else "")
            )
        if pen.corporal.in_law in SEVERE:
            bits.append(
                f"corporal punishment ({pen.corporal.in_law} in law)"
                + (f" — {pen.corporal.detail}" if pen.corporal.detail else "")
            )
        if bits:
            node.add(
                "penalty",
                f"Penalty at stake under {pen.instrument}"
                + (f" s.{pen.section}" if pen.section else "")
                + f": {'; '.join(bits)}."
                + ("" if pen.evidence.verified else " (not verified)"),
                [pen_id],
            )
    for pname, col in PENALTY_COLUMNS.items():
        if not d.carried[pname]:
            continue
        words = PENALTY_WORDS[pname]
        slots = (law.slots or {}).get(pname, ())
        for k, (n, x) in enumerate(slots):
            cite = exemption_id(cc, n)
            state = d.exempt[pname][k]
            mark = "" if x.evidence.verified else f" [{x.evidence.confidence.value}, not verified]"
            if state is True:
                reason = f"{_where(x, cc)} excludes {words} for {_who(x)}: {x.effect}{mark}"
                view.excluded.append({"penalty": pname, "reason": reason, "citations": [cite]})
                node.add("penalty_excluded", f"Excluded for this person: {reason}", [cite], False)
            elif state is None:
                missing = _missing_fields(facts, cols, f"{col}_x{k}")
                for f in missing:
                    view.unknown.append((pname, x.id, cite, f))
                node.add(
                    "penalty_exemption",
                    f"{_where(x, cc)} excludes {words} for {_who(x)}{mark}. Whether it applies "
                    f"to this person is not known ({', '.join(missing)}): the flag stays until "
                    "the fact is established.",
                    [cite],
                    None,
                )
        applied = {n for n, _ in slots}
        for n, x in law.exemptions:
            if x.penalty != pname or n in applied:
                continue
            cite = exemption_id(cc, n)
            why = (
                "a condition the case facts do not record"
                if x.who.other
                else f"evidence marked {x.evidence.confidence.value} (recalled, not read)"
            )
            node.add(
                "penalty_exemption",
                f"Also: {_where(x, cc)} excludes {words} for {_who(x)} ({x.effect}). Not applied "
                f"by this assessment ({why}): raise it where it fits the person.",
                [cite],
                None,
            )
        for n, x in _excepted(kb, cc, law, pname):
            node.add(
                "penalty_exemption",
                f"{_where(x, cc)} excludes {words} for {_who(x)}, but not for every offence: "
                f"{x.except_note or 'this category is excepted'}",
                [exemption_id(cc, n)],
                False,
            )
    return view


def _excepted(
    kb: KnowledgeBase, cc: str, law: OffenceLaw, pname: str
) -> list[tuple[int, PenaltyExemption]]:
    prof = kb.profiles.get(cc)
    if prof is None:
        return []
    return [
        (n, x)
        for n, x in enumerate(prof.penalty_exemptions)
        if x.penalty == pname and law.category in x.except_offences
    ]


def _missing_fields(facts: CaseFacts, cols: dict[str, Any], slot: str) -> list[str]:
    """The inputs that would decide the exemption in ``slot``: those of its conditions that
    are not known."""
    cond = exempt_conditions(_ops, cols, slot)
    out = []
    if cond["age"] is None:
        p = facts.person
        out.append("person.age_disputed" if p.age is not None and p.age_disputed else "person.age")
    for name, f in _CONDITION_FIELD.items():
        if cond[name] is None:
            out.append(f)
    return out


def penalty_questions(kb: KnowledgeBase, view: PenaltyView) -> list[tuple[str, str, list[str]]]:
    """(field, question, citations) for each fact that would decide an exemption."""
    out = []
    for pname, _rule, cite, f in view.unknown:
        words = PENALTY_WORDS[pname]
        text = {
            "person.sex": f"Is the person a woman or a man? The law excludes {words} "
            "for some persons by sex.",
            "person.age": f"How old was the person at the time of the offence? The law "
            f"excludes {words} for offenders under a set age.",
            "person.age_disputed": f"Can the person's age at the offence be established? "
            f"The law excludes {words} for offenders under a set age.",
            "person.age_now": f"How old is the person now? The law excludes {words} "
            "above a set age (at sentencing or when it would be carried out).",
        }[f]
        out.append((f, text, [cite]))
    return out
