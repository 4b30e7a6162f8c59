"""The demo's people are plausible for the region: cross-border patterns, children and disputed
ages, both sexes, every offence pattern; every code the tables name is known to the knowledge
base. And the demo analysts' dashboards show figures, not "suppressed"."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

import npp
from npp.web.demo import distributions as dist

TODAY = dt.date(2026, 12, 6)


def _pool(n_cases: int = 20_000) -> dict[str, list[dict[str, Any]]]:
    kb = npp.engine().kb
    return dist.profile_pool(
        random.Random(1),
        n_cases,
        TODAY,
        frozenset(kb.vocabulary.offence_categories),
        frozenset(kb.indicators),
    )


def test_every_code_in_the_tables_is_known() -> None:
    kb = npp.engine().kb
    offences = set(kb.vocabulary.offence_categories)
    for name, sc in dist.SCENARIOS.items():
        named = set(sc.main) | set(sc.extra) | set(sc.foreign)
        assert named <= offences, name
        assert set(sc.indicators) <= set(kb.indicators), name
        assert set(sc.purposes) <= set(kb.vocabulary.exploitation_purposes), name
        assert set(sc.means) <= set(kb.vocabulary.trafficking_means), name
    assert set(dist.STATE_WEIGHTS) == set(kb.vocabulary.jurisdictions)
    for cc, weights in dist.STATE_SCENARIOS.items():
        assert set(weights) <= set(dist.SCENARIOS), cc
        assert set(dist.NATIONALITIES[cc]) <= set(dist.NATIONALITIES) | {"BD", "NP", "IN", "CN"}


def test_profiles_follow_the_regions_patterns() -> None:
    pool = _pool()
    people = [p for profiles in pool.values() for p in profiles]
    by_state = {cc: Counter(p["person"]["nationality"] for p in ps) for cc, ps in pool.items()}
    th = by_state["TH"]
    assert (th["MM"] + th["LA"] + th["KH"]) / sum(th.values()) > 0.5  # neighbours in Thailand
    my = by_state["MY"]
    assert my["ID"] > my["MY"]  # Indonesians in Malaysia
    assert by_state["VN"]["VN"] / sum(by_state["VN"].values()) > 0.7  # mostly nationals
    ages = [p["person"]["age"] for p in people]
    known = [a for a in ages if a is not None]
    assert 0.1 < sum(a < 18 for a in known) / len(known) < 0.35  # children, not most
    assert any(a is None for a in ages) and any(a < 12 for a in known)
    assert any(p["person"]["age_disputed"] for p in people)
    sexes = Counter(p["person"]["sex"] for p in people)
    assert sexes["female"] > sexes["male"] > 0
    categories = Counter(o["category"] for p in people for o in p["offences"])
    assert {"prostitution", "fishing.iuu", "fraud.online_scam", "drugs.trafficking"} <= set(
        categories
    )
    statuses = Counter(p["person"]["victim_status"] for p in people)
    assert set(statuses) == {"potential", "formal", "none", None}
    unknown_story = [p for p in people if p["trafficking"]["acts"] is None]
    assert 0.05 < len(unknown_story) / len(people) < 0.3


def test_a_small_demo_still_covers_every_state() -> None:
    states = dist.states_for(random.Random(2), 100)
    assert set(states) == set(dist.STATE_WEIGHTS)


@pytest.mark.django_db
def test_the_demo_analysts_see_figures(settings: Any) -> None:
    """At most a quarter of the headline and breakdown cells suppressed (k = 11) for the Thai
    analyst and the regional analyst, on a demo of a few thousand cases (the default demo is
    larger still: benchmarks/demo_load.py measures it)."""
    from npp.web import demo
    from npp.web.accounts.models import User
    from npp.web.demo.disclosure import suppressed

    settings.DEMO = True
    settings.NPP_STATISTICS_K = 11
    demo.load(3000)
    for name in ("demo-analyst", "demo-analyst-regional"):
        share = suppressed(User.objects.get(username=name))
        assert share.cells >= 24
        assert share.ratio <= 0.25, (name, share)
    regional = suppressed(User.objects.get(username="demo-analyst-regional"))
    assert regional.cells > suppressed(User.objects.get(username="demo-analyst")).cells
