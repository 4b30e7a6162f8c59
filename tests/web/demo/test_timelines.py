"""Timelines are coherent: decisions in stage order with increasing dates, each with a reason
that fits it, a case prosecuted only if charged (and so on), referrals after the case opens and
follow-ups after the referral, nothing after today. Checked on thousands of generated
timelines (no database) and on every case of a loaded demo."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest

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
        for r in tl.referrals(rng, t, TODAY, {"ngo", "police", "prosecution", "court"}, a):
            assert opened <= r.on <= TODAY and r.due > r.on
            days = [d for d, _s, _st in r.follow_ups]
            assert days == sorted(days) and all(d > r.on for d in days)
            assert all(d <= TODAY for d in days)
            assert r.stage == t.stage_on(r.on)
    assert stages == set(STAGE_CODES)


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
