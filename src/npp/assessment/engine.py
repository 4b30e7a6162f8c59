"""Assess one case: the rules decide, the explanation says why, citing the law.

:func:`assess` evaluates :func:`npp.assessment.rules.derive` for each offence with plain
Python values, then builds one explanation tree (screening, presumptions, each offence,
cross-border cooperation, actions, open questions) from those same intermediate results.
Every statement carries citation ids that resolve in the knowledge base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from npp.assessment.bilateral import coverage as bilateral_coverage
from npp.assessment.explanation import Finding
from npp.assessment.lawfacts import LawCache, OffenceLaw
from npp.assessment.penalties import PenaltyView, explain_penalties, penalty_questions
from npp.assessment.rules import (
    RISK_FLAG_ORDER,
    Derived,
    ScalarOps,
    derive,
    flags_of,
    minority,
    years_since,
)
from npp.law.knowledge import KnowledgeBase, section_label
from npp.law.model import Instrument, Provision
from npp.screening.facts import CaseFacts, Offence, parse_facts
from npp.screening.indicators import IndicatorScore, score

CONTRACT = "npp.assessment/1"
STUDY = "S1"
DISCLAIMER = (
    "NPP Navigator supports decisions; it does not make them. This assessment applies the "
    "law as recorded in its knowledge base to the facts given, marks what is not verified "
    "against the official text, and lists the facts still unknown. The decision, and the "
    "duty to check the current official text of the law, remain with the competent "
    "authority. It is not legal advice."
)
# Citation ids of international and regional provisions the engine relies on.
PALERMO_CONSENT = "int.palermo.art3-b"
PALERMO_CHILD = "int.palermo.art3-c"
PALERMO_CHILD_DEF = "int.palermo.art3-d"
VCL_SUSPICION = "int.vcl-an-v-uk.credible-suspicion"
VCL_REASONS = "int.vcl-an-v-uk.reasons-to-prosecute"
ACTIP_NON_LIABILITY = "asean.actip.art14-7"
ACTIP_RECOGNITION = "asean.actip.art14-2"
ACTIP_DETENTION = "asean.actip.art14-8"
OHCHR_PRINCIPLE_7 = "int.ohchr-principles.principle7"

_ops = ScalarOps()


@dataclass
class OffenceResult:
    offence: Offence
    law: OffenceLaw
    derived: Derived[Any]
    finding: Finding
    penalty_flags: list[str]
    routes: list[dict[str, Any]]
    penalties: PenaltyView | None = None


@dataclass
class Assessment:
    """The result of :func:`assess`: the contract document plus the explanation tree."""

    facts: CaseFacts
    law_date: dt.date
    document: dict[str, Any]
    explanation: Finding
    questions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.document


def person_columns(
    facts: CaseFacts, ind: IndicatorScore, now: dt.date | None = None
) -> dict[str, Any]:
    """The person-level values the rules read (shared by every offence of the case)."""
    p, t = facts.person, facts.trafficking
    ident = p.identified_by
    years_low, years_high = years_since(facts.offence_date, now or dt.date.today())
    return {
        "age": p.age,
        "age_disputed": p.age_disputed,
        "age_now": p.age_now,
        "sex": p.sex,
        "years_low": years_low,
        "years_high": years_high,
        "status": p.victim_status,
        "nationality": p.nationality,
        "identified_state": ident if ident and len(ident) == 2 and ident.isupper() else None,
        "jurisdiction": facts.jurisdiction,
        "acts_n": None if t.acts is None else len(t.acts),
        "means_n": None if t.means is None else len(t.means),
        "purposes_n": None if t.purposes is None else len(t.purposes),
        "under_control": t.under_control_at_offence,
        "indicators_positive": ind.positive,
        "indicators_any": ind.any,
    }


def offence_columns(facts: CaseFacts, off: Offence) -> dict[str, Any]:
    t = facts.trafficking
    return {
        "compelled": off.compelled if off.compelled is not None else t.compelled,
        "direct_consequence": (
            off.direct_consequence if off.direct_consequence is not None else t.direct_consequence
        ),
        "repeated": off.repeated,
        "within_provision": off.within_provision,
    }


class Engine:
    """Holds the knowledge base and its per-period law cache; assess many cases fast."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.law = LawCache(kb)
        self._citations: dict[str, dict[str, Any]] = {}

    def citation(self, cid: str) -> dict[str, Any]:
        """The resolved citation as a dict (memoised: the base does not change)."""
        hit = self._citations.get(cid)
        if hit is None:
            hit = self._citations[cid] = self.kb.cite(cid).as_dict()
        return dict(hit)

    # ------------------------------------------------------------------ entry points

    def assess_data(self, data: Any, today: dt.date | None = None) -> Assessment:
        return self.assess(parse_facts(data, self.kb), today)

    def assess(self, facts: CaseFacts, today: dt.date | None = None) -> Assessment:
        kb = self.kb
        day = facts.law_date(today)
        now = today or dt.date.today()
        cc = facts.jurisdiction
        _, child = minority(_ops, facts.person.age, facts.person.age_disputed)
        ind = score(kb, facts.indicators, child=bool(child))
        base = person_columns(facts, ind, now)
        results: list[OffenceResult] = []
        for off in facts.offences:
            law = self.law.get(cc, day, off.category, now)
            cols = {**base, **offence_columns(facts, off), **law.columns()}
            d = derive(_ops, cols, law.active_slots)
            results.append(self._offence(facts, off, law, d, day, cols))
        first = results[0].derived
        primary = kb.primary_provision(cc, day)
        law_cites = [primary[1].id] if primary else [i.id for i in kb.domestic_instruments(cc, day)]
        root = Finding(
            "assessment",
            f"Assessment under the law of {self._state(cc)} on {day}",
            law_cites or [STUDY],
        )
        screening = self._screening(root, facts, first, ind)
        presumptions = self._presumptions(root, facts, first)
        offences_node = root.add(
            "offences",
            "Protection from prosecution and punishment, per offence",
            law_cites or [STUDY],
        )
        for r in results:
            offences_node.children.append(r.finding)
        raised = {f for r in results for f in flags_of(r.derived.flags)}
        flags = [f for f in RISK_FLAG_ORDER if f in raised]
        self._age_of_responsibility(root, facts)
        self._related_protections(root, facts, day)
        self._flags(root, facts, results, flags)
        self._cross_border(root, facts)
        questions = self._questions(facts, results)
        actions = self._actions(
            facts, results, flags, any(r.derived.potential_victim for r in results)
        )
        act_node = root.add("actions", "What to do now and at the stages ahead", [STUDY])
        for a in actions:
            act_node.add(
                "action", f"Recommendation {a['recommendation']}: {a['text']}", a["citations"]
            )
        q_node = root.add("questions", "Facts still unknown: ask", [STUDY])
        for q in questions:
            q_node.add("question", q["question"], q.get("citations", []))

        cited: list[str] = []
        for f in root.walk():
            for c in f.citations:
                if c not in cited:
                    cited.append(c)
        doc: dict[str, Any] = {
            "contract": CONTRACT,
            "jurisdiction": cc,
            "law_date": day.isoformat(),
            "stage": facts.stage_or_default,
            "provision": self._provision_doc(primary),
            "potential_victim": bool(first.potential_victim),
            "elements": {
                "act": first.act,
                "means": first.means,
                "purpose": first.purpose,
                "means_required": bool(first.means_required),
                "consent_irrelevant": bool(first.means) or not bool(first.means_required),
            },
            "presumptions": presumptions,
            "indicators": screening,
            "offences": [self._offence_doc(r) for r in results],
            "risk_flags": flags,
            "actions": actions,
            "questions": questions,
            "citations": [self.citation(c) for c in cited],
            "explanation": root.as_dict(),
            "disclaimer": DISCLAIMER,
        }
        return Assessment(facts, day, doc, root, questions)

    # ------------------------------------------------------------------ parts

    def _state(self, cc: str) -> str:
        return self.kb.vocabulary.jurisdictions.get(cc, cc)

    def _provision_doc(self, ip: tuple[Instrument, Provision] | None) -> dict[str, Any] | None:
        if ip is None:
            return None
        ins, p = ip
        np = p.non_punishment
        assert np is not None
        cit = self.kb.cite(p.id)
        return {
            "id": p.id,
            "instrument": ins.title,
            "section": p.section,
            "model": np.model.value,
            "offences": np.offences,
            "victims": np.victims,
            "stages": np.stages,
            "decides": np.decides,
            "discretionary": np.discretionary,
            "text": p.text,
            "text_status": p.text_status.value,
            "verified": p.evidence.verified,
            "citation": cit.label(),
        }

    def _screening(
        self, root: Finding, facts: CaseFacts, d: Derived[Any], ind: IndicatorScore
    ) -> dict[str, Any]:
        node = root.add(
            "screening",
            "May this person be a victim of trafficking? "
            + (
                "Yes: there is a credible suspicion."
                if d.potential_victim
                else "Not on these facts."
            ),
            [VCL_SUSPICION, STUDY],
            bool(d.potential_victim),
        )
        t = facts.trafficking
        status = facts.person.victim_status
        if status in {"potential", "formal"}:
            node.add(
                "victim_status",
                f"The person is recorded as a {status} victim: that alone is a credible suspicion.",
                [VCL_SUSPICION],
            )
        for name, value, items in (
            ("act", d.act, t.acts),
            ("means", d.means, t.means),
            ("purpose", d.purpose, t.purposes),
        ):
            if value is None:
                text = f"Whether there was a trafficking {name} is not known."
            elif value:
                text = f"Trafficking {name}: {', '.join(items or [])}."
            else:
                text = f"No trafficking {name} is reported."
            node.add(f"element.{name}", text, ["int.palermo.art3-a"], value)
        if not d.means_required:
            node.add(
                "means_required",
                "Means are not required: the person is, or is presumed to be, a child (under 18).",
                [PALERMO_CHILD, PALERMO_CHILD_DEF],
                False,
            )
        if d.means:
            node.add(
                "consent",
                "Consent to the exploitation is irrelevant because means were used.",
                [PALERMO_CONSENT],
            )
        doc: dict[str, Any] = {"any": ind.any, "positive": ind.positive, "sets": []}
        for s in ind.sets:
            set_doc = {
                "set": s.set_id,
                "codes": list(s.codes),
                "positive_dimensions": list(s.positive_dimensions),
                "victim_rule_met": s.victim_rule_met,
            }
            doc["sets"].append(set_doc)
            ev = self.kb.indicator_sets[s.set_id].evidence
            dims = ", ".join(s.positive_dimensions) or "none"
            rule = (
                ""
                if s.victim_rule_met is None
                else "; the combination rule for a victim is "
                + ("met" if s.victim_rule_met else "not met")
            )
            node.add(
                "indicators",
                f"{s.title}: {len(s.codes)} indicator(s); positive dimensions: {dims}{rule}"
                + ("" if ev.verified else " (rule and ratings not verified against the source)"),
                list(ev.sources),
                s.positive_dimensions,
            )
        return doc

    def _presumptions(self, root: Finding, facts: CaseFacts, d: Derived[Any]) -> list[str]:
        out: list[str] = []
        node = root.add("presumptions", "Presumptions that protect the person meanwhile", [STUDY])
        if facts.person.victim_status == "potential" or (
            d.potential_victim and facts.person.victim_status in {None, "none"}
        ):
            out.append("victim_status")
            node.add(
                "victim_status",
                "Treat the person as a victim until a qualified person has completed formal "
                "identification; the principle applies from the earliest point and does not "
                "wait for formal status.",
                [STUDY, VCL_SUSPICION],
            )
        if d.presumed_minority:
            out.append("minority")
            why = (
                "age is not known"
                if facts.person.age is None
                else f"the stated age ({facts.person.age}) is disputed"
            )
            node.add(
                "minority",
                f"Presume the person is a child until their age is established ({why}): "
                "means are then not required, and child protection applies.",
                [STUDY, PALERMO_CHILD, PALERMO_CHILD_DEF],
            )
        return out

    def _offence(
        self,
        facts: CaseFacts,
        off: Offence,
        law: OffenceLaw,
        d: Derived[Any],
        day: dt.date,
        cols: dict[str, Any],
    ) -> OffenceResult:
        kb = self.kb
        cc = facts.jurisdiction
        label = kb.offences[off.category].label
        outcome = str(d.outcome)
        prov_cite = law.covering or law.primary
        node = Finding(
            "offence",
            f"{label}: {kb.vocabulary.protection_outcomes.get(outcome, outcome)}",
            [prov_cite[1].id] if prov_cite else [STUDY],
            value=outcome,
        )
        node.add(
            "typology",
            f"Typology: {law.typology} offence ({kb.vocabulary.offence_typologies[law.typology]}).",
            [STUDY],
        )
        prov = law.covering or law.primary
        routes: list[dict[str, Any]] = []
        if outcome == "not_indicated":
            node.add(
                "not_indicated",
                "Nothing in the facts suggests trafficking, so the non-punishment principle is "
                "not engaged on these facts. Stay alert: screen if any indicator appears.",
                [STUDY],
            )
        elif not law.has_provision:
            node.add(
                "no_provision",
                f"{self._state(cc)} has no explicit non-punishment provision in force on {day}.",
                [i.id for i in kb.domestic_instruments(cc, day)] or [STUDY],
            )
        else:
            assert prov is not None
            self._explain_provision(
                node, facts, law, d, prov, str(d.outcome_first), label, off.within_provision
            )
            if law.alternative is not None:
                self._explain_provision(
                    node,
                    facts,
                    law,
                    d,
                    law.alternative,
                    str(d.outcome_second),
                    label,
                    off.within_provision,
                )
        if outcome not in {"statutory_bar", "ministerial_permission_required", "not_indicated"}:
            routes = self._routes(node, facts, law)
        penalty_flags = [f for f in ("capital_punishment", "corporal_punishment") if d.flags[f]]
        view = explain_penalties(kb, node, facts, law, d, cols)
        return OffenceResult(off, law, d, node, penalty_flags, routes, view)

    def _explain_provision(
        self,
        node: Finding,
        facts: CaseFacts,
        law: OffenceLaw,
        d: Derived[Any],
        prov: tuple[Instrument, Provision],
        outcome: str,
        label: str,
        within: bool | None = None,
    ) -> None:
        """Why one provision does or does not protect the person for this offence."""
        kb = self.kb
        ins, p = prov
        np = p.non_punishment
        assert np is not None  # only non-punishment provisions are explained
        where = f"{ins.short_title}, {section_label(ins, p)}"
        cite = [p.id]
        unverified = (
            "" if p.evidence.verified else " (provision not verified against the official text)"
        )
        if outcome == "outside_statutory_scope" and law.category in np.partial_offences:
            node.add(
                "scope",
                f"{where} covers only part of this offence category, and the conduct charged is "
                f"recorded as outside its words (within_provision: false){unverified}.",
                cite,
                False,
            )
            return
        if outcome == "outside_statutory_scope":
            scope = (
                "all offences"
                if np.offences == "all"
                else ", ".join(kb.offences[c].label for c in np.offences if c in kb.offences)
            )
            text = f"{where} covers only: {scope}. {label} is outside it{unverified}."
            node.add("scope", text, cite, False)
            return
        node.add("scope", f"{where} covers this offence{unverified}.", cite, True)
        if law.category in np.partial_offences:
            node.add(
                "partial",
                f"{where} covers only part of this offence category: "
                + (
                    "the conduct charged is recorded as within its words."
                    if within is True
                    else "check that the conduct charged is within its words (see the "
                    "questions below)."
                ),
                cite,
                within,
            )
        if np.potential_victims == "open" and facts.person.victim_status != "formal":
            node.add(
                "victims",
                f"{where} names only victims: whether it reaches a person not (yet) formally "
                "identified is an open question of law, so the outcome stays conditional until "
                "the person is identified.",
                cite,
                None,
            )
        node.add("model", f"Test ({np.model.value}): {np.link_test}", cite)
        model = np.model.value
        stages = list(kb.vocabulary.stages)
        if model == "ministerial_permission":
            tail = (
                "." if d.potential_victim else "; first establish whether the person is a victim."
            )
            node.add(
                "permission",
                f"Without written permission ({np.decides}), proceedings against the victim for "
                f"this offence are barred{tail}",
                cite,
            )
        elif model == "status_exemption":
            node.add(
                "status",
                "The exemption follows from the person's status alone"
                + (
                    ": the person is formally identified."
                    if facts.person.victim_status == "formal"
                    else "; it applies once the person is recognised as a victim (or witness)."
                ),
                cite,
            )
        elif d.link is None:
            need = (
                "whether the person was compelled by the trafficker to commit it"
                if model == "compulsion"
                else "whether the offence was a direct consequence of the trafficking"
            )
            node.add("link", f"Not yet established: {need}.", cite, None)
            if model == "compulsion" and d.child:
                node.add(
                    "child_compulsion",
                    "The study considers a compulsion test impractical for children, for whom "
                    "means are not required: weigh this in the decision.",
                    [STUDY, PALERMO_CHILD],
                )
        elif d.link is False:
            node.add(
                "link", "The facts say the link the provision requires is absent.", cite, False
            )
        else:
            node.add("link", "The link the provision requires is established.", cite, True)
        if np.discretionary is None:
            node.add(
                "discretion",
                "Whether the provision is mandatory or leaves a discretion is not verified: until "
                "its wording is read, treat the outcome as conditional.",
                cite,
            )
        elif np.discretionary:
            node.add(
                "discretion",
                f"The provision is discretionary ({np.decides} decides case by case): it permits, "
                "but does not require, non-punishment.",
                cite,
            )
        now = stages.index(facts.stage_or_default)
        first = min(stages.index(st) for st in np.stages)
        if now < first:
            protected = ", ".join(kb.vocabulary.stages[st].lower() for st in np.stages)
            node.add(
                "stages",
                f"{where} protects at these stages: {protected}. It does not itself bar action "
                "at this earlier stage, but the principle should apply from the earliest point a "
                "person is recognised as a potential victim (the study).",
                [p.id, STUDY],
            )
        if outcome == "statutory_bar":
            node.add(
                "bar",
                f"On these facts {where} bars {', '.join(np.liability)} for this offence.",
                cite,
            )
        # The law's open questions matter only where the provision could apply.
        for q in np.human_judgement:
            node.add("judgement", f"For the practitioner: {q}", cite)

    def _routes(self, node: Finding, facts: CaseFacts, law: OffenceLaw) -> list[dict[str, Any]]:
        """Where the statute does not (yet) help: the remaining routes, each cited."""
        kb, cc = self.kb, facts.jurisdiction
        routes: list[dict[str, Any]] = []
        r_node = node.add(
            "routes",
            "Other routes to avoid prosecution or punishment",
            [ACTIP_NON_LIABILITY, STUDY],
        )

        def route(code: str, text: str, cites: list[str]) -> None:
            cites = [c for c in cites if kb.can_cite(c)]
            routes.append({"route": code, "text": text, "citations": cites})
            r_node.add(f"route.{code}", text, cites)

        route(
            "prosecutorial_discretion",
            "Prosecutorial (and police) discretion not to charge or to withdraw: the study "
            "finds most non-prosecution of victims happens this way. Record the reasons.",
            [STUDY],
        )
        route(
            "actip_14_7",
            "ACTIP art. 14(7): each State party shall consider not holding victims criminally "
            "or administratively liable for unlawful acts directly related to the trafficking.",
            [ACTIP_NON_LIABILITY],
        )
        prof = kb.profiles.get(cc)
        if prof:
            for n, dfn in enumerate(prof.general_defences):
                sec = f" s.{dfn.section}" if dfn.section else " (section not verified)"
                limits = f" Limits: {dfn.limits}" if dfn.limits else ""
                route(
                    f"defence.{dfn.kind}",
                    f"General defence of {dfn.kind}: {dfn.instrument}{sec}.{limits}"
                    + ("" if dfn.evidence.verified else " (not verified)"),
                    [f"{cc.lower()}.profile.defence.{n}", *dfn.evidence.sources],
                )
        route(
            "sentence_mitigation",
            "As a last resort, mitigation of sentence, and protection from corporal and capital "
            "punishment (recommendations 22-24).",
            [STUDY],
        )
        return routes

    def _age_of_responsibility(self, root: Finding, facts: CaseFacts) -> None:
        """Below the minimum age of criminal responsibility, no prosecution is possible."""
        cc, age = facts.jurisdiction, facts.person.age
        prof = self.kb.profiles.get(cc)
        if prof is None:
            return
        macr = prof.age_of_criminal_responsibility
        cite = [f"{cc.lower()}.profile.age"]
        mark = "" if macr.evidence.verified else " (not verified)"
        state = self._state(cc)
        if macr.age is None:
            text = f"The minimum age of criminal responsibility in {state} is not recorded{mark}."
            root.add("age_of_responsibility", text, cite)
        elif age is None or facts.person.age_disputed:
            text = (
                f"The minimum age of criminal responsibility in {state} is {macr.age}{mark}. "
                "Establish the person's age: below it, no criminal liability arises."
            )
            root.add("age_of_responsibility", text, cite, macr.age)
        elif age < macr.age:
            text = (
                f"At {age} the person is below the minimum age of criminal responsibility in "
                f"{state} ({macr.age}){mark}: they cannot be held criminally liable."
            )
            root.add("age_of_responsibility", text, cite, macr.age)

    def _related_protections(self, root: Finding, facts: CaseFacts, day: dt.date) -> None:
        """Protective and identification provisions of the state, for every practitioner."""
        items = [
            (i, p)
            for i in self.kb.domestic_instruments(facts.jurisdiction, day)
            for p in i.provisions
            if p.kind in {"protection", "identification"} and p.in_force_on(day)
        ]
        if not items:
            return
        node = root.add(
            "protections", "Related protections in domestic law", [p.id for _, p in items]
        )
        for i, p in items:
            gist = p.summary or p.text
            mark = "" if p.evidence.verified else " (not verified)"
            node.add(
                "protection", f"{i.short_title}, {section_label(i, p)}: {gist[:400]}{mark}", [p.id]
            )

    def _flags(
        self, root: Finding, facts: CaseFacts, results: list[OffenceResult], flags: list[str]
    ) -> None:
        node = root.add("risk_flags", "Risks to the person", [STUDY])
        v = self.kb.vocabulary.risk_flags
        for f in flags:
            node.add(f"flag.{f}", f"{f}: {v.get(f, f)}", self._flag_citations(f, results))

    def _flag_citations(self, flag: str, results: list[OffenceResult]) -> list[str]:
        if flag in {"capital_punishment", "corporal_punishment"}:
            cites = {
                c
                for r in results
                for f in r.finding.walk()
                if f.topic == "penalty"
                for c in f.citations
            }
            return sorted(cites) or [STUDY]
        return {
            "child": [PALERMO_CHILD_DEF, STUDY],
            "cross_border": [ACTIP_RECOGNITION],
            "link_contested": [STUDY],
            "immigration_detention_or_deportation": [ACTIP_DETENTION, OHCHR_PRINCIPLE_7],
        }.get(flag, [STUDY])

    def _cross_border(self, root: Finding, facts: CaseFacts) -> None:
        cc = facts.jurisdiction
        other = {x for x in (facts.person.nationality, facts.person.identified_by) if x}
        other = {x for x in other if len(x) == 2 and x.isupper() and x != cc}
        if not other:
            return
        node = root.add("cross_border", "Cooperation between states", [ACTIP_RECOGNITION])
        ident = facts.person.identified_by
        if ident and ident in other and facts.person.victim_status == "formal":
            node.add(
                "recognition",
                f"The person was identified as a victim by {self._state(ident)}: ACTIP art. 14(2) "
                "requires that identification to be respected and recognised.",
                [ACTIP_RECOGNITION],
            )
        elif ident and ident in other and facts.person.victim_status == "potential":
            node.add(
                "recognition",
                f"{self._state(ident)} treats the person as a presumed victim pending "
                "identification: treat them as a victim too until identification is complete, "
                "and ask that state for its outcome; once it formally identifies the person, "
                "ACTIP art. 14(2) requires that identification to be respected and recognised.",
                [ACTIP_RECOGNITION, VCL_SUSPICION],
            )
        for o in sorted(other):
            for ag in self.kb.bilateral_between(cc, o):
                np = ag.non_punishment
                offences = np.offences if isinstance(np.offences, str) else ", ".join(np.offences)
                node.add(
                    "bilateral",
                    f"{ag.title}: non-punishment clause {np.status}; offences: {offences}; "
                    f"victims: {np.victims}. {bilateral_coverage(ag, facts).text}",
                    [*ag.evidence.sources, ACTIP_RECOGNITION, ACTIP_NON_LIABILITY],
                )
        if len(node.children) == 0 or all(c.topic != "bilateral" for c in node.children):
            node.add(
                "bilateral",
                "No bilateral agreement between these states is recorded. The study finds such "
                "clauses, where they exist, often cover only women and children and only "
                "immigration or prostitution offences.",
                list(self.kb.bilateral.general_evidence.sources),
            )

    def _questions(self, facts: CaseFacts, results: list[OffenceResult]) -> list[dict[str, Any]]:
        qs: list[dict[str, Any]] = []
        seen: set[str] = set()

        def ask(field: str, question: str, cites: list[str]) -> None:
            if question not in seen:
                seen.add(question)
                qs.append({"field": field, "question": question, "citations": cites})

        p, t = facts.person, facts.trafficking
        if p.age is None:
            ask(
                "person.age",
                "How old was the person at the time? Until this is established, "
                "treat them as a child.",
                [STUDY],
            )
        elif p.age_disputed:
            ask(
                "person.age_disputed",
                "Can the person's age be established (documents, an age "
                "assessment)? Until then they are presumed a child.",
                [STUDY],
            )
        if p.victim_status in {None, "none"}:
            ask(
                "person.victim_status",
                "Has the person been screened, or referred for formal "
                "identification as a victim of trafficking?",
                [VCL_SUSPICION],
            )
        for name, val in (("acts", t.acts), ("means", t.means), ("purposes", t.purposes)):
            if val is None:
                ask(
                    f"trafficking.{name}",
                    f"What trafficking {name} are reported, if any "
                    "(e.g. recruitment, deception, forced labour)?",
                    ["int.palermo.art3-a"],
                )
        any_suspicion = any(r.derived.suggests for r in results)
        for n, r in enumerate(results):
            law = r.law
            if not (law.in_scope and r.derived.suggests):
                continue
            model = law.model
            cov = law.covering
            cites = [cov[1].id] if cov else []
            if model == "compulsion" and r.derived.link is None:
                ask(
                    f"offences[{n}].compelled",
                    f"Was the person compelled by the trafficker to "
                    f"commit the {r.offence.category} offence (made to act against their will)?",
                    cites,
                )
            if model == "causation" and r.derived.link is None:
                ask(
                    f"offences[{n}].direct_consequence",
                    "Was the "
                    f"{r.offence.category} offence a direct consequence of being trafficked?",
                    cites,
                )
            for prov in (cov, law.alternative):
                if prov is None or prov[1].non_punishment is None:
                    continue
                np = prov[1].non_punishment
                cite = [prov[1].id]
                q = np.within_questions.get(r.offence.category)
                if q and r.offence.within_provision is None:
                    ask(f"offences[{n}].within_provision", q, cite)
                if np.potential_victims == "open" and p.victim_status != "formal":
                    ask(
                        "person.victim_status",
                        f"Has the person been formally identified as a victim? "
                        f"{prov[0].short_title} names only victims in its non-punishment "
                        "rule; whether it reaches a person still being identified is an open "
                        "question of law.",
                        cite,
                    )
        for r in results:
            if r.penalties is not None:
                for f, text, cites in penalty_questions(self.kb, r.penalties):
                    # One question per fact: the age is asked once, whatever depends on it.
                    if all(q["field"] != f for q in qs):
                        ask(f, text, cites)
        if any_suspicion and t.under_control_at_offence is None:
            ask(
                "trafficking.under_control_at_offence",
                "Was the trafficker's influence still "
                "operating when the offences were committed? (A question for the record, never a "
                "verdict: recommendation 20.)",
                [STUDY],
            )
        return qs

    def _actions(
        self, facts: CaseFacts, results: list[OffenceResult], flags: list[str], potential: bool
    ) -> list[dict[str, Any]]:
        kb = self.kb
        stages = list(kb.vocabulary.stages)
        now = stages.index(facts.stage_or_default)
        suggests = any(r.derived.suggests for r in results)
        outcomes = {str(r.derived.outcome) for r in results}
        wanted: list[tuple[int, str]] = []

        def want(n: int, extra: str = "") -> None:
            if n not in [w[0] for w in wanted]:
                wanted.append((n, extra))

        if not suggests:
            want(1, "No indicator is reported: stay alert to the signs of trafficking.")
            want(3)
        else:
            for r in kb.recommendations.values():
                if r.case_action and stages.index(r.stage) == now:
                    want(r.number)
            if now <= stages.index("prosecution") and facts.person.victim_status != "formal":
                want(4, "Refer the person for formal identification before any charging decision.")
                want(
                    11,
                    "Any decision to prosecute should follow formal identification by a "
                    "qualified person, with clear reasons on file (V.C.L. and A.N. v UK).",
                )
            if "ministerial_permission_required" in outcomes and now <= stages.index("prosecution"):
                want(
                    7,
                    "Proceedings for the listed offences are barred without the Minister's "
                    "written permission: do not charge unless it is given.",
                )
            if "conditional" in outcomes:
                want(
                    5,
                    "Investigate the link between the offence and the trafficking: the "
                    "outcome depends on it.",
                )
            if "link_contested" in flags:
                want(
                    20,
                    "The link may be contested: record the facts and ask the questions; "
                    "this is never a verdict on its own.",
                )
            if now <= stages.index("trial"):
                want(19, "The burden of proof rests on the State, not on the victim.")
            if "capital_punishment" in flags or "corporal_punishment" in flags:
                want(
                    24,
                    "Seek protection from capital and corporal punishment at once: "
                    + ", ".join(f for f in flags if f.endswith("punishment")).replace("_", " ")
                    + ".",
                )
            if potential and now <= stages.index("sentencing"):
                want(22)
            if potential and now == stages.index("post_conviction"):
                want(25)
                want(26)
        out = []
        for n, extra in sorted(
            wanted, key=lambda w: (stages.index(kb.recommendations[w[0]].stage), w[0])
        ):
            r = kb.recommendations[n]
            text = r.case_action or r.guidance
            if extra:
                text = f"{extra} {text}"
            cites = [STUDY]
            if n == 11:
                cites.append(VCL_REASONS)
            out.append(
                {
                    "recommendation": n,
                    "stage": r.stage,
                    "title": r.title,
                    "text": text,
                    "audience": list(r.audience),
                    "citations": [c for c in cites if kb.can_cite(c)],
                }
            )
        return out

    def _offence_doc(self, r: OffenceResult) -> dict[str, Any]:
        d = r.derived
        cov = r.law.covering or r.law.primary
        return {
            "category": r.offence.category,
            "description": r.offence.description,
            "typology": r.law.typology,
            "in_scope": r.law.in_scope,
            "outcome": str(d.outcome),
            "provision": cov[1].id if cov else None,
            "link": d.link if r.law.in_scope else None,
            "penalty_flags": r.penalty_flags,
            "excluded_penalties": r.penalties.excluded if r.penalties else [],
            "risk_flags": flags_of(d.flags),
            "reasons": r.finding.reasons(),
            "routes": r.routes,
        }
