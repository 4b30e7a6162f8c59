"""How much of the dashboard the demo leaves suppressed: the share of the headline and
breakdown cells that read "suppressed" for a user, as the dashboard shows them (same scope,
same queries, same disclosure policy). The demo is meant to show figures: the tests and
``benchmarks/demo_load.py`` hold it to at most a quarter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from npp.analytics.disclosure import SUPPRESSED_TEXT
from npp.web.monitoring import exchange, queries, tables


@dataclass(frozen=True)
class Share:
    suppressed: int
    cells: int

    @property
    def ratio(self) -> float:
        return self.suppressed / self.cells if self.cells else 0.0

    def __add__(self, other: Share) -> Share:
        return Share(self.suppressed + other.suppressed, self.cells + other.cells)


def _count(rows: Iterable[list[Any]]) -> Share:
    cells = [c for r in rows for c in r[1:]]
    return Share(sum(1 for c in cells if c == SUPPRESSED_TEXT), len(cells))


def suppressed(user: Any, by: str = "jurisdiction", *, headline: bool = True) -> Share:
    """Suppressed cells of ``user``'s dashboard (no filters): the headline figures (if
    ``headline``) and the breakdown by ``by``."""
    filters = queries.Filters.parse({}, exchange.statistics_scope(user))
    policy = queries.policy_from()
    data = queries.dashboard(filters, policy, by=by, period="year")
    out = _count(tables.breakdown_table(data["breakdown"], by).rows)
    if headline:
        out = out + _count(tables.figures_table(data["figures"], policy).rows)
    return out
