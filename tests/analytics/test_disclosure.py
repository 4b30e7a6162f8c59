"""Small-cell suppression, complementary suppression and rounding (npp.analytics.disclosure)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npp.analytics.disclosure import Policy, aggregate, protect, protect_median, share


def test_policy_rounds_to_nearest_base_and_suppresses_small_counts() -> None:
    p = Policy()
    assert (p.k, p.base) == (11, 5)
    assert [p.count(n) for n in (0, 1, 10, 11, 12, 13, 102)] == [0, None, None, 10, 10, 15, 100]
    with pytest.raises(ValueError):
        Policy(k=1)


def test_a_single_small_cell_takes_a_second_cell_with_it() -> None:
    frame = pl.DataFrame({"g": ["a", "b", "c", "d"], "n": [3, 40, 25, 100]})
    out = protect(frame, ["n"])
    assert out.frame["n"].to_list() == [None, 40, None, 100]
    assert (out.primary, out.complementary) == (1, 1)


def test_row_suppression_follows_the_base_count() -> None:
    frame = pl.DataFrame({"g": ["a", "b", "c"], "persons": [4, 50, 60], "punished": [0, 20, 30]})
    out = protect(frame, ["persons", "punished"], base_count="persons")
    rows = out.frame.to_dicts()
    assert rows[0]["persons"] is None and rows[0]["punished"] is None  # "0 of 4" is withheld
    assert rows[1]["persons"] is None  # complementary: the base could be recovered from the total


def test_zero_is_shown_and_never_used_as_complement() -> None:
    frame = pl.DataFrame({"g": ["a", "b", "c", "d"], "n": [0, 5, 30, 30]})
    out = protect(frame, ["n"])
    assert out.frame["n"].to_list()[0] == 0
    assert out.frame["n"].to_list()[1] is None


def test_shares_use_published_counts_only() -> None:
    assert share(10, 40) == 25
    assert share(None, 40) is None
    assert share(10, 0) is None


def test_median_needs_k_values() -> None:
    assert protect_median(list(range(10))) is None
    assert protect_median(list(range(11))) == 5


def test_aggregate_counts_persons_and_measures() -> None:
    micro = pl.DataFrame(
        {"state": ["TH"] * 30 + ["BN"] * 2, "punished": [True] * 12 + [False] * 18 + [True, False]}
    )
    out = aggregate(micro, ["state"], {"punished": pl.col("punished")})
    rows = {r["state"]: r for r in out.frame.to_dicts()}
    assert rows["BN"]["persons"] is None and rows["BN"]["punished"] is None
    # TH is the only other cell, so it is suppressed too: BN = total - TH otherwise.
    assert rows["TH"]["persons"] is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12),
    st.integers(min_value=2, max_value=20),
)
def test_no_published_cell_is_small_and_no_hidden_cell_is_recoverable(
    counts: list[int], k: int
) -> None:
    pol = Policy(k=k, base=5)
    frame = pl.DataFrame({"g": [str(i) for i in range(len(counts))], "n": counts})
    shown = protect(frame, ["n"], policy=pol).frame["n"].to_list()
    hidden = [c for c, s in zip(counts, shown, strict=True) if s is None]
    for c, s in zip(counts, shown, strict=True):
        if s is not None:
            assert c == 0 or c >= k  # never a published figure about fewer than k persons
            assert s % 5 == 0 and abs(s - c) <= 2
    if hidden:
        # At least two hidden cells holding at least k persons (or everything hidden),
        # so subtracting the published cells from the total never isolates one cell.
        assert len(hidden) >= 2 or len(hidden) == len([c for c in counts if c > 0])
        assert sum(hidden) >= k or len(hidden) == len([c for c in counts if c > 0])


def test_a_perturbed_policy_is_consistent_and_bounded() -> None:
    """The optional cell-key perturbation (NPP_STATISTICS_NOISE): the same persons always get
    the same figure; the noise never exceeds its bound; small counts and zeros are hidden."""
    from npp.analytics.disclosure import Policy

    pol = Policy(k=11, base=1, noise=2, secret=b"0123456789abcdef0123")
    keys = pol.record_keys
    for n in range(11, 80):
        ids = list(range(n))
        first = pol.cell(n, keys.cell(ids))
        assert first == pol.cell(n, keys.cell(list(reversed(ids))))
        assert first is None or abs(first - n) <= 2
    assert {pol.cell(n, keys.cell(list(range(n)))) for n in (0, 1, 10)} == {None}
    assert pol.interval(None) == (0, 12)
