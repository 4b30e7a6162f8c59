"""The shape of a scenario file and of the misconceptions catalogue (strict: unknown keys fail).

A scenario holds what a practitioner would see and hear (``narrative``), the case facts of
contract §1 (``facts``), the questions put to each role, and the misconceptions it is written
to challenge (study, recommendation 3). It holds no answer: the key is computed by the engine.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ROLES: tuple[str, ...] = ("frontline", "prosecutor", "defender", "judge", "caseworker")
Role = Literal["frontline", "prosecutor", "defender", "judge", "caseworker"]
#: What a learner is asked. ``discussion`` has no key: it is for the trainer and the group.
QuestionKind = Literal["suspicion", "indicators", "outcome", "risks", "actions", "discussion"]
KEYED_KINDS: tuple[str, ...] = ("suspicion", "indicators", "outcome", "risks", "actions")
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: The study's patterns a scenario is written from (to find and balance the catalogue).
Pattern = Literal[
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
    "forced_marriage",
    "forced_begging",
    "escape_offence",
    "returnee",
    "false_documents",
    "forced_labour",
    "terrorism",
    "defamation",
    "conviction_abroad",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """One question. ``offence`` names the offence category an ``outcome`` question is about;
    ``distractors`` are indicator codes offered beside the ones the narrative shows;
    ``prompt`` is required for a discussion and optional otherwise (a default is used)."""

    kind: QuestionKind
    roles: list[Role] | None = None
    offence: str | None = None
    distractors: list[str] = Field(default_factory=list)
    prompt: str | None = Field(default=None, min_length=10, max_length=600)

    def ident(self, n: int) -> str:
        """A stable id within the scenario: ``q1``, ``q2``... in the order written."""
        return f"q{n + 1}"


class Scenario(_Strict):
    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=5, max_length=120)
    roles: list[Role] = Field(min_length=1)
    patterns: list[Pattern] = Field(min_length=1)
    narrative: str = Field(min_length=200, max_length=3000)
    facts: dict[str, Any]
    questions: list[Question] = Field(min_length=1)
    misconceptions: list[str] = Field(default_factory=list)
    notes: str | None = None  # for the trainer: sources of the pattern, what to draw out

    @property
    def jurisdiction(self) -> str:
        return str(self.facts.get("jurisdiction", ""))

    @property
    def stage(self) -> str:
        return str(self.facts.get("stage") or "identification")

    def questions_for(self, role: str | None) -> list[tuple[str, Question]]:
        """(id, question) for ``role`` (all questions when ``role`` is None)."""
        out = []
        for n, q in enumerate(self.questions):
            if role is None or role in (q.roles or self.roles):
                out.append((q.ident(n), q))
        return out


class Trigger(_Strict):
    """When a wrong answer shows this misconception: the question kind, and what was wrong.

    ``said_no``: answered "no credible suspicion" where the key says yes; ``missed``: did not
    pick one of ``codes`` (risk flags, recommendation numbers, indicator codes, or ``any``);
    ``harsher``: picked an outcome less protective than the key's (e.g. "no provision" where
    the law bars prosecution); ``any_wrong``: any wrong answer to that kind.
    """

    kind: Literal["suspicion", "indicators", "outcome", "risks", "actions"]
    when: Literal["said_no", "missed", "harsher", "any_wrong"]
    codes: list[str] = Field(default_factory=list)


class Misconception(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    claim: str = Field(min_length=10, max_length=200)
    explanation: str = Field(min_length=80, max_length=2000)
    recommendations: list[int] = Field(default_factory=list)
    citations: list[str] = Field(min_length=1)
    study_locator: str = Field(min_length=5)  # the study's section heading, to find the passage
    triggers: list[Trigger] = Field(min_length=1)


class MisconceptionFile(_Strict):
    misconceptions: list[Misconception] = Field(min_length=1)
