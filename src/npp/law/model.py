"""Typed model of the legal knowledge base.

The YAML files under ``knowledge/`` are validated against these models on load. They are
strict (``extra="forbid"``) because a misspelt key in a legal data file is a silent legal
error: a researcher who writes ``in_force_form`` must be told, not ignored.

Every fact carries :class:`Evidence` — its sources, a confidence mark and ``verified`` —
because the product's first promise is to be honest about what is not verified.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]*$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
# Dossier sources are S1, S2, ... (shared/research/legal.md); others are PREFIX-NAME,
# e.g. TH-ATIPA-2008 for a primary text, INT-PALERMO for a treaty text.
SourceId = Annotated[str, StringConstraints(pattern=r"^S[0-9]+[a-z]?$|^[A-Z]{2,5}-[A-Za-z0-9\-]+$")]
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    """Base for every knowledge-base record: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Confidence(StrEnum):
    """Confidence marks of the research dossier (``shared/research/legal.md``)."""

    HIGH = "H"  # read in the primary text (or the study itself)
    MEDIUM = "M"  # a secondary source states it
    LOW = "L"  # recalled, not verified: shown to users as unverified
    UNKNOWN = "unknown"  # not known at all


class TextStatus(StrEnum):
    """How close the stored ``text`` is to the law as enacted."""

    VERBATIM = "verbatim"  # the words of the instrument, in its language
    TRANSLATION = "translation"  # an (unofficial) translation of verbatim text
    PARAPHRASE = "paraphrase"  # our summary: never quote it as the law's words
    RECONSTRUCTED = "reconstructed"  # verbatim text with known amendments applied by us
    UNKNOWN = "unknown"  # the wording has not been read


class Evidence(Strict):
    """Where a fact comes from and how sure we are of it."""

    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    verified: bool
    note: str | None = None

    @model_validator(mode="after")
    def _verified_needs_high_confidence(self) -> Evidence:
        if self.verified and self.confidence is not Confidence.HIGH:
            raise ValueError("verified: true needs confidence 'H' (read in the primary text)")
        return self


class Dated(Strict):
    """A validity window; ``in_force_to`` is the last day in force (inclusive)."""

    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    dates_note: str | None = None

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Dated:
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            raise ValueError("in_force_to is before in_force_from")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        """True when ``day`` falls in the window; an unknown start counts as 'always was'."""
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return not (self.in_force_to is not None and day > self.in_force_to)


# --------------------------------------------------------------------------- sources


class Source(Strict):
    """One entry of the source register (the dossier's S-numbers, and primary texts)."""

    id: SourceId
    title: str
    kind: Literal["study", "primary_text", "official", "secondary", "news", "dataset", "other"]
    url: str | None = None
    accessed: str | None = None
    note: str | None = None


class SourceRegister(Strict):
    sources: list[Source]


# --------------------------------------------------------------------------- provisions


class ProvisionModel(StrEnum):
    CAUSATION = "causation"
    COMPULSION = "compulsion"
    MINISTERIAL_PERMISSION = "ministerial_permission"
    STATUS_EXEMPTION = "status_exemption"  # victims are exempt by status alone (no link test)
    NONE = "none"


class NonPunishment(Strict):
    """The structured form of a non-punishment provision, beside its text."""

    model: ProvisionModel
    role: Literal["primary", "supplementary"] = Field(
        default="primary",
        description="the state's main provision, or a narrower extra rule (e.g. TH work permits)",
    )
    offences: list[Code] | Literal["all"]
    victims: str = Field(description="'all' or a short description of who is covered")
    victims_verified: bool = False
    partial_offences: list[Code] = Field(
        default_factory=list,
        description="listed offences the provision covers only in part (its words are narrower "
        "than the category, e.g. forged passports only): the outcome stays conditional until "
        "the practitioner answers offences[].within_provision",
    )
    within_questions: dict[Code, str] = Field(
        default_factory=dict,
        description="for each partial offence, the question that offences[].within_provision "
        "answers (is the conduct charged within the provision's words?)",
    )
    potential_victims: Literal["covered", "open"] | None = Field(
        default=None,
        description="'open' where the text names only (identified) victims and whether it "
        "reaches a person still being identified is an open question: the outcome then stays "
        "conditional for a person not formally identified, and person.victim_status is asked",
    )
    stages: list[Code] = Field(min_length=1)
    decides: str
    discretionary: bool | None = Field(
        description="true for 'may'/'case by case'; null where the wording has not been read"
    )
    liability: list[Literal["criminal", "administrative", "punishment", "prosecution"]] = Field(
        min_length=1
    )
    link_test: str = Field(description="the test the provision applies, in plain words")
    human_judgement: list[str] = Field(
        default_factory=list,
        description="questions the law leaves to the practitioner (shown as questions)",
    )
    evidence: Evidence

    @model_validator(mode="after")
    def _partial_is_a_subset(self) -> NonPunishment:
        if self.partial_offences and self.offences != "all":
            extra = sorted(set(self.partial_offences) - set(self.offences))
            if extra:
                raise ValueError(f"partial_offences not in offences: {', '.join(extra)}")
        unasked = sorted(set(self.partial_offences) - set(self.within_questions))
        if unasked:
            raise ValueError(f"within_questions has no question for: {', '.join(unasked)}")
        stray = sorted(set(self.within_questions) - set(self.partial_offences))
        if stray:
            raise ValueError(f"within_questions for offences not partial: {', '.join(stray)}")
        return self


class Provision(Dated):
    """A section or article of an instrument, with its text and what is known of it."""

    id: Identifier
    section: str | None = Field(description="as cited, e.g. '25', '18', '4(7)'; null if unknown")
    heading: str | None = None
    kind: Literal[
        "non_punishment",
        "definition",
        "offence",
        "penalty",
        "defence",
        "identification",
        "protection",
        "procedure",
        "age_of_responsibility",
        "obligation",
        "other",
    ]
    text: str
    text_status: TextStatus
    language: str = "en"
    original_text: str | None = None
    summary: str | None = None
    non_punishment: NonPunishment | None = None
    evidence: Evidence

    @model_validator(mode="after")
    def _np_block_matches_kind(self) -> Provision:
        if (self.kind == "non_punishment") != (self.non_punishment is not None):
            raise ValueError("kind 'non_punishment' and a non_punishment block go together")
        if self.section is None and self.evidence.verified:
            raise ValueError("a provision without a known section cannot be verified")
        return self


class HistoryEvent(Strict):
    date: dt.date | None
    event: str
    evidence: Evidence


class Instrument(Dated):
    """A statute, treaty, guideline, judgment or agreement: one file in ``knowledge/``."""

    id: Identifier
    title: str
    short_title: str
    level: Literal["domestic", "international", "regional", "subregional", "bilateral", "foreign"]
    kind: Literal[
        "statute",
        "code",
        "regulation",
        "decree",
        "treaty",
        "protocol",
        "soft_law",
        "guideline",
        "resolution",
        "declaration",
        "judgment",
        "agreement",
        "policy",
    ]
    jurisdiction: Jurisdiction | None = Field(default=None, description="for domestic law")
    provision_label: Literal["article", "section"] | None = Field(
        default=None,
        description=(
            "what the instrument calls its numbered provisions, printed 'Art. 14' or 's. 41': "
            "required for domestic law; other instruments default to 'article'"
        ),
    )
    binding_force: str = Field(description="how far the instrument binds, in plain words")
    parties: list[str] | Literal["unknown"] = Field(
        default_factory=list, description="codes of parties (ISO alpha-2, 'CN', 'EU', ...)"
    )
    parties_note: str | None = None
    requires: str = Field(description="what it requires on non-punishment, in plain words")
    replaces: list[Identifier] = Field(default_factory=list)
    replaced_by: Identifier | None = None
    history: list[HistoryEvent] = Field(default_factory=list)
    provisions: list[Provision] = Field(default_factory=list)
    evidence: Evidence

    # Editors that read the JSON Schema ask for provision_label in domestic files too.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"level": {"const": "domestic"}}},
            "then": {"required": ["provision_label"]},
        }
    )

    @model_validator(mode="after")
    def _domestic_has_jurisdiction(self) -> Instrument:
        if (self.level == "domestic") != (self.jurisdiction is not None):
            raise ValueError("jurisdiction is required for domestic law and only for it")
        ids = [p.id for p in self.provisions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate provision id(s): {', '.join(dupes)}")
        for p in self.provisions:
            if not p.id.startswith(self.id + "."):
                raise ValueError(f"provision id {p.id!r} must start with '{self.id}.'")
        if self.level == "domestic" and self.provision_label is None:
            raise ValueError(
                "provision_label is required for domestic law: 'article' (civil-law codes "
                "and statutes, printed 'Art.') or 'section' (printed 's.')"
            )
        return self


# --------------------------------------------------------------------------- bilateral


class BilateralClause(Strict):
    status: Literal["reported", "none_known", "unknown"]
    text: str | None = None
    text_status: TextStatus
    offences: list[Code] | Literal["all", "unknown"]
    victims: str
    evidence: Evidence


class BilateralAgreement(Dated):
    id: Identifier
    title: str
    parties: list[str] = Field(min_length=2)
    signed: dt.date | None = None
    signed_note: str | None = None
    non_punishment: BilateralClause
    evidence: Evidence


class BilateralFile(Strict):
    general_finding: str
    general_evidence: Evidence
    agreements: list[BilateralAgreement]


# --------------------------------------------------------------------------- jurisdiction profile


class Sanction(Strict):
    """Whether a kind of punishment is available, in law and in practice."""

    #: ``conditional``: only in some circumstances, named in ``detail`` (e.g. overstay > 90 days).
    in_law: Literal["mandatory", "discretionary", "available", "conditional", "none", "unknown"]
    applied: Literal["yes", "no", "rarely", "unknown"]
    detail: str | None = None


class Penalty(Dated):
    """A penalty that victims charged with an offence category face in one state."""

    offence: Code
    also: list[Code] = Field(
        default_factory=list,
        description="other offence categories the state's law does not distinguish from "
        "`offence` (e.g. drugs.transport where couriers commit 'trafficking'): the same "
        "penalty applies to them",
    )
    instrument: str
    section: str | None
    description: str
    imprisonment: str | None = None
    capital: Sanction
    corporal: Sanction
    detention_or_removal: bool = False
    evidence: Evidence


PenaltyKind = Literal["capital_punishment", "corporal_punishment"]
#: Applicable exemption rules per state, offence and penalty the rules evaluate (bulk review
#: lays them out in this many column groups); ``npp law check`` reports a state that needs more.
EXEMPTION_SLOTS = 2


class ExemptWho(Strict):
    """Who a penalty exemption covers: every condition given must hold (none = everyone).

    Conditions the case facts can answer are structured; ``other`` names a condition they
    cannot (a death sentence, pregnancy): such a rule is shown to the practitioner but never
    applied by the engine.
    """

    age_at_offence_below: int | None = Field(default=None, ge=1, le=120)
    age_now_above: int | None = Field(
        default=None,
        ge=1,
        le=120,
        description="older than this now; the law's test may be the age at sentencing or at "
        "the time the penalty is carried out, for which the age now is the best fact known",
    )
    sex: Literal["female", "male"] | None = None
    other: str | None = Field(
        default=None, description="a condition the case facts do not record (shown, not applied)"
    )


class PenaltyExemption(Dated):
    """A rule of law that excludes a penalty for some persons or offences.

    ``in_force_from``/``in_force_to`` date the rule. Applied to an offence when the rule was in
    force on the offence date, or when it is in force now and ``applies_to_earlier_offences``
    (a later, more lenient law the state applies to earlier offences or to unexecuted
    sentences, or a rule about carrying out a sentence, which applies when it is carried out).
    """

    id: Identifier
    penalty: PenaltyKind
    offences: list[Code] | Literal["all"] = "all"
    except_offences: list[Code] = Field(
        default_factory=list,
        description="categories the rule does not reach (or may not reach: the conservative "
        "reading keeps the penalty)",
    )
    except_note: str | None = None
    who: ExemptWho = Field(default_factory=ExemptWho)
    applies_to_earlier_offences: bool = False
    instrument: str
    section: str | None
    text: str = Field(description="the rule's words, or a close paraphrase (see text_status)")
    text_status: TextStatus
    effect: str = Field(description="what replaces the penalty, in plain words")
    evidence: Evidence

    def reaches(self, category: str) -> bool:
        """True when the rule covers offences of ``category``."""
        if category in self.except_offences:
            return False
        return self.offences == "all" or category in self.offences

    @property
    def applicable(self) -> bool:
        """Whether the engine applies it: only conditions the facts record, and evidence
        better than recalled (an L-marked rule is shown, never relied on to drop a flag)."""
        return self.who.other is None and self.evidence.confidence in {
            Confidence.HIGH,
            Confidence.MEDIUM,
        }


class CitedFact(Strict):
    text: str
    instrument: str | None = None
    section: str | None = None
    evidence: Evidence


class AgeOfResponsibility(Strict):
    age: int | None = Field(ge=0, le=18)
    detail: str
    instrument: str | None = None
    section: str | None = None
    evidence: Evidence


class Defence(Strict):
    kind: Literal["duress", "necessity", "other"]
    instrument: str
    section: str | None
    text: str
    text_status: TextStatus
    limits: str | None = None
    evidence: Evidence


class DeathPenalty(Strict):
    in_law: bool | None
    applied_for_drugs: bool | None
    detail: str
    evidence: Evidence


class Profile(Strict):
    """Everything about one state that is not an instrument file: ``profile.yaml``."""

    jurisdiction: Jurisdiction
    name: str
    summary: str
    age_of_criminal_responsibility: AgeOfResponsibility
    death_penalty: DeathPenalty
    corporal_punishment: CitedFact
    general_defences: list[Defence]
    identification: list[CitedFact] = Field(min_length=1)
    commonly_charged: list[Code] = Field(min_length=1)
    penalties: list[Penalty]
    penalty_exemptions: list[PenaltyExemption] = Field(
        default_factory=list,
        description="rules that exclude a penalty for some persons (age, sex) or offences, "
        "or that a later, more lenient law lifts",
    )
    post_conviction_relief: CitedFact
    practice: list[CitedFact] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- taxonomy & guidance


class OffenceCategory(Strict):
    code: Code
    label: str
    typology: Literal["status", "consequential", "liberation", "trafficking"]
    definition: str
    study_group: str = Field(description="the group in the study's list of offences")
    examples: list[str] = Field(default_factory=list)
    evidence: Evidence


class OffenceTaxonomy(Strict):
    typologies: dict[str, str]
    typology_evidence: Evidence
    categories: list[OffenceCategory]


Audience = Literal[
    "police",
    "immigration",
    "labour_inspector",
    "prosecutor",
    "defender",
    "judge",
    "legislator",
    "policy_maker",
    "ngo",
]


class Recommendation(Strict):
    number: int = Field(ge=1, le=26)
    stage: Code
    title: str = Field(description="the study's words")
    guidance: str = Field(description="concrete guidance written from the study")
    case_action: str | None = Field(
        default=None, description="what a practitioner does in one case (None if institutional)"
    )
    audience: list[Audience] = Field(min_length=1)
    acts_on: Literal["case", "institution", "law", "case_and_institution"]
    legislative: bool = False
    evidence: Evidence


class Recommendations(Strict):
    recommendations: list[Recommendation] = Field(min_length=26, max_length=26)


class Indicator(Strict):
    code: Code
    label: str
    dimension: Code | None = None
    adult: Literal["strong", "medium", "weak"] | None = None
    child: Literal["strong", "medium", "weak"] | None = None


class Dimension(Strict):
    code: Code
    label: str
    element: Literal["act", "means", "purpose"]


class PositiveRule(Strict):
    """A dimension is positive when any one of these minimum counts is reached."""

    strong: int = 0
    medium: int = 0
    weak: int = 0
    any_of_medium_or_weak: int = 0


class IndicatorSet(Strict):
    id: Identifier
    title: str
    publisher: str
    year: int
    scoring: Literal["ilo_ec_delphi", "checklist"]
    dimensions: list[Dimension] = Field(default_factory=list)
    positive_if_any: list[PositiveRule] = Field(default_factory=list)
    victim_rule_adult: list[list[Code]] = Field(
        default_factory=list, description="AND of ORs over dimension codes"
    )
    victim_rule_child: list[list[Code]] = Field(default_factory=list)
    rule_text: str | None = None
    indicators: list[Indicator] = Field(min_length=1)
    evidence: Evidence
