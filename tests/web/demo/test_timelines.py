"""Timelines are coherent: decisions in stage order with increasing dates, each with a reason
that fits it, a case prosecuted only if charged (and so on), referrals after the case opens and
follow-ups after the referral, nothing after today; every write by the organisation the
actions would let make it (responsibility at that moment). Checked on thousands of generated
timelines (no database) and on every case of a loaded demo, replayed through the actions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest

from npp.web.accounts.models import User
from npp.web.cases.vocab import DECISION_LABELS, DECISIONS, STAGE_CODES
from npp.web.demo import timelines as tl

TODAY = dt.date(2026, 12, 6)
#: What must have been decided before a case can be at a stage (or take a decision).
REQUIRES = {
    "prosecution": "charged",
    "trial": "prosecution_continued",
    "sentencing": "convicted",
    "relief_refused": "appeal_lodged",
    "conviction_quashed": "appeal_lodged",
    "record_cleared": "appeal_lodged",
    "pardon_granted": "appeal_lodged",
    "ministerial_permission_given": "ministerial_permission_sought",
    "ministerial_permission_refused": "ministerial_permission_sought",
}


def check(
    opened: dt.date,
    stage: str,
    steps: Sequence[tuple[dt.date, str, str, str, str]],
) -> None:
    """``steps``: (day, kind, stage, decision, reasons) in timeline order, kind one of
    "decision" and "stage_advanced"."""
    at = opened
    current = STAGE_CODES[0]
    taken: list[str] = []
    last_decision: dt.date | None = None
    for day, kind, st, decision, reasons in steps:
        assert opened <= day <= TODAY or day <= dt.date.today()
        assert day >= at, "dated before the step it follows"
        at = day
        if kind == "stage_advanced":
            assert STAGE_CODES.index(st) == STAGE_CODES.index(current) + 1, "skipped a stage"
            current = st
            if st in REQUIRES:
                assert REQUIRES[st] in taken, f"{st} without {REQUIRES[st]}"
            continue
        assert st == current, "decision recorded at another stage than the case's"
        allowed = {c for c, _l in DECISIONS[st]} | tl.ANY_STAGE
        assert decision in allowed, f"{decision} at {st}"
        assert reasons in tl.REASONS[decision], f"{decision}: {reasons!r}"
        if decision in REQUIRES:
            assert REQUIRES[decision] in taken, f"{decision} without {REQUIRES[decision]}"
        assert last_decision is None or day > last_decision, "decisions on the same day"
        last_decision = day
        if decision not in tl.AFTER_END:
            assert not (set(taken) & tl.FINAL), "a decision after the proceedings ended"
        taken.append(decision)
    assert current == stage


OUTCOMES = ["statutory_bar", "ministerial_permission_required", "conditional", "no_link"]


def _assessed(rng: random.Random) -> tl.Assessed:
    return tl.Assessed(
        potential_victim=rng.random() < 0.6,
        outcomes=tuple(
            rng.sample(
                ["statutory_bar", "ministerial_permission_required", "conditional", "no_link"],
                k=rng.randint(1, 2),
            )
        ),
        risk_flags=tuple(rng.sample(["child", "capital_punishment", "cross_border"], k=1)),
        victim_status=rng.choice(["potential", "formal", "none", None]),
        foreign=rng.random() < 0.5,
        age_disputed=rng.random() < 0.3,
        immigration=rng.random() < 0.5,
    )


def test_generated_timelines_are_coherent() -> None:
    rng = random.Random(7)
    stages = set()
    for _ in range(5000):
        opened = TODAY - dt.timedelta(days=rng.randint(0, 1100))
        a = _assessed(rng)
        t = tl.timeline(rng, opened, TODAY, a, "prostitution")
        check(
            opened,
            t.stage,
            [(s.on, s.kind, s.stage, s.decision, s.reasons) for s in t.steps],
        )
        stages.add(t.stage)
        for r in tl.referrals(
            rng, t, TODAY, {"ngo", "police", "prosecution", "court"}, a, "police"
        ):
            assert opened <= r.on <= TODAY and r.due > r.on
            days = [d for d, _s, _st in r.follow_ups]
            assert days == sorted(days) and all(d > r.on for d in days)
            assert all(d <= TODAY for d in days)
            assert r.stage == t.stage_on(r.on)
    assert stages == set(STAGE_CODES)


def _responsible(owner: Any, earlier: Sequence[tuple[str, Any, bool]]) -> Any:
    """The rule of docs/referrals.md, restated here rather than imported: the receiver of the
    latest transfer still in force, else the owner. ``earlier``: (kind, receiver, ended)."""
    holder = owner
    for kind, receiver, ended in earlier:
        if kind == "transfer" and not ended:
            holder = receiver
    return holder


KINDS = ("police", "immigration", "labour_inspectorate", "prosecution", "defence", "court", "ngo")


def test_generated_referrals_and_steps_are_by_the_responsible_organisation() -> None:
    """Each referral is made by the organisation responsible for the case that day, to
    another organisation than itself and the owner, of the kind the rules suggest: the
    referrals :func:`npp.web.cases.actions.do_refer` would accept, in the order made. A police
    case transferred to the prosecution reaches the court from the prosecution. Each decision
    and stage move is recorded by the organisation responsible that day."""
    from npp.web.cases.referral_rules import rules

    rng = random.Random(11)
    seen: dict[tuple[str, str, str], int] = {}
    after_decline = moved = 0
    for _ in range(5000):
        opened = TODAY - dt.timedelta(days=rng.randint(0, 1100))
        a = _assessed(rng)
        owner = rng.choice(["police", "police", "immigration", "labour_inspectorate", "ngo"])
        available = {k for k in KINDS if k == owner or rng.random() < 0.85}
        t = tl.timeline(rng, opened, TODAY, a, "prostitution")
        made = tl.referrals(rng, t, TODAY, available, a, owner)
        t.referrals = made
        tl.attribute(t, owner)
        for step in t.steps:  # recorded by the holder that day, before the day's referrals
            assert step.by == _responsible(
                owner,
                [
                    (e.kind, e.spec.to_kind, (d := e.ended_on()) is not None and d < step.on)
                    for e in made
                    if e.on < step.on
                ],
            )
            moved += step.by != owner
        for n, r in enumerate(made):
            earlier = made[:n]
            assert all(e.on < r.on for e in earlier), "two referrals on a day, or out of order"
            ended = [e.ended_on() for e in earlier]
            assert r.on not in ended, "made on the day a transfer was declined"
            holder = _responsible(
                owner,
                [
                    (e.kind, e.spec.to_kind, d is not None and d < r.on)
                    for e, d in zip(earlier, ended, strict=True)
                ],
            )
            assert r.from_kind == holder, f"{r.spec.purpose} by {r.from_kind}, not {holder}"
            assert r.spec.to_kind in available and r.spec.to_kind not in {holder, owner}
            assert r.kind == rules().suggested_kind(r.from_kind, r.spec.to_kind)
            assert not r.spec.by or r.from_kind in r.spec.by
            assert r.stage == t.stage_on(r.on)
            seen[(r.from_kind, r.spec.to_kind, r.kind)] = 1 + seen.get(
                (r.from_kind, r.spec.to_kind, r.kind), 0
            )
            if owner == "police" and r.spec.to_kind == "court":
                assert r.from_kind == "prosecution" and r.kind == "transfer"
            declined = [e for e, d in zip(earlier, ended, strict=True) if d and d < r.on]
            after_decline += any(e.kind == "transfer" for e in declined)
    # the chain is walked (police -> prosecution -> court), and service referrals are made
    # both by the owner and by the organisation a case was transferred to
    assert seen[("police", "prosecution", "transfer")] > 100
    assert seen[("prosecution", "court", "transfer")] > 100
    assert seen[("police", "ngo", "service")] > 100
    assert seen[("prosecution", "defence", "service")] > 100
    assert seen[("immigration", "prosecution", "service")] > 10
    # a declined transfer gives the case back to its sender, who makes the later referrals
    assert after_decline > 0
    assert moved > 1000  # decisions and stage moves recorded by the organisation transferred to


def test_every_decision_has_reasons_and_a_decider() -> None:
    assert set(tl.REASONS) == set(DECISION_LABELS)
    assert set(tl.DECIDERS) == set(DECISION_LABELS)
    refusals = tl.REASONS["relief_refused"]
    assert all(r.startswith("Relief refused") for r in refusals)
    assert not any("direct consequence" in r for r in refusals)
    for spec in tl.REFERRALS:
        assert spec.after in {"opened", *DECISION_LABELS, *STAGE_CODES}


@pytest.mark.django_db
def test_every_case_of_a_loaded_demo_has_a_coherent_timeline(settings: Any) -> None:
    from npp.web import demo
    from npp.web.cases.models import Case, CaseEvent, Referral

    settings.DEMO = True
    demo.load(300)
    events: dict[int, list[Any]] = {}
    for e in CaseEvent.objects.order_by("recorded_at", "pk"):
        events.setdefault(e.case_id, []).append(e)
    referrals: dict[int, list[Any]] = {}
    for r in Referral.objects.all():
        referrals.setdefault(r.case_id, []).append(r)
    today = dt.date.today()
    for case in Case.objects.all():
        evs = events[case.pk]
        opened = case.created_at.date()
        assert evs[0].kind == "opened" and evs[0].occurred_on == opened
        assert all(e.occurred_on <= today for e in evs)
        check(
            opened,
            case.stage,
            [
                (e.occurred_on, e.kind, e.stage, e.decision, e.reasons)
                for e in evs
                if e.kind in {"decision", "stage_advanced"}
            ],
        )
        made = [e for e in evs if e.kind == "referral"]
        assert len(made) == len(referrals.get(case.pk, []))
        for r in referrals.get(case.pk, []):
            assert r.created_at >= case.created_at and r.due_date > r.created_at.date()
            assert r.to_org.jurisdiction == case.jurisdiction
            assert r.to_org_id != case.organisation_id
        for e in evs:
            if e.kind == "referral_update":
                first = min(r.created_at for r in referrals[case.pk])
                assert e.recorded_at > first
        assert case.updated_at == max(e.recorded_at for e in evs)


@pytest.mark.django_db
def test_every_write_of_a_loaded_demo_is_one_the_actions_accept(settings: Any) -> None:
    """On a loaded demo, every referral was made by the organisation responsible for the
    case at that moment (transfers made before it and not yet declined), by one of its users,
    of the kind the rules suggest; every decision and stage move was recorded by a user of the
    organisation responsible then. And replaying the cases' histories through the real
    actions (:func:`do_refer` with the kind left to the rules, :func:`do_update_referral`,
    :func:`do_record_decision`, :func:`do_advance_stage`), each write by the demo's user, is
    accepted, gives the same kinds and leaves the same organisation responsible."""
    from npp.web import demo
    from npp.web.access import responsible_organisation_id
    from npp.web.cases import actions
    from npp.web.cases.models import Case, CaseEvent, Referral
    from npp.web.cases.referral_rules import rules

    settings.DEMO = True
    demo.load(300)
    by_case: dict[int, list[Any]] = {}
    for r in Referral.objects.select_related("from_org", "to_org", "created_by").order_by(
        "created_at", "pk"
    ):
        by_case.setdefault(r.case_id, []).append(r)
    steps: dict[int, list[Any]] = {}
    for e in CaseEvent.objects.filter(kind__in=["decision", "stage_advanced"]).select_related(
        "recorded_by"
    ):
        steps.setdefault(e.case_id, []).append(e)
    cases = {c.pk: c for c in Case.objects.select_related("organisation")}

    def holder(case: Any, made: list[Any], when: Any) -> Any:
        return _responsible(
            case.organisation_id,
            [
                (e.kind, e.to_org_id, e.status in {"declined", "withdrawn"}
                 and e.updated_at < when)
                for e in made
                if e.created_at < when
            ],
        )  # fmt: skip

    kinds: dict[str, int] = {}
    for cid, made in by_case.items():
        case = cases[cid]
        for n, r in enumerate(made):
            assert all(e.created_at < r.created_at for e in made[:n])
            assert r.from_org_id == holder(case, made, r.created_at), (case.reference, r.purpose)
            assert r.created_by.organisation_id == r.from_org_id
            assert r.to_org_id not in {r.from_org_id, case.organisation_id}
            assert r.kind == rules().suggested_kind(r.from_org.kind, r.to_org.kind)
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
    assert kinds["transfer"] > 20 and kinds["service"] > 20
    others = 0
    for cid, events in steps.items():
        case = cases[cid]
        for e in events:
            expected = holder(case, by_case.get(cid, []), e.recorded_at)
            assert e.recorded_by.organisation_id == expected, (case.reference, e.decision)
            others += expected != case.organisation_id
    assert others > 20  # decisions of transferred cases, by their new holder

    # Replay through the actions the cases with a transfer (and so a second organisation).
    replayed = 0
    for cid, made in by_case.items():
        if not any(r.kind == "transfer" for r in made):
            continue
        case = cases[cid]
        copy = actions.do_create_case(case.created_by, dict(case.facts, stage="identification"))
        history = [(r.created_at, "refer", r) for r in made]
        history += [(r.updated_at, "decline", r) for r in made if r.status == "declined"]
        history += [(e.recorded_at, e.kind, e) for e in steps.get(cid, [])]
        new: dict[int, Any] = {}
        for _at, what, x in sorted(history, key=lambda h: h[0]):
            copy.refresh_from_db()
            if what == "refer":
                new[x.pk] = actions.do_refer(
                    x.created_by, copy, x.to_org, x.purpose, x.due_date, copy.version
                )
                assert new[x.pk].kind == x.kind
            elif what == "decline":
                n = new[x.pk]
                member = User.objects.filter(organisation=x.to_org).first()
                actions.do_update_referral(member, n, "declined", n.version)
            elif what == "stage_advanced":
                actions.do_advance_stage(
                    x.recorded_by, copy, x.stage, copy.version, decided_by=x.decided_by
                )
            else:
                actions.do_record_decision(
                    x.recorded_by,
                    copy,
                    x.decision,
                    copy.version,
                    decided_by=x.decided_by,
                    offence=x.offence,
                    occurred_on=x.occurred_on,
                    stage=x.stage,
                )
        copy.refresh_from_db()
        assert copy.stage == case.stage
        assert responsible_organisation_id(copy) == responsible_organisation_id(case)
        replayed += 1
    assert replayed > 20
