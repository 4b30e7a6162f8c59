"""What the law of one state says about one offence on one date, as plain values.

This is the bridge between the knowledge base and the rules: both the single-case engine
and bulk review ask it (bulk once per state, law period and offence, then joins), so the
legal lookups, like the rules, exist once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from npp.law.knowledge import KnowledgeBase
from npp.law.model import Instrument, Penalty, Provision

SEVERE = {"mandatory", "discretionary", "available"}


@dataclass(frozen=True)
class OffenceLaw:
    """The law's answers for (state, date, offence), all the rules need."""

    jurisdiction: str
    category: str
    typology: str
    has_provision: bool
    primary: tuple[Instrument, Provision] | None
    covering: tuple[Instrument, Provision] | None  # the provision that covers this offence
    in_scope: bool
    model: str | None
    discretionary: bool
    capital: bool
    corporal: bool
    detention: bool
    penalties: tuple[Penalty, ...]

    def columns(self) -> dict[str, object]:
        """The values :func:`npp.assessment.rules.derive` reads from the law."""
        return {
            "has_provision": self.has_provision,
            "in_scope": self.in_scope,
            "model": self.model,
            "discretionary": self.discretionary,
            "capital": self.capital,
            "corporal": self.corporal,
            "detention": self.detention,
            "typology": self.typology,
        }


def _covers(p: Provision, category: str) -> bool:
    np = p.non_punishment
    return np is not None and (np.offences == "all" or category in np.offences)


def offence_law(kb: KnowledgeBase, cc: str, day: dt.date, category: str) -> OffenceLaw:
    provisions = kb.non_punishment_provisions(cc, day)
    primary = kb.primary_provision(cc, day)
    covering = next(((i, p) for i, p in provisions if _covers(p, category)), None)
    chosen = covering or primary
    np = chosen[1].non_punishment if chosen else None
    penalties = tuple(kb.penalties(cc, category, day))
    return OffenceLaw(
        jurisdiction=cc,
        category=category,
        typology=kb.vocabulary.offence_categories[category],
        has_provision=bool(provisions),
        primary=primary,
        covering=covering,
        in_scope=covering is not None,
        model=np.model.value if np else None,
        discretionary=bool(np and np.discretionary),
        capital=any(p.capital.in_law in SEVERE for p in penalties),
        corporal=any(p.corporal.in_law in SEVERE for p in penalties),
        detention=category.startswith("immigration.")
        or any(p.detention_or_removal for p in penalties),
        penalties=penalties,
    )


def law_breakpoints(kb: KnowledgeBase, cc: str) -> list[dt.date]:
    """Every date on which something the rules read may change for state ``cc``."""
    days: set[dt.date] = set()

    def add(start: dt.date | None, end: dt.date | None) -> None:
        if start:
            days.add(start)
        if end:
            days.add(end + dt.timedelta(days=1))

    for i in kb.domestic_instruments(cc):
        add(i.in_force_from, i.in_force_to)
        for p in i.provisions:
            add(p.in_force_from, p.in_force_to)
    if cc in kb.profiles:
        for pen in kb.profiles[cc].penalties:
            add(pen.in_force_from, pen.in_force_to)
    return sorted(days)


class LawCache:
    """Memoised :func:`offence_law` per law period, for the engine's hot path."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._breaks = {cc: law_breakpoints(kb, cc) for cc in kb.vocabulary.jurisdictions}
        self._memo: dict[tuple[str, dt.date, str], OffenceLaw] = {}

    def period_start(self, cc: str, day: dt.date) -> dt.date:
        start = dt.date.min
        for b in self._breaks.get(cc, []):
            if b <= day:
                start = b
            else:
                break
        return start

    def get(self, cc: str, day: dt.date, category: str) -> OffenceLaw:
        key = (cc, self.period_start(cc, day), category)
        hit = self._memo.get(key)
        if hit is None:
            hit = offence_law(self.kb, cc, day, category)
            self._memo[key] = hit
        return hit
