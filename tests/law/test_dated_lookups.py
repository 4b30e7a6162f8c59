"""Law changes over time; lookups must give the law in force on the date asked."""

from __future__ import annotations

import datetime as dt

from npp.law.knowledge import KnowledgeBase


def test_viet_nam_before_and_after_law_53_2024(kb: KnowledgeBase) -> None:
    before = kb.domestic_instruments("VN", dt.date(2021, 6, 30))
    after = kb.domestic_instruments("VN", dt.date(2026, 1, 1))
    assert before and after
    assert {i.id for i in before}.isdisjoint({i.id for i in after if "53" in i.title})
    assert kb.primary_provision("VN", dt.date(2021, 6, 30)) is None
    assert kb.primary_provision("VN", dt.date(2026, 1, 1)) is not None


def _capital(kb: KnowledgeBase, day: dt.date) -> set[str]:
    return {p.capital.in_law for p in kb.penalties("MY", "drugs.trafficking", day)}


def test_malaysia_drug_death_penalty_mandatory_before_4_july_2023_discretionary_after(
    kb: KnowledgeBase,
) -> None:
    assert _capital(kb, dt.date(2023, 7, 3)) == {"mandatory"}
    assert _capital(kb, dt.date(2023, 7, 4)) == {"discretionary"}


def test_philippine_law_history_links_ra_9208_and_its_amendments(kb: KnowledgeBase) -> None:
    text = " ".join(h.event for i in kb.domestic_instruments("PH") for h in i.history) + " ".join(
        i.title for i in kb.domestic_instruments("PH")
    )
    for ra in ("9208", "10364", "11862"):
        assert ra in text


def test_myanmar_2005_law_gives_way_to_the_2022_law(kb: KnowledgeBase) -> None:
    old = {i.id for i in kb.domestic_instruments("MM", dt.date(2010, 1, 1))}
    new = {i.id for i in kb.domestic_instruments("MM", dt.date(2023, 1, 1))}
    assert old and new and old != new


def test_brunei_2004_order_gives_way_to_the_2019_order(kb: KnowledgeBase) -> None:
    old = kb.domestic_instruments("BN", dt.date(2010, 1, 1))
    new = kb.domestic_instruments("BN", dt.date(2024, 1, 1))
    assert any("2004" in i.title for i in old)
    assert any("2019" in i.title for i in new)
    assert kb.primary_provision("BN", dt.date(2010, 1, 1)) is None


def test_a_provision_outside_its_window_is_not_in_force(kb: KnowledgeBase) -> None:
    for ins in kb.instruments.values():
        for p in ins.provisions:
            if p.in_force_to is not None:
                assert not p.in_force_on(p.in_force_to + dt.timedelta(days=1))
