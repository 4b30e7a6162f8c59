"""Provisions are cited as the instrument numbers them ("Art. 14", "s. 41"): data on each
instrument (``provision_label``), not a list of civil-law states in the code."""

from __future__ import annotations

from typing import Any

import pytest

from npp.law.knowledge import KnowledgeBase, section_label
from npp.law.model import Instrument

EVIDENCE = {"sources": ["S1"], "confidence": "M", "verified": False}


def _instrument(**fields: Any) -> Instrument:
    base = {
        "id": "zz.act",
        "title": "A test act",
        "short_title": "Test Act",
        "level": "domestic",
        "kind": "statute",
        "jurisdiction": "TH",
        "binding_force": "binding",
        "requires": "nothing",
        "evidence": EVIDENCE,
        "provisions": [
            {
                "id": "zz.act.p9",
                "section": "9(2)",
                "kind": "other",
                "text": "test",
                "text_status": "paraphrase",
                "evidence": EVIDENCE,
            }
        ],
    }
    return Instrument.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"provision_label": "section"}, "s. 9(2)"),
        ({"provision_label": "article"}, "Art. 9(2)"),
        # A foreign statute numbered in sections (the UK Modern Slavery Act, say).
        ({"level": "foreign", "jurisdiction": None, "provision_label": "section"}, "s. 9(2)"),
        # Treaties and other instruments number articles unless they say otherwise.
        ({"level": "international", "kind": "treaty", "jurisdiction": None}, "Art. 9(2)"),
    ],
)
def test_the_label_is_the_instruments_own(fields: dict[str, Any], label: str) -> None:
    ins = _instrument(**fields)
    assert section_label(ins, ins.provisions[0]) == label


def test_the_jurisdiction_does_not_decide_the_label() -> None:
    ins = _instrument(jurisdiction="VN", provision_label="section")
    assert section_label(ins, ins.provisions[0]) == "s. 9(2)"


def test_domestic_law_must_say_how_it_numbers_provisions() -> None:
    with pytest.raises(ValueError, match="provision_label is required for domestic law"):
        _instrument()


def test_every_domestic_instrument_says_it(kb: KnowledgeBase) -> None:
    domestic = [i for i in kb.instruments.values() if i.level == "domestic"]
    assert {i.jurisdiction for i in domestic} == set(kb.vocabulary.jurisdictions)
    by_label = {
        label: {i.jurisdiction for i in domestic if i.provision_label == label}
        for label in ("article", "section")
    }
    # Civil-law states number articles; the common-law and Thai statutes number sections.
    assert by_label["article"] == {"ID", "KH", "LA", "VN"}
    assert by_label["section"] == {"BN", "MM", "MY", "PH", "SG", "TH"}
    assert section_label(*kb.provisions["th.atipa-2008.s41"]) == "s. 41"
