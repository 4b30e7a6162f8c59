"""Every question an assessment asks can be answered, and answering it matters.

Each entry of ``questions`` names the input field that answers it (contract §1a). This test
enumerates the questions the rules ask across every state, offence category, two law dates
and person profiles from "nothing known" to "much known", and proves for each that some value
of its field either changes the result (outcomes, penalty flags, potential victim, risk flags)
or removes the question.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest

import npp
from npp.errors import InvalidFacts

ENGINE = npp.engine()
KB = ENGINE.kb
TODAY = dt.date(2026, 11, 28)
#: The input paths a question may name (contract §1 and §1a).
FIELD = re.compile(
    r"^(person\.(age|age_disputed|age_now|sex|victim_status)"
    r"|trafficking\.(acts|means|purposes|under_control_at_offence)"
    r"|offences\[\d+\]\.(compelled|direct_consequence|within_provision))$"
)
#: Every kind of question the rules can ask; the enumeration must meet each at least once.
KINDS = {
    "person.age",
    "person.age_disputed",
    "person.age_now",
    "person.sex",
    "person.victim_status",
    "trafficking.acts",
    "trafficking.means",
    "trafficking.purposes",
    "trafficking.under_control_at_offence",
    "offences[].compelled",
    "offences[].direct_consequence",
    "offences[].within_provision",
}
PROFILES: list[dict[str, Any]] = [
    {},  # nothing known
    {"person": {"victim_status": "potential"}, "trafficking": {"purposes": ["forced_labour"]}},
    {
        "person": {"age": 17, "age_disputed": True, "victim_status": "potential"},
        "trafficking": {"acts": ["recruitment"], "purposes": ["forced_criminality"]},
    },
    {
        "person": {"age": 49, "age_disputed": False, "victim_status": "formal"},
        "trafficking": {
            "acts": ["recruitment"],
            "means": ["deception"],
            "purposes": ["forced_labour"],
        },
    },
]
DATES = ["2024-03-01", "2025-08-01"]


def _candidates(field: str) -> list[Any]:
    leaf = field.rsplit(".", 1)[-1]
    return {
        "age": [10, 17, 30, 60],
        "age_disputed": [False],
        "age_now": [30, 60, 80],
        "sex": ["female", "male"],
        "victim_status": ["potential", "formal"],
        "acts": [[], ["recruitment"]],
        "means": [[], ["deception"]],
        "purposes": [[], ["forced_criminality"]],
        "under_control_at_offence": [True, False],
        "compelled": [True, False],
        "direct_consequence": [True, False],
        "within_provision": [True, False],
    }[leaf]


def _set(facts: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(facts)
    m = re.fullmatch(r"offences\[(\d+)\]\.(\w+)", field)
    if m:
        out["offences"][int(m.group(1))][m.group(2)] = value
        return out
    group, leaf = field.split(".")
    out.setdefault(group, {})[leaf] = value
    return out


def _signature(doc: dict[str, Any]) -> tuple[Any, ...]:
    return (
        doc["potential_victim"],
        tuple(o["outcome"] for o in doc["offences"]),
        tuple(tuple(o["penalty_flags"]) for o in doc["offences"]),
        tuple(doc["risk_flags"]),
    )


def _kind(field: str) -> str:
    return re.sub(r"\[\d+\]", "[]", field)


def _cases() -> list[dict[str, Any]]:
    out = []
    for cc in KB.vocabulary.jurisdictions:
        for cat in KB.vocabulary.offence_categories:
            for day in DATES:
                for prof in PROFILES:
                    out.append(
                        {"jurisdiction": cc, "offence_date": day, "offences": [{"category": cat}]}
                        | copy.deepcopy(prof)
                    )
    return out


def test_every_question_names_its_field_and_answering_it_matters() -> None:
    seen: set[str] = set()
    for facts in _cases():
        doc = ENGINE.assess_data(facts, today=TODAY).document
        before = _signature(doc)
        for q in doc["questions"]:
            field = q["field"]
            assert FIELD.match(field), q
            seen.add(_kind(field))
            answered = False
            for value in _candidates(field):
                try:
                    after = ENGINE.assess_data(_set(facts, field, value), today=TODAY).document
                except InvalidFacts:
                    continue  # e.g. an age now below the age at the offence
                still = any(
                    a["field"] == field and a["question"] == q["question"]
                    for a in after["questions"]
                )
                if _signature(after) != before or not still:
                    answered = True
                    break
            assert answered, (facts, q)
    assert seen >= KINDS, KINDS - seen


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (
            {
                "jurisdiction": "MY",
                "offence_date": "2024-03-01",
                "person": {"victim_status": "formal"},
                "offences": [{"category": "document.fraudulent_travel_or_identity"}],
                "trafficking": {"direct_consequence": True},
            },
            "offences[0].within_provision",
        ),
        (
            {
                "jurisdiction": "SG",
                "offence_date": "2024-03-01",
                "person": {"age": 49, "sex": "male"},
                "offences": [{"category": "drugs.transport"}],
            },
            "person.age_now",
        ),
    ],
)
def test_a_question_once_only_in_the_explanation_is_now_in_questions(
    facts: dict[str, Any], field: str
) -> None:
    doc = ENGINE.assess_data(facts, today=TODAY).document
    assert field in {q["field"] for q in doc["questions"]}
