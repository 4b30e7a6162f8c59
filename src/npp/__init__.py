"""NPP Navigator: the non-punishment principle for victims of trafficking, applied.

The public API is small on purpose (pinned by a test):

- :func:`assess` — one case's facts (a dict as in contract §1, or :class:`CaseFacts`) to an
  :class:`Assessment`;
- :func:`load_knowledge` — the validated legal knowledge base;
- :class:`NppError` and its subclasses — every error meant for a user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from npp.assessment.engine import Assessment, Engine
from npp.errors import InvalidFacts, LawDataError, NotFound, NppError, Problem
from npp.law.loader import load_knowledge
from npp.screening.facts import CaseFacts

__all__ = [
    "Assessment",
    "CaseFacts",
    "InvalidFacts",
    "LawDataError",
    "NotFound",
    "NppError",
    "Problem",
    "assess",
    "engine",
    "load_knowledge",
]

_ENGINE: Engine | None = None


def engine() -> Engine:
    """The process-wide engine over the default knowledge base (built on first use)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine(load_knowledge())
    return _ENGINE


def assess(facts: dict[str, Any] | CaseFacts, today: dt.date | None = None) -> Assessment:
    """Assess one case. Raises :class:`InvalidFacts` (one problem per field) on bad input."""
    e = engine()
    if isinstance(facts, CaseFacts):
        return e.assess(facts, today)
    return e.assess_data(facts, today)
