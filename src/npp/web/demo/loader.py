"""Write the demo in bulk: thousands of cases in seconds, in one transaction.

The demo's cases are what :mod:`npp.web.cases.actions` would have written had practitioners
recorded them one write at a time — the same rows (case, person, assessments, offences,
timeline, referrals and their follow-ups), every case assessed by the real engine — but
written in bulk (:mod:`npp.web.fastinsert`: ``executemany``, no model instance per row), in
the caller's transaction:

- identical facts are assessed once (the profiles of :mod:`.distributions` repeat);
- each distinct value is encrypted once and its ciphertext stored wherever it occurs
  (:class:`npp.web.crypto.Ciphertext`): synthetic data has nothing to hide by varying it;
- a case keeps one assessment, at its current stage (the real engine's, on the case's facts at
  that stage); the re-assessments of the stages before it are not stored: they differ only
  in the stage's actions, and each document is ~10 KB compressed (20,000 cases: ~250 MB);
- the audit chain gets one entry per case (what was created, with its counts), appended in
  one go (:func:`npp.web.audit.log.record_many`), and still verifies;
- the statistics read model is computed once, at the end, by the same code as
  ``npp monitor rebuild`` (:func:`npp.web.monitoring.facts.write_rows`), from the rows in
  memory rather than read back and decrypted.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

import npp
from npp.web.accounts.models import Organisation, User
from npp.web.audit.log import Pending, record_many
from npp.web.audit.models import Event
from npp.web.cases.models import (
    ALPHABET,
    Assessment,
    Case,
    CaseEvent,
    CaseOffence,
    Person,
    Referral,
)
from npp.web.cases.vocab import EventKind
from npp.web.crypto import Ciphertext, seal, seal_json
from npp.web.demo import distributions as dist
from npp.web.demo import timelines as tl
from npp.web.demo.distributions import between, one
from npp.web.demo.organisations import NAMES, STATES, org_code
from npp.web.fastinsert import insert, next_id, reset_sequences
from npp.web.monitoring.facts import Loaded

#: A case to write: its facts at first contact, their assessment, its timeline, its recorder.
Plan = tuple[dict[str, Any], dict[str, Any], tl.Timeline, User]
#: Which kind of organisation records a case, by the offence the person was found committing.
OWNER_KINDS: dict[str, dict[str, float]] = {
    "fishing.iuu": {"police": 4, "labour_inspectorate": 4, "immigration": 2},
    "labour.work_without_permit": {"police": 4, "labour_inspectorate": 4, "immigration": 2},
    "immigration.unlawful_stay": {"immigration": 6, "police": 3, "ngo": 1},
    "immigration.illegal_exit": {"police": 6, "immigration": 4},
}
DEFAULT_OWNERS = {"police": 8, "immigration": 1, "ngo": 1}


class Sealer:
    """Encrypt each distinct value once."""

    def __init__(self) -> None:
        self.text: dict[str, Ciphertext] = {}
        self.json: dict[int, Ciphertext] = {}

    def __call__(self, value: str) -> Ciphertext:
        hit = self.text.get(value)
        if hit is None:
            hit = self.text[value] = seal(value)
        return hit

    def of_json(self, key: int, value: Any) -> Ciphertext:
        """``value``'s ciphertext; ``key`` is ``id(value)`` (the caller keeps ``value``)."""
        hit = self.json.get(key)
        if hit is None:
            hit = self.json[key] = seal_json(value)
        return hit


@dataclass
class Assessor:
    """The real engine, once per distinct facts: a profile (one dict, shared by many cases)
    at one stage."""

    def __post_init__(self) -> None:
        self.cache: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]] = {}

    def __call__(
        self, profile: dict[str, Any], stage: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The facts of ``profile`` at ``stage``, and their assessment."""
        key = (id(profile), stage)
        hit = self.cache.get(key)
        if hit is None:
            facts = profile if profile["stage"] == stage else {**profile, "stage": stage}
            hit = self.cache[key] = (facts, npp.engine().assess_data(facts).document)
        return hit


def _at(day: dt.date, rng: random.Random, start: dt.time | None = None) -> dt.datetime:
    """A working-hours moment of ``day`` (07:00-19:59 in the server's time zone), or of its
    morning (``MORNING``: the day's decisions and stage moves) or afternoon (``AFTERNOON``:
    its referrals and their follow-ups), so that the entries of one day are written in the
    order the generator decided who was responsible (:func:`npp.web.demo.timelines._holder`).
    """
    begin, minutes = (SEVEN, 780) if start is None else (start, 360 if start == SEVEN else 420)
    moment = dt.datetime.combine(day, begin, tzinfo=_tz())
    return moment + dt.timedelta(minutes=int(rng.random() * minutes))


SEVEN = dt.time(7)
MORNING, AFTERNOON = SEVEN, dt.time(13)
_TZ: list[dt.tzinfo] = []


def _tz() -> dt.tzinfo:
    if not _TZ:
        _TZ.append(timezone.get_current_timezone())
    return _TZ[0]


def _reference(cc: str) -> str:
    """A case reference as :func:`npp.web.cases.models.new_reference` makes, from one call for
    randomness instead of eight (32 symbols: each byte maps to one without bias)."""
    return f"{cc}-" + "".join(ALPHABET[b % 32] for b in os.urandom(8))


def _person(
    rng: random.Random, nationality: str | None, age: int | None, opened: dt.date, sealer: Sealer
) -> dict[str, Ciphertext]:
    given, family = NAMES.get(nationality or "", NAMES["TH"])
    g, f = one(rng, given), one(rng, family)
    dob = ""
    if age is not None and rng.random() < 0.6:
        born = opened - dt.timedelta(days=365 * age + between(rng, 0, 364))
        dob = born.isoformat()
    values = {
        "full_name": f"{g} {f}",
        "aliases": one(rng, ["", "", "", g[:3]]),
        "date_of_birth": dob,
        "document_numbers": one(rng, ["", "", f"P{between(rng, 1000000, 9999999)}"]),
        "contact": one(rng, ["", "", "via the shelter"]),
    }
    return {k: sealer(v) for k, v in values.items()}


def load_cases(
    n_cases: int,
    rng: random.Random,
    orgs: dict[str, Organisation],
    writers: dict[str, User],
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Generate, assess and write ``n_cases`` cases (inside the caller's transaction)."""
    say = progress or (lambda _m: None)
    kb = npp.engine().kb
    today = timezone.localdate()
    sealer = Sealer()
    assess = Assessor()
    known = frozenset(kb.vocabulary.offence_categories)
    pool = dist.profile_pool(rng, n_cases, today, known, frozenset(kb.indicators))
    kinds_in = {cc: {o.kind for o in orgs.values() if o.jurisdiction == cc} for cc in STATES}
    references: set[str] = set()
    cases: list[Case] = []
    plans: list[Plan] = []
    for cc in dist.states_for(rng, n_cases):
        facts = one(rng, pool[cc])
        doc = assess(facts, "identification")[1]
        main = facts["offences"][0]["category"]
        owners = {
            k: w for k, w in OWNER_KINDS.get(main, DEFAULT_OWNERS).items() if k in kinds_in[cc]
        } or {"police": 1}
        writer = writers[org_code(cc, dist.pick(rng, owners))]
        offence_day = dt.date.fromisoformat(facts["offence_date"])
        opened = min(today, offence_day + dt.timedelta(days=between(rng, 0, 45)))
        a = tl.assessed(doc, facts)
        t = tl.timeline(rng, opened, today, a, main)
        # Referrals draw from a generator of their own (one draw here), so that a change to
        # how referrals are made does not reshuffle every later case of a seeded demo.
        own = random.Random(rng.getrandbits(64))
        t.referrals = tl.referrals(own, t, today, kinds_in[cc], a, writer.organisation.kind)
        tl.attribute(t, writer.organisation.kind)
        ref = _reference(cc)
        while ref in references:
            ref = _reference(cc)
        references.add(ref)
        created = _at(opened, rng)
        cases.append(
            Case(
                facts=facts,
                reference=ref,
                organisation_id=writer.organisation_id,
                created_by_id=writer.pk,
                created_at=created,
                updated_at=created,
                jurisdiction=cc,
                province=one(rng, STATES[cc]["provinces"]),
                stage=t.stage,
                potential_victim=bool(doc["potential_victim"]),
                child="child" in doc["risk_flags"],
                risk_flags=list(doc["risk_flags"]),
                closed=t.ended and (today - (t.steps[-1].on if t.steps else opened)).days > 90,
            )
        )
        plans.append((facts, doc, t, writer))
    say(f"planned {len(cases)} cases ({len(assess.cache)} distinct facts)")
    return _write(rng, cases, plans, orgs, writers, sealer, assess)


#: Columns written for each table (attnames), in the order of the tuples built below.
PERSON = ("case_id", *Person.FIELDS)
ASSESSMENT = (
    "case_id",
    "number",
    "created_at",
    "created_by_id",
    "reason",
    "law_date",
    "facts",
    "document",
)
OFFENCE = ("case_id", "position", "category", "outcome")
EVENT = (
    "case_id",
    "kind",
    "stage",
    "decision",
    "offence",
    "decided_by",
    "reasons",
    "occurred_on",
    "recorded_by_id",
    "recorded_at",
)
REFERRAL = (
    "case_id",
    "from_org_id",
    "to_org_id",
    "purpose",
    "kind",
    "due_date",
    "status",
    "share_identity",
    "note",
    "created_by_id",
    "created_at",
    "updated_at",
    "version",
)


def _write(
    rng: random.Random,
    cases: list[Case],
    plans: list[Plan],
    orgs: dict[str, Organisation],
    writers: dict[str, User],
    sealer: Sealer,
    assess: Assessor,
) -> dict[str, int]:
    people: list[tuple[Any, ...]] = []
    assessments: list[tuple[Any, ...]] = []
    offences: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    referrals: list[tuple[Any, ...]] = []
    audit: list[Pending] = []
    stored_facts: list[Ciphertext] = []
    loaded: list[Loaded] = []
    empty = sealer("")
    first_id = next_id(Case)
    for n, (case, (facts, _doc, t, writer)) in enumerate(zip(cases, plans, strict=True)):
        cid = case.pk = first_id + n
        current, latest = assess(facts, t.stage)
        sealed = sealer.of_json(id(current), current)
        last = case.created_at
        person = facts["person"]
        names = _person(rng, person["nationality"], person["age"], t.opened, sealer)
        people.append((cid, *(names[f] for f in Person.FIELDS)))
        moved = [s for s in t.steps if s.kind == "stage_advanced"]
        by = {s.by: writers[org_code(case.jurisdiction, s.by)].pk for s in t.steps}
        assessments.append(
            (
                cid,
                1,
                _at(moved[-1].on, rng, MORNING) if moved else case.created_at,
                by[moved[-1].by] if moved else writer.pk,
                "stage_advanced" if moved else "created",
                dt.date.fromisoformat(latest["law_date"]),
                sealed,
                sealer.of_json(id(latest), latest),
            )
        )
        case.facts = current
        stored_facts.append(sealed)
        offences += [
            (cid, i, o["category"], o["outcome"]) for i, o in enumerate(latest["offences"])
        ]
        events.append(
            (
                cid,
                EventKind.OPENED,
                "identification",
                "",
                "",
                "",
                empty,
                t.opened,
                writer.pk,
                case.created_at,
            )
        )
        previous_stage = "identification"
        mine = Loaded(offences=[(o["category"], o["outcome"]) for o in latest["offences"]])
        for s in t.steps:
            at = _at(s.on, rng, MORNING)
            last = max(last, at)
            if s.kind == "stage_advanced":
                events.append(
                    (
                        cid,
                        EventKind.STAGE_ADVANCED,
                        s.stage,
                        previous_stage,
                        "",
                        s.decided_by,
                        empty,
                        s.on,
                        by[s.by],
                        at,
                    )
                )
                previous_stage = s.stage
            else:
                events.append(
                    (
                        cid,
                        EventKind.DECISION,
                        s.stage,
                        s.decision,
                        s.offence,
                        s.decided_by,
                        sealer(s.reasons),
                        s.on,
                        by[s.by],
                        at,
                    )
                )
                mine.events.append((s.on, s.stage, s.decision, s.offence))
        for r in t.referrals:
            to_org = orgs[org_code(case.jurisdiction, r.spec.to_kind)]
            sender = writers[org_code(case.jurisdiction, r.from_kind)]
            at = max(_at(r.on, rng, AFTERNOON), case.created_at + dt.timedelta(minutes=5))
            follow = [
                (_at(day, rng, AFTERNOON), status, stage) for day, status, stage in r.follow_ups
            ]
            member = writers[to_org.code]
            referrals.append(
                (
                    cid,
                    sender.organisation_id,
                    to_org.pk,
                    r.spec.purpose,
                    r.kind,
                    r.due,
                    r.status,
                    r.share_identity,
                    sealer(r.note),
                    sender.pk,
                    at,
                    follow[-1][0] if follow else at,
                    1 + len(follow),
                )
            )
            events.append(
                (
                    cid,
                    EventKind.REFERRAL,
                    r.stage,
                    r.spec.purpose,
                    "",
                    to_org.name[:200],
                    empty,
                    r.on,
                    sender.pk,
                    at,
                )
            )
            events += [
                (
                    cid,
                    EventKind.REFERRAL_UPDATE,
                    stage,
                    status,
                    "",
                    to_org.name[:200],
                    empty,
                    f_at.date(),
                    member.pk,
                    f_at,
                )
                for f_at, status, stage in follow
            ]
            mine.referrals.append((r.status, r.due))
            last = max([last, at, *(f[0] for f in follow)])
        case.version = 1 + len(t.steps) + len(t.referrals)
        case.updated_at = last
        loaded.append(mine)
        audit.append(
            Pending(
                Event.CASE_CREATED,
                actor=writer.username,
                organisation=writer.organisation.code if writer.organisation else "",
                target_type="case",
                target=case.reference,
                details={
                    "stage": t.stage,
                    "offences": len(facts["offences"]),
                    "decisions": len(t.decisions),
                    "referrals": len(t.referrals),
                    "synthetic": True,
                },
            )
        )
    columns = [f.attname for f in Case._meta.concrete_fields]
    at_facts = columns.index("facts")
    insert(
        Case,
        columns,
        (
            [sealed if i == at_facts else getattr(c, a) for i, a in enumerate(columns)]
            for c, sealed in zip(cases, stored_facts, strict=True)
        ),
    )
    reset_sequences(Case)
    insert(Person, PERSON, people)
    insert(Assessment, ASSESSMENT, assessments)
    insert(CaseOffence, OFFENCE, offences)
    insert(CaseEvent, EVENT, events)
    insert(Referral, REFERRAL, referrals)
    record_many(audit)
    from npp.web.monitoring.facts import write_rows

    write_rows(
        (c, None, mine, t.opened if c.potential_victim else None)
        for c, mine, (_f, _d, t, _w) in zip(cases, loaded, plans, strict=True)
    )
    return {
        "cases": len(cases),
        "assessments": len(assessments),
        "events": len(events),
        "referrals": len(referrals),
        "distinct_facts": len(assess.cache),
    }
