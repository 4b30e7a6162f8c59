"""Case facts: the input of an assessment (contract §1), where ``None`` means *not known*.

Validation speaks the practitioner's language: one problem per line, each starting with the
JSON path of the field (``person.age: must be between 0 and 120``). Codes are checked
against the vocabulary and the knowledge base, so a misspelt offence is an error, never a
silent "other". Unknown keys are rejected for the same reason: a typo in ``compelled``
would otherwise read as "not known" and could change an outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from npp.errors import InvalidFacts, Problem
from npp.law.knowledge import KnowledgeBase

MAX_AGE = 120
AGE_NOW_BELOW_AGE = "must not be less than person.age (the age at the offence)"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Facts):
    age: StrictInt | None = Field(default=None, ge=0, le=MAX_AGE)
    age_disputed: StrictBool | None = None
    #: Age now (at the assessment): some penalties turn on the age at sentencing or when the
    #: sentence is carried out (caning of men over 50, execution at 75 or over).
    age_now: StrictInt | None = Field(default=None, ge=0, le=MAX_AGE)
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
    #: Contract §1a: where a provision covers the category only in part, is the conduct
    #: charged within its words? (true, false, or null = not known: the question stays)
    within_provision: StrictBool | None = None


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

    @field_validator("offence_date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """Only ``YYYY-MM-DD`` (or a date): the validator's lax mode would read a number as a
        Unix time (``0`` as 1970-01-01) and assess the case under the wrong law."""
        if value is None or type(value) is dt.date:
            return value
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            return value
        raise PydanticCustomError("date_type", "must be a date in the form YYYY-MM-DD")

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
            # An empty key is shown as "" (and a key that is not valid Unicode, escaped).
            out += ("." if out else "") + (_escaped(str(part)) or '""')
    return out or "(top level)"


def _input_loc(data: Any, loc: tuple[int | str, ...], missing: bool) -> tuple[int | str, ...]:
    """The part of a validator location that is a place in the input. Pydantic adds schema tags
    (``function-after[...]``, union members) that are not; a user's key may contain any
    character, so tags are recognised by walking the input, not by their spelling."""
    out: list[int | str] = []
    cur = data
    for n, part in enumerate(loc):
        if isinstance(cur, dict) and isinstance(part, str):
            if part in cur or (missing and n == len(loc) - 1):
                out.append(part)
                cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
    return tuple(out)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escaped(text: str) -> str:
    """``text`` safe to print on one line: control characters, line separators and unpaired
    surrogates are written as escapes (a key could otherwise forge extra lines of errors)."""
    if not _UNSAFE.search(text):
        return text  # nearly always: every key of every facts document passes here
    return "".join(
        (f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}") if _unsafe(o) else ch
        for ch, o in ((ch, ord(ch)) for ch in text)
    )


def _unsafe(o: int) -> bool:
    return o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029) or 0xD800 <= o <= 0xDFFF


def _valid_unicode(data: Any, loc: tuple[int | str, ...], out: list[Problem]) -> Any:
    """A copy of ``data`` in which text that is not valid Unicode is escaped, each such value
    reported. JSON can carry an unpaired surrogate (``"\\ud800"``), which can be neither
    stored nor shown; an escaped key stays an unknown key, reported as such."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            out.append(Problem(_path(loc), "must be valid Unicode text (unpaired surrogate)"))
            return _escaped(data)
        return data
    if isinstance(data, dict):
        clean: dict[Any, Any] = {}
        for k, v in data.items():
            key = _escaped(k) if isinstance(k, str) else k
            clean[key] = _valid_unicode(v, (*loc, key), out)
        return clean
    if isinstance(data, list):
        return [_valid_unicode(v, (*loc, n), out) for n, v in enumerate(data)]
    return data


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


#: Case facts are three levels deep; anything far deeper is refused before it is walked.
MAX_DEPTH = 32


def _too_deep(data: Any) -> Problem | None:
    """The first value nested deeper than :data:`MAX_DEPTH` (found without recursion)."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if len(loc) > MAX_DEPTH:
            return Problem(
                _path(loc[:MAX_DEPTH]), f"is nested too deeply (over {MAX_DEPTH} levels)"
            )
        if isinstance(value, dict):
            stack.extend((v, (*loc, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*loc, n)) for n, v in enumerate(value))
    return None


def parse_facts(data: Any, kb: KnowledgeBase) -> CaseFacts:
    """Validate raw JSON-like data; raises :class:`InvalidFacts` listing every problem."""
    if not isinstance(data, dict):
        raise InvalidFacts([Problem("(top level)", "must be a JSON object")])
    deep = _too_deep(data)
    if deep is not None:
        raise InvalidFacts([deep])
    problems: list[Problem] = []
    data = _valid_unicode(data, (), problems)
    bad_text = {p.where for p in problems}  # one problem per field: the text itself
    more: list[Problem] = []
    try:
        facts = CaseFacts.model_validate(data)
    except ValidationError as exc:
        seen = set()
        for err in exc.errors():
            loc = _input_loc(data, tuple(err["loc"]), err["type"] == "missing")
            p = Problem(_path(loc), _message(err))
            if str(p) not in seen:
                seen.add(str(p))
                more.append(p)
        # Vocabulary checks still run on what could be read, so all problems show at once.
        _vocabulary_problems_raw(data, kb, more)
        problems += [p for p in more if p.where not in bad_text]
        raise InvalidFacts(problems) from None
    _vocabulary_problems(facts, kb, more)
    person = facts.person
    if person.age is not None and person.age_now is not None and person.age_now < person.age:
        more.append(Problem("person.age_now", AGE_NOW_BELOW_AGE))
    problems += [p for p in more if p.where not in bad_text]
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
