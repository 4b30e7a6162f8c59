"""Demo data: organisations of each kind in the ten states, one user per role (and a regional
analyst), and ``NPP_DEMO_CASES`` (default 20,000) synthetic cases across the ten states and
the six stages, each assessed by the engine, with coherent timelines and referrals. Only in
demo mode (``NPP_DEMO=1``): never in production. Loaded once, into an empty database.

- :mod:`.organisations` — who is in the demo (contract §4: ``demo-prosecutor`` is a prosecutor
  in a Thai organisation);
- :mod:`.distributions` — who the cases are about (offence, sex, age, nationality, facts);
- :mod:`.timelines` — what happens to each case (decisions, stages, referrals);
- :mod:`.loader` — writing it all in bulk.

Every person is invented: names are random combinations of common given and family names.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from npp.web.accounts.models import Organisation
from npp.web.audit.log import record
from npp.web.audit.models import Event
from npp.web.demo.loader import load_cases
from npp.web.demo.organisations import (
    DEMO_PASSWORD,
    USERS,
    create_organisations,
    create_users,
    create_writers,
)

__all__ = ["DEFAULT_CASES", "DEMO_PASSWORD", "USERS", "NotDemo", "demo_cases", "load"]

DEFAULT_CASES = 20_000


class NotDemo(Exception):
    pass


def demo_cases() -> int:
    """How many cases the demo loads: ``NPP_DEMO_CASES`` (default 20,000)."""
    raw = os.environ.get("NPP_DEMO_CASES", "").strip()
    if not raw:
        return DEFAULT_CASES
    if not raw.isdigit():
        raise ValueError(f"NPP_DEMO_CASES: must be a whole number of cases, not {raw!r}")
    return int(raw)


def load(
    n_cases: int | None = None, seed: int = 4, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Load the demo data into an empty database (``n_cases`` defaults to
    :func:`demo_cases`). Refuses outside demo mode; does nothing if organisations exist."""
    if not settings.DEMO:
        raise NotDemo("demo data is loaded only in demo mode (NPP_DEMO=1)")
    if Organisation.objects.exists():
        return {"organisations": 0, "users": 0, "cases": 0}
    n = demo_cases() if n_cases is None else n_cases
    rng = random.Random(seed)
    with transaction.atomic():
        orgs = create_organisations()
        users = create_users(orgs)
        writers = create_writers(orgs, users)
        counts = load_cases(n, rng, orgs, writers, progress)
        record(Event.DEMO_LOADED, details={"cases": counts["cases"], "seed": seed})
    return {"organisations": len(orgs), "users": len(users), **counts}
