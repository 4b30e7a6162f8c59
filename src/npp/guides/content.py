"""What a pocket guide says, as data (rendered by :mod:`npp.guides.render`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from npp.law.knowledge import KnowledgeBase, section_label

ACTIP_14_7 = "asean.actip.art14-7"


def _mark(verified: bool | None) -> str:
    return "verified against the official text" if verified else "not verified"


def _provision(kb: KnowledgeBase, cc: str, day: dt.date) -> list[dict[str, Any]]:
    out = []
    for ins, p in kb.non_punishment_provisions(cc, day):
        np = p.non_punishment
        assert np is not None
        offences = (
            ["all offences"]
            if np.offences == "all"
            else [kb.offences[o].label if o in kb.offences else o for o in np.offences]
        )
        out.append(
            {
                "id": p.id,
                "role": np.role,
                "instrument": ins.title,
                "section": section_label(ins, p),
                "text": p.text,
                "text_status": p.text_status.value,
                "original_text": p.original_text,
                "verified": p.evidence.verified,
                "mark": _mark(p.evidence.verified),
                "model": kb.vocabulary.provision_models.get(np.model.value, np.model.value),
                "offences": offences,
                "victims": np.victims,
                "stages": [kb.vocabulary.stages.get(s, s) for s in np.stages],
                "decides": np.decides,
                "discretionary": np.discretionary,
                "link_test": np.link_test,
                "questions": list(np.human_judgement),
            }
        )
    return out


def _questions(cc: str, stage: str, day: dt.date, commonly: list[str]) -> list[str]:
    """The engine's own questions for unknown facts, for a potential victim at this stage."""
    from npp import engine

    seen: dict[str, str] = {}
    for status in (None, "potential"):
        facts = {
            "jurisdiction": cc,
            "stage": stage,
            "offence_date": day.isoformat(),
            "person": {"victim_status": status},
            "offences": [{"category": c} for c in commonly[:4] or ["other"]],
        }
        doc = engine().assess_data(facts).document
        for q in doc["questions"]:
            seen.setdefault(q["field"], q["question"])
    return list(seen.values())


def guide(kb: KnowledgeBase, cc: str, stage: str, day: dt.date | None = None) -> dict[str, Any]:
    """The pocket guide for state ``cc`` at ``stage``, for the law in force on ``day``."""
    day = day or dt.date.today()
    if cc not in kb.vocabulary.jurisdictions:
        raise KeyError(cc)
    if stage not in kb.vocabulary.stages:
        raise KeyError(stage)
    prof = kb.profiles.get(cc)
    provisions = _provision(kb, cc, day)
    actions = [
        {"number": r.number, "title": r.title, "action": r.case_action}
        for r in kb.recommendations_for(stage)
        if r.case_action
    ]
    commonly = list(prof.commonly_charged) if prof else []
    referral = []
    if prof:
        for f in prof.identification:
            referral.append(
                {
                    "text": f.text,
                    "where": " ".join(
                        x for x in (f.instrument or "", f"s. {f.section}" if f.section else "") if x
                    ),
                    "verified": f.evidence.verified,
                    "mark": _mark(f.evidence.verified),
                }
            )
    defences = []
    if prof:
        for d in prof.general_defences:
            defences.append(
                {
                    "kind": d.kind,
                    "where": f"{d.instrument}"
                    + (f", s. {d.section}" if d.section else ", section not verified"),
                    "text": d.text,
                    "limits": d.limits,
                    "mark": _mark(d.evidence.verified),
                }
            )
    severe = []
    if prof:
        dp = prof.death_penalty
        if dp.in_law:
            applied = " and applied for drug offences" if dp.applied_for_drugs else ""
            severe.append(f"Death penalty in law{applied}: {dp.detail}")
        severe.append(f"Corporal punishment: {prof.corporal_punishment.text}")
    actip = kb.cite(ACTIP_14_7) if kb.can_cite(ACTIP_14_7) else None
    return {
        "jurisdiction": cc,
        "name": kb.vocabulary.jurisdictions[cc],
        "stage": stage,
        "stage_label": kb.vocabulary.stages[stage],
        "law_date": day.isoformat(),
        "summary": prof.summary if prof else "",
        "provisions": provisions,
        "commonly_charged": [kb.offences[c].label if c in kb.offences else c for c in commonly],
        "questions": [q for p in provisions for q in p["questions"]]
        + _questions(cc, stage, day, commonly),
        "actions": actions,
        "referral": referral,
        "defences": defences,
        "severe": severe,
        "actip": {"label": actip.label(), "text": actip.text} if actip else None,
        "age": (
            {
                "age": prof.age_of_criminal_responsibility.age,
                "detail": prof.age_of_criminal_responsibility.detail,
                "mark": _mark(prof.age_of_criminal_responsibility.evidence.verified),
            }
            if prof
            else None
        ),
        "disclaimer": "This guide supports decisions; it does not make them. Facts marked "
        "'not verified' have not been checked against the official text of the law. Check the "
        "current official text and seek legal advice.",
    }
