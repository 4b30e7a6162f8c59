"""Attacks on the published statistics (issue 15, part B), written before the defence.

Each test plays an analyst who knows the published disclosure rules (k, the rounding base,
whether zeros are shown, whether suppressed cells may be large because of complementary
suppression, the bound of any perturbation) and reads only what the dashboard, the
statistics page and the de-identified export publish. Two published figures about a
population and a sub-population that differ by one rare person DISCLOSE something about
that person when they prove the larger count exceeds the smaller one:

- both are published and differ: publication is a function of the persons counted, so
  different figures mean different persons (this also holds for a consistent perturbation);
- or the intervals of true counts the two published values can come from do not overlap
  (:func:`interval`, e.g. "suppressed" meaning 1..10 beside a published 0).

The defence must leave every such inference open (docs/statistics-privacy.md).
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest

from npp.web.monitoring import queries

from .test_monitoring import add_facts

pytestmark = pytest.mark.django_db


def interval(policy: Any, value: int | None) -> tuple[float, float]:
    """The true counts a published cell can come from, given the published rules only."""
    k, base = policy.k, policy.base
    noise = getattr(policy, "noise", 0)
    zeros_hidden = getattr(policy, "zeros_hidden", False)
    if value is None:  # "suppressed": small, or any size if suppressed as a complement
        complementary = not noise  # the old rules always had complementary suppression
        return (0 if zeros_hidden else 1, math.inf if complementary else k - 1 + noise)
    if value == 0 and not zeros_hidden:
        return (0, 0)
    lo = math.ceil(value - base / 2)  # round(x) == value, halves up
    hi = math.ceil(value + base / 2) - 1
    return (max(k, lo - noise), hi + noise)


def proves_more(policy: Any, smaller: int | None, larger: int | None) -> bool:
    """True when the two published figures prove the larger population has more persons."""
    if smaller is not None and larger is not None and smaller != larger:
        return True
    return interval(policy, larger)[0] > interval(policy, smaller)[1]


def _figure(measure: str, **filters: Any) -> int | None:
    policy = queries.policy_from()
    f = queries.Filters.parse({k: str(v) for k, v in filters.items()}, None)
    return queries.kpis(f, policy)["figures"][measure]


# --------------------------------------------------------------------------- differencing

RARE = {"sex": ("female", "male"), "age_band": ("16-17", "50+"),
        "nationality": ("LA", "MM"), "offence": ("prostitution", "violence.homicide")}  # fmt: skip


@pytest.mark.parametrize("dimension", sorted(RARE))
def test_differencing_two_filter_combinations_does_not_single_out_a_rare_person(
    dimension: str,
) -> None:
    """22 punished persons share every attribute; one rare person differs in one dimension.
    The attacker compares 'punished' with no filter on that dimension against 'punished'
    filtered on the common value: the difference is the rare person."""
    common, rare = RARE[dimension]
    add_facts(22, start=1, flags={"punished": True})
    extra = {"offence": rare} if dimension == "offence" else {dimension: rare}
    add_facts(1, start=100, flags={"punished": True}, **extra)
    policy = queries.policy_from()
    everyone = _figure("punished")
    commoners = _figure("punished", **{dimension: common})
    assert not proves_more(policy, commoners, everyone), (commoners, everyone)
    # Nor through the breakdown by that dimension (the same published cells).
    by = "offence" if dimension == "offence" else dimension
    table = queries.breakdown(queries.Filters(), policy, by).frame
    row = table.filter(pl.col("group") == common)
    assert row.height == 0 or not proves_more(policy, row["punished"][0], everyone)


def test_differencing_adjacent_year_ranges_does_not_single_out_a_rare_person() -> None:
    """22 punished persons in 2020-2023, one in 2024: compare 2020-2023 with 2020-2024."""
    for year, n, start in ((2020, 6, 1), (2021, 6, 10), (2022, 5, 20), (2023, 5, 30)):
        add_facts(n, start=start, flags={"punished": True}, year=year)
    add_facts(1, start=100, flags={"punished": True}, year=2024)
    policy = queries.policy_from()
    before = _figure("punished", year_from=2020, year_to=2023)
    with_2024 = _figure("punished", year_from=2020, year_to=2024)
    assert not proves_more(policy, before, with_2024), (before, with_2024)
    # Single years are published (the trend table): 2024 and a complement are suppressed.
    years = [_figure("punished", year_from=y, year_to=y) for y in range(2020, 2025)]
    total = _figure("punished")
    known = sum(v for v in years if v is not None)
    assert years[-1] is None and sum(v is None for v in years) >= 2
    assert total is None or total - known >= policy.k - 2 * policy.base, (years, total)


def test_a_small_group_cannot_be_told_from_an_empty_one() -> None:
    """One rare person (male, 50+) is the only one filtered; 'punished' reads the same whether
    he was punished or not, and the same as for a combination nobody has."""
    add_facts(30, start=1, flags={"charged": True})
    add_facts(1, start=100, sex="male", age_band="50+", flags={"punished": True})
    policy = queries.policy_from()
    rare = _figure("punished", sex="male", age_band="50+")
    nobody = _figure("punished", sex="male", age_band="16-17")
    protected = _figure("protected", sex="male", age_band="50+")
    assert interval(policy, rare) == interval(policy, nobody) == interval(policy, protected)


def test_the_statistics_page_does_not_tell_zero_from_a_few(
    user_factory: Any, org_factory: Any, officer: Any, facts: dict[str, Any]
) -> None:
    """A single case at the post-conviction stage, whose relief was refused (punitive): the
    page must not show 'protective: 0' beside 'punitive: fewer than k'."""
    from npp.web.cases import actions
    from npp.web.cases.statistics import statistics_tables

    case = actions.do_create_case(officer, {**facts, "stage": "post_conviction"})
    assert case.potential_victim
    actions.do_record_decision(officer, case, "relief_refused", case.version, decided_by="Court")
    analyst = user_factory("stats", "analyst", org_factory("th-ministry", "ministry"))
    table = statistics_tables(analyst)["tables"][2]
    row = table["rows"][-1]  # post-conviction
    assert row[1] == row[2], row


# --------------------------------------------------------------------------- de-identified


def test_no_k_group_of_the_export_shares_one_outcome(analyst_scope: None) -> None:
    """Twelve persons share every quasi-identifier and were all punished: the export must not
    let anyone who knows one of them read 'punished' off their k-group."""
    from npp.web.monitoring.exchange import export_deidentified

    frame, _report = export_deidentified(None, k=11)
    assert frame.height > 0
    quasi = ["jurisdiction", "year", "sex", "age_band", "nationality", "sector", "offences"]
    for (key, group) in frame.group_by(quasi):  # fmt: skip
        for attr in ("punished", "charged", "protected", "convicted", "outcomes"):
            values = set(group[attr].cast(pl.Utf8).to_list())
            assert len(values) >= 2 or values == {"*"}, (key, attr, values)


@pytest.fixture
def analyst_scope(db: Any) -> None:
    add_facts(12, start=1, flags={"punished": True, "charged": True}, year=2023)
    add_facts(15, start=100, flags={"protected": True}, year=2024, sex="male", age_band="25-34")
    add_facts(4, start=200, flags={"punished": True}, year=2024, sex="male", age_band="25-34")


def test_the_dashboard_says_why_a_combination_is_not_published(
    client: Any, user_factory: Any, org_factory: Any
) -> None:
    from .conftest import login

    add_facts(30, start=1, flags={"punished": True})
    login(client, user_factory("regional", "analyst", org_factory("asean", "regional_body", "ID")))
    page = client.get("/monitoring/?sex=female&age_band=16-17").content.decode()
    assert 'data-testid="refusal"' in page and "Combinations of filters" in page
    page = client.get("/monitoring/?year_from=2020&year_to=2024").content.decode()
    assert "Year ranges are not published" in page
    page = client.get("/monitoring/?sex=female").content.decode()
    assert 'data-testid="narrowed"' in page
    assert client.get("/monitoring/download/breakdown.csv?sex=female").status_code == 200
