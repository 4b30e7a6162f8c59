"""Does a bilateral agreement's non-punishment clause cover this person and these offences?

The study finds such clauses, where they exist, often cover only women and children and
only immigration or prostitution offences. The knowledge base records who a clause covers
as words (``victims``, e.g. "women and children (trafficked)"), reported and not verified;
this module reads the one pattern recorded so far and otherwise says it cannot tell. Where
the person or an offence falls outside, it says so, and that ACTIP still applies
(art. 14(2) recognition of another Party's identification; art. 14(7) non-liability).
"""

from __future__ import annotations

from dataclasses import dataclass

from npp.law.model import BilateralAgreement
from npp.screening.facts import CaseFacts

ACTIP_STILL = (
    "ACTIP still applies: art. 14(2) (respect and recognise another Party's identification) "
    "and art. 14(7) (consider non-liability)."
)


@dataclass(frozen=True)
class Coverage:
    """``covered``: True (person and every offence within the clause), False (something
    falls outside), None (cannot tell: no clause known, or a fact is not known)."""

    covered: bool | None
    text: str


def _person_in_group(victims: str, facts: CaseFacts) -> tuple[bool | None, str]:
    words = victims.lower()
    if not words.startswith("women and children"):
        return None, f"who it covers is not recorded precisely ({victims})"
    p = facts.person
    if p.sex == "female":
        return True, "it covers women and children, and the person is female"
    child: bool | None = None if p.age is None or p.age_disputed else p.age < 18
    if child:
        return True, "it covers women and children, and the person is a child"
    if child is None:
        if p.sex is None:
            return None, "it covers only women and children; the person's sex and age are not known"
        return None, (
            "it covers only women and children; the person's age is not established (presumed "
            "a child until it is)"
        )
    if p.sex is None:
        return None, "it covers only women and children; the person's sex is not known"
    return False, "it covers only women and children, and this person is an adult man"


def coverage(ag: BilateralAgreement, facts: CaseFacts) -> Coverage:
    np = ag.non_punishment
    if np.status == "none_known":
        return Coverage(None, f"No non-punishment clause is known in it. {ACTIP_STILL}")
    if np.status == "unknown":
        return Coverage(None, f"Whether it has a non-punishment clause is not known. {ACTIP_STILL}")
    person, why = _person_in_group(np.victims, facts)
    categories = [o.category for o in facts.offences]
    if isinstance(np.offences, str):
        outside: list[str] = []
        offences_known = np.offences == "all"
    else:
        outside = [c for c in categories if c not in np.offences]
        offences_known = True
    parts = [f"Reported clause (not verified): {why}"]
    if outside:
        parts.append(f"it does not cover {', '.join(outside)} (only {', '.join(np.offences)})")
    elif not offences_known:
        parts.append("which offences it covers is not known")
    covered: bool | None
    if person is False or outside:
        covered = False
        parts.append("so this person falls outside it, at least in part")
    elif person is None or not offences_known:
        covered = None
    else:
        covered = True
        parts.append("so it covers this person for these offences")
    text = "; ".join(parts) + "."
    if covered is not True:
        text += f" {ACTIP_STILL}"
    return Coverage(covered, text)
