"""What happens to a demo case after first contact: a coherent timeline.

A case moves through the six stages in order, each move dated after the decisions before it;
every decision is one that can follow the ones already taken (a case is prosecuted only if it
was charged, sentenced only if convicted) and carries a reason that fits it (:data:`REASONS`);
referrals are made after the case opens and followed up after they are made. Nothing is dated
after today: a case whose next step would fall in the future is still at its current stage.
Who records each step and makes each referral follows the application's responsibility rule
(:func:`referrals`, :func:`attribute`): the history is one the actions would accept.

The decisions depend on the assessment the engine gave (a potential victim is more often
protected; where a minister's permission is required, it is sought) but not only on it: the
study's point is that victims are still charged, prosecuted and convicted. The shares are
plausible, not statistics. Pure functions: no database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from npp.web.access import ENDED_STATUSES, responsible_among
from npp.web.cases.referral_rules import rules as referral_rules
from npp.web.cases.vocab import STAGE_CODES
from npp.web.demo.distributions import between, one

#: Reasons recorded with each decision: every one fits its decision.
REASONS: dict[str, tuple[str, ...]] = {
    # Service decisions: what an organisation a case was referred to records (referral_rules).
    "shelter_provided": ("Admitted to the shelter on referral; safe accommodation arranged.",),
    "support_provided": ("Counselling sessions with a caseworker in the person's language.",),
    "medical_care_provided": ("Medical examination and treatment at the provincial hospital.",),
    "interpretation_provided": ("A qualified interpreter attended the interview.",),
    "legal_advice_given": ("Legal aid lawyer explained the non-punishment provision and rights.",),
    "return_assisted": ("Safe return arranged with the country of origin's social services.",),
    "screened": (
        "Screened at first contact with the indicator checklist, with an interpreter.",
        "Screened at the shelter; indicators of deception and of withheld documents noted.",
    ),
    "referred_for_identification": (
        "Indicators of trafficking found; referred to the multidisciplinary team for formal "
        "identification.",
        "Credible suspicion of trafficking; referred for formal identification.",
    ),
    "identified_as_victim": (
        "Formally identified as a victim: recruited by deception and held in debt bondage.",
        "Formally identified as a victim by the multidisciplinary team after an interview.",
    ),
    "not_identified": (
        "Interviewed with an interpreter; no indicator of trafficking was confirmed.",
        "The person travelled and worked of their own accord; not a victim of trafficking.",
    ),
    "declined_identification": (
        "The person does not want to be identified as a victim (fears for family at home); "
        "support offered regardless.",
    ),
    "age_established": (
        "Age established from a birth record obtained through the embassy.",
        "Age assessed by a paediatrician; treated as a child until then.",
    ),
    "not_arrested": ("Treated as a potential victim at the scene; not arrested.",),
    "released_without_charge": (
        "Released without charge pending identification as a victim.",
        "Released without charge: credible suspicion that the person was trafficked.",
    ),
    "not_charged": (
        "Not charged: the offence was a direct consequence of the trafficking.",
        "Not charged: the person was compelled by the recruiter to commit the offence.",
    ),
    "charged": (
        "Charged: the link between the offence and the trafficking was not established.",
        "Charged before screening for trafficking was completed.",
    ),
    "ministerial_permission_sought": (
        "Written permission of the minister sought before any prosecution for this offence.",
    ),
    "ministerial_permission_refused": (
        "The minister refused permission to prosecute: the person is a victim of trafficking.",
    ),
    "ministerial_permission_given": (
        "The minister gave permission to prosecute: no link to the trafficking was shown.",
    ),
    "detention_avoided": (
        "Placed in a shelter instead of immigration detention.",
        "Released from immigration detention to a shelter pending identification.",
    ),
    "charge_withdrawn": ("Charge withdrawn after the person was identified as a victim.",),
    "prosecution_discontinued": (
        "Prosecution discontinued: not in the public interest to prosecute a victim of "
        "trafficking for an offence committed under the trafficker's control.",
    ),
    "diverted": ("Diverted from prosecution to a support and recovery programme.",),
    "prosecution_continued": (
        "Prosecution continued: the prosecutor found no link between the offence and the "
        "trafficking.",
        "Prosecution continued; the trafficking is left for the defence to raise at trial.",
    ),
    "defence_raised": (
        "The defence raised the trafficking: the person acted under the recruiter's compulsion.",
        "The defence asked the court to apply the non-punishment provision.",
    ),
    "acquitted": (
        "Acquitted: the court accepted that the offence was a direct consequence of the "
        "trafficking.",
    ),
    "case_dismissed": ("Case dismissed: the prosecution could not rebut the defence.",),
    "convicted": (
        "Convicted: the court found the offence was not a consequence of the trafficking.",
        "Convicted: the court did not consider the trafficking.",
    ),
    "sentence_mitigated": ("Sentence reduced: the trafficking was taken into account.",),
    "non_custodial_sentence": ("Non-custodial sentence in view of the trafficking.",),
    "discharged": ("Discharged without penalty: a victim of trafficking.",),
    "capital_or_corporal_avoided": (
        "The court did not impose the capital or corporal punishment the offence carries.",
    ),
    "sentenced": (
        "Sentenced to imprisonment; the trafficking was not raised.",
        "Sentenced to a fine and deportation.",
    ),
    "appeal_lodged": ("Appeal lodged on the ground that the person was trafficked.",),
    "conviction_quashed": (
        "Conviction quashed on appeal: the offence was a direct consequence of the trafficking.",
    ),
    "record_cleared": ("Criminal record cleared: the conviction arose from the trafficking.",),
    "pardon_granted": ("Pardon granted in view of the trafficking.",),
    "relief_refused": (
        "Relief refused: no evidence that the person was trafficked when the offence was "
        "committed.",
        "Relief refused: the application was made out of time.",
    ),
}

#: Who takes each decision (role and office, as the timeline shows it).
DECIDERS: dict[str, str] = {
    "shelter_provided": "Shelter caseworker",
    "support_provided": "Shelter caseworker",
    "medical_care_provided": "Attending doctor",
    "interpretation_provided": "Interpreter service",
    "legal_advice_given": "Legal aid lawyer",
    "return_assisted": "Social welfare officer",
    "screened": "Investigating officer",
    "referred_for_identification": "Investigating officer",
    "identified_as_victim": "Multidisciplinary identification team",
    "not_identified": "Multidisciplinary identification team",
    "declined_identification": "Investigating officer",
    "age_established": "Investigating officer",
    "not_arrested": "Investigating officer",
    "released_without_charge": "Station commander",
    "not_charged": "Public prosecutor",
    "charged": "Public prosecutor",
    "ministerial_permission_sought": "Public prosecutor",
    "ministerial_permission_refused": "Minister",
    "ministerial_permission_given": "Minister",
    "detention_avoided": "Immigration officer",
    "charge_withdrawn": "Public prosecutor",
    "prosecution_discontinued": "Public prosecutor",
    "diverted": "Public prosecutor",
    "prosecution_continued": "Public prosecutor",
    "defence_raised": "Defence counsel",
    "acquitted": "Trial judge",
    "case_dismissed": "Trial judge",
    "convicted": "Trial judge",
    "sentence_mitigated": "Trial judge",
    "non_custodial_sentence": "Trial judge",
    "discharged": "Trial judge",
    "capital_or_corporal_avoided": "Trial judge",
    "sentenced": "Trial judge",
    "appeal_lodged": "Defence counsel",
    "conviction_quashed": "Appeal court",
    "record_cleared": "Appeal court",
    "pardon_granted": "Head of State",
    "relief_refused": "Appeal court",
}
STAGE_DECIDER = "Case officer"

#: Decisions that end the proceedings against the person.
FINAL = {"not_arrested", "released_without_charge", "not_charged",
         "ministerial_permission_refused", "charge_withdrawn", "prosecution_discontinued",
         "diverted", "acquitted", "case_dismissed", "conviction_quashed", "record_cleared",
         "pardon_granted", "relief_refused"}  # fmt: skip
#: Decisions that may still follow the end of the proceedings.
AFTER_END = {"detention_avoided"}
#: Decisions that may be taken at any stage (a late identification, an age assessment).
ANY_STAGE = {"referred_for_identification", "identified_as_victim", "age_established"}


@dataclass(frozen=True)
class ReferralSpec:
    """A referral the demo makes: to which kind of organisation, on which occasion."""

    purpose: str
    to_kind: str
    #: the occasion: "opened" (first contact), or the decision or stage after which it is made
    after: str
    chance: float
    #: the kinds of organisation that make it, if responsible for the case then (empty: any)
    by: tuple[str, ...] = ()
    due_days: tuple[int, int] = (14, 45)
    share_identity: float = 0.8
    notes: tuple[str, ...] = ("", "", "Interpreter needed.", "Prefers a female caseworker.")


REFERRALS: tuple[ReferralSpec, ...] = (
    ReferralSpec("shelter_and_support", "ngo", "opened", 0.6),
    ReferralSpec("formal_identification", "police", "referred_for_identification", 0.9),
    ReferralSpec("prosecution_review", "prosecution", "charged", 0.85, share_identity=0.5),
    ReferralSpec("legal_aid", "defence", "prosecution", 0.6),
    ReferralSpec("court", "court", "trial", 0.8, ("prosecution",), share_identity=1.0),
    ReferralSpec("repatriation", "ngo", "identified_as_victim", 0.35),
)
#: Follow-ups of a referral: (status, days after the previous step, chance it happens).
FOLLOW_UPS: tuple[tuple[str, tuple[int, int], float], ...] = (
    ("accepted", (1, 6), 0.9),
    ("in_progress", (2, 20), 0.85),
    ("completed", (10, 60), 0.88),
)
DECLINED = 0.04


@dataclass
class Step:
    """One dated entry of the timeline: a decision or a move to the next stage."""

    on: dt.date
    stage: str
    kind: str  # "decision" or "stage_advanced"
    decision: str = ""
    offence: str = ""
    reasons: str = ""
    decided_by: str = ""
    #: the kind of organisation that records it: the one responsible for the case that day
    by: str = ""


@dataclass
class ReferralPlan:
    on: dt.date
    stage: str
    spec: ReferralSpec
    due: dt.date
    share_identity: bool
    note: str
    follow_ups: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (day, status, stage)
    #: the kind of the referring organisation: the one responsible for the case on ``on``
    from_kind: str = ""
    #: ``transfer`` or ``service``, as the rules suggest for ``from_kind`` to ``spec.to_kind``
    kind: str = ""

    @property
    def status(self) -> str:
        return self.follow_ups[-1][1] if self.follow_ups else "pending"

    def status_before(self, day: dt.date) -> str:
        """The status as it stood at the start of ``day`` (follow-ups of earlier days)."""
        done = [status for d, status, _stage in self.follow_ups if d < day]
        return done[-1] if done else "pending"

    def ended_on(self) -> dt.date | None:
        """The day it was declined (the demo never withdraws), if it was."""
        return self.follow_ups[-1][0] if self.status in ENDED_STATUSES else None


@dataclass
class Timeline:
    opened: dt.date
    steps: list[Step] = field(default_factory=list)
    referrals: list[ReferralPlan] = field(default_factory=list)
    stage: str = "identification"
    ended: bool = False

    @property
    def decisions(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "decision"]

    def stage_on(self, day: dt.date) -> str:
        stage = STAGE_CODES[0]
        for s in self.steps:
            if s.kind == "stage_advanced" and s.on <= day:
                stage = s.stage
        return stage


@dataclass(frozen=True)
class Assessed:
    """What the timeline needs from the engine's assessment of the case."""

    potential_victim: bool
    outcomes: tuple[str, ...]
    risk_flags: tuple[str, ...]
    victim_status: str | None
    foreign: bool
    age_disputed: bool
    immigration: bool


class _Builder:
    def __init__(self, rng: random.Random, t: Timeline, today: dt.date, a: Assessed) -> None:
        self.rng, self.t, self.today, self.a = rng, t, today, a
        self.day = t.opened

    def later(self, lo: int, hi: int) -> dt.date | None:
        """The day of the next step (after every earlier one), or None if in the future."""
        day = self.day + dt.timedelta(days=between(self.rng, max(lo, 1), max(hi, 1)))
        return day if day <= self.today else None

    def decide(self, code: str, lo: int, hi: int, offence: str = "") -> bool:
        day = self.later(lo, hi)
        if day is None:
            return False
        self.day = day
        self.t.steps.append(
            Step(
                day,
                self.t.stage,
                "decision",
                code,
                offence,
                one(self.rng, REASONS[code]),
                DECIDERS[code],
            )
        )
        if code in FINAL:
            self.t.ended = True
        return True

    def advance(self, lo: int, hi: int) -> bool:
        day = self.later(lo, hi)
        if day is None:
            return False
        self.day = day
        self.t.stage = STAGE_CODES[STAGE_CODES.index(self.t.stage) + 1]
        self.t.steps.append(Step(day, self.t.stage, "stage_advanced", decided_by=STAGE_DECIDER))
        return True

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def timeline(
    rng: random.Random, opened: dt.date, today: dt.date, a: Assessed, main_offence: str
) -> Timeline:
    """The decisions and moves of one case, from first contact until today."""
    t = Timeline(opened)
    b = _Builder(rng, t, today, a)
    late_identification = _identification(b)
    if t.ended or not b.chance(0.82) or not b.advance(2, 25):
        return t
    if not _charging(b, main_offence) or not b.chance(0.9) or not b.advance(7, 45):
        return t
    if late_identification:
        b.decide("identified_as_victim", 3, 40)
    identified = any(s.decision == "identified_as_victim" for s in t.steps)
    keep = 0.35 if identified else 0.68
    if not b.decide(
        "prosecution_continued"
        if b.chance(keep)
        else _pick(rng, {"charge_withdrawn": 35, "prosecution_discontinued": 30, "diverted": 35}),
        10,
        60,
    ):
        return t
    if t.ended or not b.chance(0.92) or not b.advance(20, 90):
        return t
    raised = a.potential_victim and b.chance(0.5)
    if raised and not b.decide("defence_raised", 5, 30):
        return t
    verdict = _pick(rng, {"convicted": 50 if raised else 68, "acquitted": 30 if raised else 18,
                          "case_dismissed": 20 if raised else 14})  # fmt: skip
    if not b.decide(verdict, 20, 120) or t.ended or not b.advance(3, 30):
        return t
    harsh = {"capital_punishment", "corporal_punishment"} & set(a.risk_flags)
    if harsh and b.chance(0.5) and not b.decide("capital_or_corporal_avoided", 7, 30):
        return t
    sentence = _pick(rng, {"sentenced": 45, "sentence_mitigated": 25,
                           "non_custodial_sentence": 20, "discharged": 10})  # fmt: skip
    if not b.decide(sentence, 7, 45) or not b.chance(0.4) or not b.advance(30, 300):
        return t
    if not b.decide("appeal_lodged", 1, 30):
        return t
    b.decide(
        _pick(
            rng,
            {
                "conviction_quashed": 30,
                "record_cleared": 15,
                "pardon_granted": 10,
                "relief_refused": 45,
            },
        ),
        60,
        300,
    )
    return t


def _identification(b: _Builder) -> bool:
    """The first stage's decisions; True if identification is to come only after charge."""
    a = b.a
    if b.chance(0.9):
        b.decide("screened", 0, 3)
    if a.age_disputed and b.chance(0.5):
        b.decide("age_established", 3, 30)
    if a.victim_status == "formal":
        return False
    if not a.potential_victim:
        if b.chance(0.3):
            b.decide("not_identified", 3, 30)
        return False
    if b.chance(0.7) and not b.decide("referred_for_identification", 1, 10):
        return False
    outcome = _pick(b.rng, {"identified_as_victim": 52, "late": 20, "not_identified": 10,
                            "declined_identification": 8, "pending": 10})  # fmt: skip
    if outcome == "late":
        return True
    if outcome != "pending":
        b.decide(outcome, 5, 45)
    return False


def _charging(b: _Builder, main_offence: str) -> bool:
    """Arrest and charge; True if the person was charged."""
    a, rng = b.a, b.rng
    identified = any(s.decision == "identified_as_victim" for s in b.t.steps)
    p_charge = 0.2 if identified else (0.52 if a.potential_victim else 0.8)
    if "statutory_bar" in a.outcomes:
        p_charge *= 0.6
    if "ministerial_permission_required" in a.outcomes and a.potential_victim and b.chance(0.75):
        if not b.decide("ministerial_permission_sought", 1, 10, main_offence):
            return False
        if b.chance(0.6):
            b.decide("ministerial_permission_refused", 10, 60, main_offence)
            return False
        if not b.decide("ministerial_permission_given", 10, 60, main_offence):
            return False
        p_charge = 1.0
    if b.chance(p_charge):
        return b.decide("charged", 1, 15)
    code = _pick(rng, {"not_arrested": 20, "released_without_charge": 40, "not_charged": 40})
    if not b.decide(code, 1, 15):
        return False
    if a.immigration and a.foreign and b.chance(0.5):
        b.decide("detention_avoided", 1, 10)
    return False


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def referrals(
    rng: random.Random,
    t: Timeline,
    today: dt.date,
    available: set[str],
    a: Assessed,
    owner: str,
) -> list[ReferralPlan]:
    """The referrals of a case opened by an organisation of kind ``owner``, each made on its
    occasion (if the case had it) to an organisation of a kind the state has (``available``).

    Each is made as :func:`npp.web.cases.actions.do_refer` would accept it: by the
    organisation responsible for the case that day (:func:`npp.web.access.responsible_among`,
    the rule the actions apply), never to itself nor to the owner, and of the kind the rules
    suggest (a transfer for the next link of the chain). A police case transferred to the
    prosecution is referred to the court by the prosecution, not by the police.

    The occasions are taken in date order, each on a day of its own and not on a day a
    transfer was declined: the loader gives each day's entries a random time, so two on the
    same day could otherwise be written in either order.
    """
    occasions: list[tuple[dt.date, int, ReferralSpec]] = []
    for n, spec in enumerate(REFERRALS):
        if spec.to_kind not in available or rng.random() >= spec.chance:
            continue
        if spec.after == "opened":
            if not (a.potential_victim or "child" in a.risk_flags):
                continue
            base = t.opened
        else:
            hit = [s for s in t.steps if spec.after in {s.decision, s.stage} and s.on]
            if spec.purpose == "repatriation" and not a.foreign:
                continue
            if not hit:
                continue
            base = hit[0].on
        occasions.append((base + dt.timedelta(days=between(rng, 0, 3)), n, spec))
    occasions.sort(key=lambda o: (o[0], o[1]))
    out: list[ReferralPlan] = []
    last: dt.date | None = None
    for on, _n, spec in occasions:
        if last is not None and on <= last:
            on = last + dt.timedelta(days=1)
        ended = {d for r in out if (d := r.ended_on()) is not None}
        while on in ended:
            on += dt.timedelta(days=1)
        if on > today:
            continue
        sender = _holder(owner, out, on)
        if spec.to_kind in {sender, owner} or (spec.by and sender not in spec.by):
            continue
        last = on
        plan = ReferralPlan(
            on=on,
            stage=t.stage_on(on),
            spec=spec,
            due=on + dt.timedelta(days=between(rng, *spec.due_days)),
            share_identity=rng.random() < spec.share_identity,
            note=one(rng, spec.notes),
            from_kind=sender,
            kind=referral_rules().suggested_kind(sender, spec.to_kind),
        )
        day = on
        for status, (lo, hi), p in FOLLOW_UPS:
            if rng.random() >= p:
                break
            if status == "accepted" and rng.random() < DECLINED:
                status = "declined"
            day = day + dt.timedelta(days=between(rng, lo, hi))
            if day > today:
                break
            plan.follow_ups.append((day, status, t.stage_on(day)))
            if status == "declined":
                break
        out.append(plan)
    return out


def _holder(owner: str, made: list[ReferralPlan], day: dt.date) -> str:
    """Who is responsible during ``day``'s decisions and stage moves, and when a referral is
    made that day: the rule of the actions, over the referrals made before that day with
    their status at its start. A day's decisions and stage moves come first, its referrals
    and follow-ups after them (the loader writes their times so)."""
    return responsible_among(
        owner, ((r.kind, r.spec.to_kind, r.status_before(day)) for r in made if r.on < day)
    )


def attribute(t: Timeline, owner: str) -> None:
    """Say who records each decision and stage move (:attr:`Step.by`): the organisation
    responsible for the case that day, as the actions require (a police case transferred to
    the prosecution is moved to trial by the prosecution). Call after :func:`referrals`."""
    for s in t.steps:
        s.by = _holder(owner, t.referrals, s.on)


def assessed(doc: Mapping[str, Any], facts: Mapping[str, Any]) -> Assessed:
    person = facts.get("person") or {}
    cc = facts.get("jurisdiction")
    return Assessed(
        potential_victim=bool(doc["potential_victim"]),
        outcomes=tuple(o["outcome"] for o in doc["offences"]),
        risk_flags=tuple(doc["risk_flags"]),
        victim_status=person.get("victim_status"),
        foreign=person.get("nationality") not in {None, cc},
        age_disputed=bool(person.get("age_disputed")) or person.get("age") is None,
        immigration=any(
            str(o.get("category", "")).startswith(("immigration.", "document."))
            for o in facts.get("offences") or []
        ),
    )
