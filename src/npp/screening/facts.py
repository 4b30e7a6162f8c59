"""Case facts: the input of an assessment (contract §1), where ``None`` means *not known*.

Validation speaks the practitioner's language: one problem per line, each starting with the
JSON path of the field (``person.age: must be between 0 and 120``). Codes are checked
against the vocabulary and the knowledge base, so a misspelt offence is an error, never a
silent "other". Unknown keys are rejected for the same reason: a typo in ``compelled``
would otherwise read as "not known" and could change an outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from npp.errors import InvalidFacts, Problem
from npp.law.knowledge import KnowledgeBase

MAX_AGE = 120


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Facts):
    age: StrictInt | None = Field(default=None, ge=0, le=MAX_AGE)
    age_disputed: StrictBool | None = None
    sex: Literal["female", "male", "other"] | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    victim_status: Literal["none", "potential", "formal"] | None = None
    identified_by: str | None = Field(default=None, min_length=1, max_length=200)


class Offence(_Facts):
    category: str
    description: str | None = Field(default=None, max_length=2000)
    # Extensions: a per-offence answer overrides the case-wide one in ``trafficking``.
    compelled: StrictBool | None = None
    direct_consequence: StrictBool | None = None
    repeated: StrictBool | None = None


class Trafficking(_Facts):
    acts: list[str] | None = None
    means: list[str] | None = None
    purposes: list[str] | None = None
    compelled: StrictBool | None = None
    direct_consequence: StrictBool | None = None
    under_control_at_offence: StrictBool | None = None


class CaseFacts(_Facts):
    jurisdiction: str
    offence_date: dt.date | None = None
    stage: str | None = None
    person: Person = Field(default_factory=Person)
    offences: list[Offence] = Field(min_length=1)
    trafficking: Trafficking = Field(default_factory=Trafficking)
    indicators: list[str] = Field(default_factory=list)

    @property
    def stage_or_default(self) -> str:
        return self.stage or "identification"

    def law_date(self, today: dt.date | None = None) -> dt.date:
        return self.offence_date or today or dt.date.today()


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return f"must be between 0 and {MAX_AGE}"
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "must have at least one entry"
    if kind.startswith("bool"):
        return "must be true, false or null"
    if kind.startswith("int"):
        return "must be a whole number or null"
    if kind.startswith("date"):
        return "must be a date in the form YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        return "must be a two-letter ISO 3166 country code in capitals (e.g. LA)"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind in {"list_type", "model_type", "dict_type", "model_attributes_type"}:
        return "has the wrong type: " + str(err["msg"]).lower()
    if kind.startswith("string"):
        return "must be text"
    return str(err["msg"])


def parse_facts(data: Any, kb: KnowledgeBase) -> CaseFacts:
    """Validate raw JSON-like data; raises :class:`InvalidFacts` listing every problem."""
    if not isinstance(data, dict):
        raise InvalidFacts([Problem("(top level)", "must be a JSON object")])
    problems: list[Problem] = []
    try:
        facts = CaseFacts.model_validate(data)
    except ValidationError as exc:
        seen = set()
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
            p = Problem(_path(loc), _message(err))
            if str(p) not in seen:
                seen.add(str(p))
                problems.append(p)
        # Vocabulary checks still run on what could be read, so all problems show at once.
        _vocabulary_problems_raw(data, kb, problems)
        raise InvalidFacts(problems) from None
    _vocabulary_problems(facts, kb, problems)
    if problems:
        raise InvalidFacts(problems)
    return facts


def _check(values: Any, allowed: Any, where: str, what: str, out: list[Problem]) -> None:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return
    for n, v in enumerate(values):
        if isinstance(v, str) and v not in allowed:
            out.append(Problem(f"{where}[{n}]" if where else where, f"unknown {what} {v!r}"))


def _vocabulary_problems_raw(data: dict[str, Any], kb: KnowledgeBase, out: list[Problem]) -> None:
    v = kb.vocabulary
    j = data.get("jurisdiction")
    if isinstance(j, str) and j not in v.jurisdictions:
        out.append(
            Problem("jurisdiction", f"must be one of {', '.join(v.jurisdictions)} (got {j!r})")
        )
    s = data.get("stage")
    if isinstance(s, str) and s not in v.stages:
        out.append(Problem("stage", f"must be one of {', '.join(v.stages)} (got {s!r})"))
    offences = data.get("offences")
    if isinstance(offences, list):
        for n, o in enumerate(offences):
            if isinstance(o, dict) and isinstance(o.get("category"), str):
                c = o["category"]
                if c not in v.offence_categories:
                    out.append(
                        Problem(f"offences[{n}].category", f"unknown offence category {c!r}")
                    )
    t = data.get("trafficking")
    if isinstance(t, dict):
        _check(t.get("acts"), v.trafficking_acts, "trafficking.acts", "act", out)
        _check(t.get("means"), v.trafficking_means, "trafficking.means", "means", out)
        _check(t.get("purposes"), v.exploitation_purposes, "trafficking.purposes", "purpose", out)
    _check(data.get("indicators"), kb.indicators, "indicators", "indicator code", out)


def _vocabulary_problems(facts: CaseFacts, kb: KnowledgeBase, out: list[Problem]) -> None:
    _vocabulary_problems_raw(facts.model_dump(mode="json"), kb, out)
