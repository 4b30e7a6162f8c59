"""The comparative matrix of the ten states (contract §2) and their gaps against the study.

Both are computed from the knowledge base, never typed by hand, so they change when a
researcher amends a state's law file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from npp.law.knowledge import KnowledgeBase, section_label

STUDY = "S1"
ACTIP_14_7 = "asean.actip.art14-7"
EARLY_STAGES = {"identification", "arrest_and_charge"}


def matrix(kb: KnowledgeBase, day: dt.date) -> list[dict[str, Any]]:
    """One row per assessable jurisdiction for the law in force on ``day``."""
    rows = []
    for cc in kb.vocabulary.jurisdictions:
        ip = kb.primary_provision(cc, day)
        prof = kb.profiles.get(cc)
        if ip is None:
            current = kb.domestic_instruments(cc, day)
            rows.append(
                {
                    "jurisdiction": cc,
                    "name": kb.vocabulary.jurisdictions[cc],
                    "has_provision": False,
                    "model": "none",
                    "instrument": current[-1].title if current else None,
                    "section": None,
                    "offences": [],
                    "victims": None,
                    "stages": [],
                    "decides": None,
                    "discretionary": None,
                    "verified": None,
                    "citation": (
                        f"{current[-1].title}: no explicit non-punishment provision"
                        if current
                        else "No explicit non-punishment provision (study)"
                    ),
                    "citation_id": current[-1].id if current else STUDY,
                    "death_penalty_drugs": _death(prof),
                }
            )
            continue
        ins, p = ip
        np = p.non_punishment
        assert np is not None
        rows.append(
            {
                "jurisdiction": cc,
                "name": kb.vocabulary.jurisdictions[cc],
                "has_provision": True,
                "model": np.model.value,
                "instrument": ins.title,
                "section": p.section,
                "offences": np.offences,
                "victims": np.victims,
                "stages": np.stages,
                "decides": np.decides,
                "discretionary": np.discretionary,
                "verified": p.evidence.verified,
                "citation": kb.cite(p.id).label(),
                "citation_id": p.id,
                "death_penalty_drugs": _death(prof),
            }
        )
    return rows


def _death(prof: Any) -> dict[str, Any] | None:
    if prof is None:
        return None
    dp = prof.death_penalty
    return {"in_law": dp.in_law, "applied": dp.applied_for_drugs}


@dataclass(frozen=True)
class Gap:
    jurisdiction: str
    benchmark: str
    status: str  # met | partly_met | not_met | unknown
    reason: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "benchmark": self.benchmark,
            "status": self.status,
            "reason": self.reason,
            "citations": list(self.citations),
        }


BENCHMARKS = {
    "R10": "Recommendation 10: amend legislation to reduce the risk of inappropriate prosecution",
    "R16": "Recommendation 16: explicit statutory non-punishment for all victims and all offences",
    "R19": "Recommendation 19: the burden of proof rests on the State, not on the victim",
    "R25": "Recommendation 25: legislation to eliminate the criminal records of victims",
    "ACTIP14(7)": "ACTIP art. 14(7): consider non-liability, criminal and administrative, "
    "for unlawful acts directly related to the trafficking",
}


def gaps(kb: KnowledgeBase, cc: str, day: dt.date) -> list[Gap]:
    """State ``cc`` against the study's legislative recommendations and ACTIP art. 14(7)."""
    ip = kb.primary_provision(cc, day)
    name = kb.vocabulary.jurisdictions[cc]
    out: list[Gap] = []
    if ip is None:
        none = f"{name} has no explicit non-punishment provision in force on {day}."
        out.append(
            Gap(
                cc,
                "R10",
                "not_met",
                none + " Nothing in statute limits prosecution of "
                "victims; only discretion remains.",
                (STUDY,),
            )
        )
        out.append(Gap(cc, "R16", "not_met", none, (STUDY,)))
        out.append(
            Gap(
                cc,
                "R19",
                "unknown",
                "The knowledge base does not record who bears the "
                "burden of proof where a victim raises trafficking; not verified.",
                (STUDY,),
            )
        )
    else:
        ins, p = ip
        np = p.non_punishment
        assert np is not None
        where = f"{ins.short_title} {section_label(ins, p)}"
        cite = (p.id, STUDY)
        all_offences = np.offences == "all"
        all_victims = np.victims.strip().lower() in {"all", "all victims", "all trafficked persons"}
        early = bool(EARLY_STAGES & set(np.stages))
        scope = "all offences" if all_offences else f"{len(np.offences)} listed offence(s)"
        if all_offences and all_victims and early and not np.discretionary:
            out.append(
                Gap(
                    cc,
                    "R10",
                    "met",
                    f"{where} bars proceedings from the earliest stage for {scope}.",
                    cite,
                )
            )
        else:
            why = []
            if not all_offences:
                why.append(f"it covers only {scope}")
            if not early:
                why.append(
                    "it does not protect at identification or arrest and charge "
                    f"(stages: {', '.join(np.stages)})"
                )
            if np.discretionary:
                why.append("it is discretionary")
            if not all_victims:
                why.append(f"victims covered: {np.victims}")
            out.append(
                Gap(cc, "R10", "partly_met", f"{where} exists, but " + "; ".join(why) + ".", cite)
            )
        if all_offences and all_victims:
            status, why16 = "met", f"{where} covers all offences and all victims"
        else:
            status = "partly_met"
            why16 = f"{where} is explicit but limited: {scope}; victims: {np.victims}"
        if not p.evidence.verified:
            why16 += " (provision not verified against the official text)"
        out.append(Gap(cc, "R16", status, why16 + ".", cite))
        if np.model.value == "compulsion":
            out.append(
                Gap(
                    cc,
                    "R19",
                    "unknown",
                    f"{where} requires that the victim was compelled; "
                    "the law data does not record who must prove it. Not verified.",
                    cite,
                )
            )
        else:
            out.append(
                Gap(
                    cc,
                    "R19",
                    "unknown",
                    "The knowledge base does not record who bears the "
                    "burden of proof under " + where + "; not verified.",
                    cite,
                )
            )
    prof = kb.profiles.get(cc)
    relief = prof.post_conviction_relief.text if prof else "unknown"
    out.append(
        Gap(
            cc,
            "R25",
            "not_met",
            "The study identifies no post-conviction mechanism in "
            f"ASEAN to eliminate victims' records. Recorded for {name}: {relief}",
            (STUDY,),
        )
    )
    if ip is None:
        out.append(
            Gap(
                cc,
                "ACTIP14(7)",
                "not_met",
                f"{name} is a party to ACTIP but has no "
                "statutory provision giving effect to art. 14(7); discretion is the only "
                "route.",
                (ACTIP_14_7, STUDY),
            )
        )
    else:
        ins, p = ip
        np = p.non_punishment
        assert np is not None
        admin = "administrative" in np.liability
        link_ok = np.model.value in {"causation", "ministerial_permission"}
        all_offences = np.offences == "all"
        if admin and link_ok and all_offences:
            out.append(
                Gap(
                    cc,
                    "ACTIP14(7)",
                    "met",
                    "The provision covers criminal and "
                    "administrative liability for any offence directly related to the "
                    "trafficking.",
                    (ACTIP_14_7, p.id),
                )
            )
        else:
            why = []
            if not admin:
                why.append("administrative liability is not covered")
            if not link_ok:
                why.append(f"its {np.model.value} test is narrower than 'directly related'")
            if not all_offences:
                why.append("it is limited to listed offences")
            out.append(
                Gap(
                    cc,
                    "ACTIP14(7)",
                    "partly_met",
                    "; ".join(why).capitalize() + ".",
                    (ACTIP_14_7, p.id),
                )
            )
    return out


def _penalties_at_stake(kb: KnowledgeBase, cc: str, day: dt.date) -> list[dict[str, Any]]:
    prof = kb.profiles.get(cc)
    if prof is None:
        return []
    out: list[dict[str, Any]] = []
    for n, pen in enumerate(prof.penalties):
        if not pen.in_force_on(day):
            continue
        kinds = [
            name
            for name, s in (("capital", pen.capital), ("corporal", pen.corporal))
            if s.in_law in {"mandatory", "discretionary", "available"}
        ]
        if kinds:
            out.append(
                {
                    "offence": pen.offence,
                    "kinds": kinds,
                    "applied": {"capital": pen.capital.applied, "corporal": pen.corporal.applied},
                    "citation_id": f"{cc.lower()}.profile.penalty.{n}",
                    "verified": pen.evidence.verified,
                }
            )
    return out


def comparison(kb: KnowledgeBase, day: dt.date) -> list[dict[str, Any]]:
    """The matrix with every axis of the public comparison (issue #5), one row per state.

    Adds to :func:`matrix`: the link test in words, liability covered, burden of proof (not
    recorded in the knowledge base, so shown as not verified), post-conviction relief and the
    severe penalties at stake, each with its citation and verification mark.
    """
    rows = matrix(kb, day)
    for row in rows:
        cc = row["jurisdiction"]
        ip = kb.primary_provision(cc, day)
        np = ip[1].non_punishment if ip else None
        prof = kb.profiles.get(cc)
        row["link_test"] = np.link_test if np else None
        row["liability"] = list(np.liability) if np else []
        row["human_judgement"] = list(np.human_judgement) if np else []
        row["burden_of_proof"] = {
            "status": "unknown",
            "text": "Not recorded in the knowledge base: who must prove the link (the State "
            "or the victim) is not stated in the data; not verified (recommendation 19).",
            "verified": False,
        }
        relief = prof.post_conviction_relief if prof else None
        row["post_conviction_relief"] = (
            {
                "text": relief.text,
                "verified": relief.evidence.verified,
                "sources": list(relief.evidence.sources),
            }
            if relief
            else None
        )
        dp = prof.death_penalty if prof else None
        row["severe_penalties"] = {
            "death_penalty_in_law": dp.in_law if dp else None,
            "death_penalty_applied_for_drugs": dp.applied_for_drugs if dp else None,
            "death_penalty_verified": dp.evidence.verified if dp else False,
            "corporal_punishment": prof.corporal_punishment.text if prof else None,
            "corporal_verified": prof.corporal_punishment.evidence.verified if prof else False,
            "by_offence": _penalties_at_stake(kb, cc, day),
        }
        row["supplementary"] = [
            {"citation": kb.cite(p.id).label(), "citation_id": p.id}
            for _i, p in kb.non_punishment_provisions(cc, day)
            if p.non_punishment is not None and p.non_punishment.role != "primary"
        ]
    return rows
