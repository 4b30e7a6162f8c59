"""Scoring screening indicators with the combination rule kept in the knowledge base.

The ILO/EC (2009) rule is data (``knowledge/screening/ilo-ec-2009.yaml``): a dimension is
positive when its strong/medium/weak counts reach one of the listed minimums; a person is a
likely victim when every group of the victim rule has a positive dimension. Other lists
(UNODC) are checklists: UNODC warns a single indicator may be insufficient, so two or more
indicators count as a credible suspicion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from npp.law.knowledge import KnowledgeBase
from npp.law.model import IndicatorSet

CHECKLIST_THRESHOLD = 2


@dataclass(frozen=True)
class SetScore:
    set_id: str
    title: str
    codes: tuple[str, ...]
    positive_dimensions: tuple[str, ...]
    victim_rule_met: bool | None  # None where the set has no victim rule


@dataclass(frozen=True)
class IndicatorScore:
    any: bool
    positive: bool
    sets: tuple[SetScore, ...]

    @property
    def positive_dimensions(self) -> list[str]:
        return [d for s in self.sets for d in s.positive_dimensions]


def _dimension_positive(s: IndicatorSet, counts: Counter[str]) -> bool:
    for rule in s.positive_if_any:
        mw = counts["medium"] + counts["weak"]
        if (
            counts["strong"] >= rule.strong
            and counts["medium"] >= rule.medium
            and counts["weak"] >= rule.weak
            and (mw - rule.medium - rule.weak) >= rule.any_of_medium_or_weak
        ):
            return True
    return False


def score(kb: KnowledgeBase, codes: Iterable[str], child: bool) -> IndicatorScore:
    """Score indicator ``codes`` (already validated) for an adult or a child."""
    by_set: dict[str, list[str]] = {}
    for code in dict.fromkeys(codes):
        s, _ = kb.indicators[code]
        by_set.setdefault(s.id, []).append(code)
    results: list[SetScore] = []
    positive = False
    for set_id, set_codes in by_set.items():
        s = kb.indicator_sets[set_id]
        if s.scoring == "ilo_ec_delphi":
            per_dim: dict[str, Counter[str]] = {}
            for code in set_codes:
                ind = kb.indicators[code][1]
                rating = ind.child if child else ind.adult
                if ind.dimension is None or rating is None:
                    continue
                per_dim.setdefault(ind.dimension, Counter())[rating] += 1
            dims = tuple(
                d.code
                for d in s.dimensions
                if _dimension_positive(s, per_dim.get(d.code, Counter()))
            )
            rule = s.victim_rule_child if child else s.victim_rule_adult
            met = all(any(d in dims for d in group) for group in rule) if rule else None
            results.append(SetScore(set_id, s.title, tuple(set_codes), dims, met))
            positive = positive or bool(dims) or bool(met)
        else:
            results.append(SetScore(set_id, s.title, tuple(set_codes), (), None))
    total = sum(len(c) for c in by_set.values())
    positive = positive or total >= CHECKLIST_THRESHOLD
    return IndicatorScore(any=total > 0, positive=positive, sets=tuple(results))
