"""What the law of one state says about one offence on one date, as plain values.

This is the bridge between the knowledge base and the rules: both the single-case engine
and bulk review ask it (bulk once per state, law period and offence, then joins), so the
legal lookups, like the rules, exist once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from npp.assessment.rules import PENALTIES
from npp.law.knowledge import KnowledgeBase
from npp.law.model import (
    EXEMPTION_SLOTS,
    Instrument,
    NonPunishment,
    Penalty,
    PenaltyExemption,
    Provision,
)

SEVERE = {"mandatory", "discretionary", "available", "conditional"}
#: Offences only a foreign national can commit: a person charged with one is presumed foreign.
FOREIGNERS_ONLY = {"immigration.illegal_entry", "immigration.unlawful_stay"}
#: Prefix of the law columns of each penalty the rules evaluate exemptions for.
PENALTY_COLUMNS = PENALTIES
#: The law's columns the rules read, with their kind ("bool", "str", "int" or "sex") for
#: bulk adapters.
LAW_COLUMNS: dict[str, str] = {
    "has_provision": "bool",
    "in_scope": "bool",
    "model": "str",
    "discretionary": "bool",
    "partial": "bool",
    "victims_open": "bool",
    "alt_in_scope": "bool",
    "alt_model": "str",
    "alt_discretionary": "bool",
    "alt_partial": "bool",
    "alt_victims_open": "bool",
    "capital": "bool",
    "corporal": "bool",
    "detention": "bool",
    "foreigners_only": "bool",
    "typology": "str",
    **{
        f"{col}_x{k}{part}": kind
        for col in PENALTY_COLUMNS.values()
        for k in range(EXEMPTION_SLOTS)
        for part, kind in (
            ("", "bool"),
            ("_age_below", "int"),
            ("_age_now_above", "int"),
            ("_sex", "sex"),
        )
    },
}


@dataclass(frozen=True)
class OffenceLaw:
    """The law's answers for (state, date, offence), all the rules need."""

    jurisdiction: str
    category: str
    typology: str
    has_provision: bool
    primary: tuple[Instrument, Provision] | None
    covering: tuple[Instrument, Provision] | None  # the provision that covers this offence
    alternative: tuple[Instrument, Provision] | None  # a second one covering it, if any
    in_scope: bool
    model: str | None
    discretionary: bool | None
    capital: bool
    corporal: bool
    detention: bool
    penalties: tuple[Penalty, ...]
    #: Every exemption rule that reaches the offence (index in the profile, rule), applied
    #: or only shown; ``slots`` holds the applied ones per penalty, in column order.
    exemptions: tuple[tuple[int, PenaltyExemption], ...] = ()
    slots: dict[str, tuple[tuple[int, PenaltyExemption], ...]] | None = None

    def columns(self) -> dict[str, object]:
        """The values :func:`npp.assessment.rules.derive` reads from the law (LAW_COLUMNS);
        computed once per law (the result is shared: do not change it)."""
        return self._columns

    @cached_property
    def active_slots(self) -> dict[str, int]:
        """Per penalty, how many exemption slots hold a rule (the rest are empty)."""
        return {pen: len((self.slots or {}).get(pen, ())) for pen in PENALTY_COLUMNS}

    @cached_property
    def _columns(self) -> dict[str, object]:
        cov = _np(self.covering)
        alt = _np(self.alternative)
        return {
            "has_provision": self.has_provision,
            "in_scope": self.in_scope,
            "model": self.model,
            "discretionary": self.discretionary,
            "partial": bool(cov and self.category in cov.partial_offences),
            "alt_in_scope": alt is not None,
            "alt_model": alt.model.value if alt else None,
            "alt_discretionary": alt.discretionary if alt else None,
            "alt_partial": bool(alt and self.category in alt.partial_offences),
            "victims_open": bool(cov and cov.potential_victims == "open"),
            "alt_victims_open": bool(alt and alt.potential_victims == "open"),
            "capital": self.capital,
            "corporal": self.corporal,
            "detention": self.detention,
            "foreigners_only": self.category in FOREIGNERS_ONLY,
            "typology": self.typology,
            **self._slot_columns(),
        }

    def _slot_columns(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for pen, col in PENALTY_COLUMNS.items():
            rules = (self.slots or {}).get(pen, ())
            for k in range(EXEMPTION_SLOTS):
                x = rules[k][1] if k < len(rules) else None
                out[f"{col}_x{k}"] = x is not None
                out[f"{col}_x{k}_age_below"] = x.who.age_at_offence_below if x else None
                out[f"{col}_x{k}_age_now_above"] = x.who.age_now_above if x else None
                out[f"{col}_x{k}_sex"] = x.who.sex if x else None
        return out


def _np(ip: tuple[Instrument, Provision] | None) -> NonPunishment | None:
    return ip[1].non_punishment if ip else None


def _covers(p: Provision, category: str) -> bool:
    np = p.non_punishment
    return np is not None and (np.offences == "all" or category in np.offences)


def offence_law(
    kb: KnowledgeBase, cc: str, day: dt.date, category: str, now: dt.date | None = None
) -> OffenceLaw:
    """The law of ``cc`` for ``category`` committed on ``day``, as it stands ``now`` (which
    decides whether a later, more lenient law or a rule on carrying out sentences applies)."""
    provisions = kb.non_punishment_provisions(cc, day)
    primary = kb.primary_provision(cc, day)
    covers = [(i, p) for i, p in provisions if _covers(p, category)]
    covering = covers[0] if covers else None
    chosen = covering or primary
    np = chosen[1].non_punishment if chosen else None
    penalties = tuple(kb.penalties(cc, category, day))
    exemptions = tuple(kb.exemptions(cc, category, day, now or day))
    slots = {
        pen: tuple((n, x) for n, x in exemptions if x.penalty == pen and x.applicable)[
            :EXEMPTION_SLOTS
        ]
        for pen in PENALTY_COLUMNS
    }
    return OffenceLaw(
        jurisdiction=cc,
        category=category,
        typology=kb.vocabulary.offence_categories[category],
        has_provision=bool(provisions),
        primary=primary,
        covering=covering,
        alternative=covers[1] if len(covers) > 1 else None,
        in_scope=covering is not None,
        model=np.model.value if np else None,
        discretionary=np.discretionary if np else None,
        capital=any(p.capital.in_law in SEVERE for p in penalties),
        corporal=any(p.corporal.in_law in SEVERE for p in penalties),
        detention=category.startswith("immigration.")
        or any(p.detention_or_removal for p in penalties),
        penalties=penalties,
        exemptions=exemptions,
        slots=slots,
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
        for x in kb.profiles[cc].penalty_exemptions:
            add(x.in_force_from, x.in_force_to)
    return sorted(days)


class LawCache:
    """Memoised :func:`offence_law` per law period, for the engine's hot path."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._breaks = {cc: law_breakpoints(kb, cc) for cc in kb.vocabulary.jurisdictions}
        self._memo: dict[tuple[str, dt.date, dt.date, str], OffenceLaw] = {}

    def period_start(self, cc: str, day: dt.date) -> dt.date:
        start = dt.date.min
        for b in self._breaks.get(cc, []):
            if b <= day:
                start = b
            else:
                break
        return start

    def get(self, cc: str, day: dt.date, category: str, now: dt.date | None = None) -> OffenceLaw:
        """The law for ``category`` committed on ``day`` as it stands ``now`` (default: the
        offence date itself)."""
        now = now or day
        key = (cc, self.period_start(cc, day), self.period_start(cc, now), category)
        hit = self._memo.get(key)
        if hit is None:
            hit = offence_law(self.kb, cc, day, category, now)
            self._memo[key] = hit
        return hit
