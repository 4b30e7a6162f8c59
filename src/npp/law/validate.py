"""Checks that span files: codes exist, citations resolve, every state is covered.

A single file can be valid on its own and still wrong for the base (a provision covering an
offence code that the vocabulary does not have; a source id nobody defined). These checks
run on every load, so ``npp law check`` and every other command agree on what is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from npp.errors import Problem
from npp.law.model import EXEMPTION_SLOTS, Evidence

if TYPE_CHECKING:
    from npp.law.knowledge import KnowledgeBase


def _evidence_problems(kb: KnowledgeBase, ev: Evidence, where: str) -> Iterator[Problem]:
    for s in ev.sources:
        if s not in kb.sources:
            yield Problem(
                where, f"evidence.sources → unknown source id {s!r} (define it in sources/)"
            )


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    """Every problem that needs more than one file to see."""
    v = kb.vocabulary
    out: list[Problem] = list(kb.duplicate_ids)
    offence_codes = set(v.offence_categories)
    stages = set(v.stages)

    def codes(where: str, key: str, values: object, allowed: set[str]) -> None:
        if isinstance(values, list):
            for c in values:
                if c not in allowed:
                    out.append(Problem(where, f"{key} → unknown code {c!r}"))

    for iid, ins in kb.instruments.items():
        where = kb.files.get(iid, iid)
        out.extend(_evidence_problems(kb, ins.evidence, where))
        if ins.jurisdiction is not None and ins.jurisdiction not in v.jurisdictions:
            out.append(Problem(where, f"jurisdiction → unknown code {ins.jurisdiction!r}"))
        for ref in [*ins.replaces, *([ins.replaced_by] if ins.replaced_by else [])]:
            if ref not in kb.instruments:
                out.append(Problem(where, f"replaces/replaced_by → unknown instrument {ref!r}"))
        for n, h in enumerate(ins.history):
            out.extend(_evidence_problems(kb, h.evidence, f"{where} → history[{n}]"))
        for n, p in enumerate(ins.provisions):
            pw = f"{where} → provisions[{n}] ({p.id})"
            out.extend(_evidence_problems(kb, p.evidence, pw))
            np = p.non_punishment
            if np is None:
                continue
            if ins.level != "domestic":
                out.append(Problem(pw, "non_punishment blocks are for domestic law only"))
            out.extend(_evidence_problems(kb, np.evidence, pw + " → non_punishment"))
            codes(pw, "non_punishment.offences", np.offences, offence_codes)
            codes(pw, "non_punishment.stages", np.stages, stages)
            if np.model.value not in v.provision_models:
                out.append(Problem(pw, f"non_punishment.model → unknown model {np.model!r}"))

    for cc in v.jurisdictions:
        if cc not in kb.profiles:
            out.append(Problem(f"knowledge/domestic/{cc.lower()}/profile.yaml", "missing"))
    for cc, pr in kb.profiles.items():
        where = kb.files.get(cc, cc)
        if cc not in v.jurisdictions:
            out.append(Problem(where, f"jurisdiction → unknown code {cc!r}"))
        codes(where, "commonly_charged", pr.commonly_charged, offence_codes)
        for n, pen in enumerate(pr.penalties):
            codes(where, f"penalties[{n}].offence", [pen.offence, *pen.also], offence_codes)
            out.extend(_evidence_problems(kb, pen.evidence, f"{where} → penalties[{n}]"))
        for n, x in enumerate(pr.penalty_exemptions):
            xw = f"{where} → penalty_exemptions[{n}] ({x.id})"
            codes(xw, "offences", x.offences, offence_codes)
            codes(xw, "except_offences", x.except_offences, offence_codes)
            out.extend(_evidence_problems(kb, x.evidence, xw))
        facts = [
            pr.age_of_criminal_responsibility.evidence,
            pr.death_penalty.evidence,
            pr.corporal_punishment.evidence,
            pr.post_conviction_relief.evidence,
            *(d.evidence for d in pr.general_defences),
            *(f.evidence for f in pr.identification),
            *(f.evidence for f in pr.practice),
        ]
        for ev in facts:
            out.extend(_evidence_problems(kb, ev, where))

    out.extend(exemption_slot_problems(kb))
    missing = offence_codes - set(kb.offences)
    for code in sorted(missing):
        out.append(Problem("knowledge/offences.yaml", f"categories → code {code!r} is missing"))
    for code, off in kb.offences.items():
        if code not in offence_codes:
            out.append(Problem("knowledge/offences.yaml", f"categories → unknown code {code!r}"))
        elif off.typology != v.offence_categories[code]:
            out.append(
                Problem(
                    "knowledge/offences.yaml",
                    f"categories → {code}: typology {off.typology!r} differs from the "
                    f"vocabulary's {v.offence_categories[code]!r}",
                )
            )
        out.extend(_evidence_problems(kb, off.evidence, "knowledge/offences.yaml"))

    numbers = sorted(kb.recommendations)
    if numbers != list(range(1, 27)):
        out.append(Problem("knowledge/recommendations.yaml", "must number 1 to 26 exactly once"))
    for r in kb.recommendations.values():
        if r.stage not in stages:
            out.append(
                Problem(
                    "knowledge/recommendations.yaml", f"[{r.number}].stage → unknown {r.stage!r}"
                )
            )
        out.extend(_evidence_problems(kb, r.evidence, "knowledge/recommendations.yaml"))

    for ag in kb.bilateral.agreements:
        where = f"knowledge/bilateral/agreements.yaml → {ag.id}"
        out.extend(_evidence_problems(kb, ag.evidence, where))
        codes(where, "non_punishment.offences", ag.non_punishment.offences, offence_codes)

    for s in kb.indicator_sets.values():
        where = f"knowledge/screening ({s.id})"
        dims = {d.code for d in s.dimensions}
        for ind in s.indicators:
            if ind.dimension is not None and ind.dimension not in dims:
                out.append(Problem(where, f"{ind.code}.dimension → unknown {ind.dimension!r}"))
        for rule in [*s.victim_rule_adult, *s.victim_rule_child]:
            for d in rule:
                if d not in dims:
                    out.append(Problem(where, f"victim rule → unknown dimension {d!r}"))
        out.extend(_evidence_problems(kb, s.evidence, where))
    return out


def exemption_slot_problems(kb: KnowledgeBase) -> list[Problem]:
    """Bulk review evaluates penalty exemptions in a fixed number of columns per penalty
    (:data:`npp.law.model.EXEMPTION_SLOTS`): more applicable rules for one state, offence and
    penalty than that would be silently dropped, so they are an error here."""
    out: list[Problem] = []
    for cc, pr in kb.profiles.items():
        for pen in ("capital_punishment", "corporal_punishment"):
            for cat in kb.vocabulary.offence_categories:
                rules = [
                    x
                    for x in pr.penalty_exemptions
                    if x.penalty == pen and x.applicable and x.reaches(cat)
                ]
                if len(rules) > EXEMPTION_SLOTS:
                    out.append(
                        Problem(
                            kb.files.get(cc, cc),
                            f"penalty_exemptions: {len(rules)} rules for {pen} / {cat}; at most "
                            f"{EXEMPTION_SLOTS} are evaluated (raise EXEMPTION_SLOTS)",
                        )
                    )
    return out
