"""Meta-tests: every citation resolves, every code has a label, the vocabulary matches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from npp.assessment import engine as engine_module
from npp.law.knowledge import KnowledgeBase

CONTRACT_VOCAB = Path(__file__).resolve().parents[3] / "shared" / "contract" / "vocabulary.yaml"


def test_every_engine_citation_constant_resolves(kb: KnowledgeBase) -> None:
    ids = [
        v
        for k, v in vars(engine_module).items()
        if k.isupper()
        and isinstance(v, str)
        and (v.startswith(("int.", "asean.", "S")) and " " not in v)
    ]
    assert ids
    for cid in ids:
        assert kb.can_cite(cid), cid


def test_every_evidence_source_is_in_the_register(kb: KnowledgeBase) -> None:
    for ins in kb.instruments.values():
        for src in ins.evidence.sources:
            assert src in kb.sources
        for p in ins.provisions:
            for src in p.evidence.sources:
                assert src in kb.sources


def test_every_code_has_a_label(kb: KnowledgeBase) -> None:
    v = kb.vocabulary
    for code in v.offence_categories:
        assert kb.offences[code].label
    for table in (
        v.stages,
        v.provision_models,
        v.protection_outcomes,
        v.risk_flags,
        v.jurisdictions,
    ):
        assert all(label.strip() for label in table.values())


def test_every_provision_citation_has_instrument_and_dates_or_a_note(kb: KnowledgeBase) -> None:
    for pid in kb.provisions:
        c = kb.cite(pid)
        assert c.instrument
        ins, p = kb.provisions[pid]
        assert c.in_force_from or ins.dates_note or p.dates_note, pid


@pytest.mark.skipif(not CONTRACT_VOCAB.exists(), reason="shared contract not present")
def test_our_vocabulary_has_every_code_of_the_contract() -> None:
    raw = (
        CONTRACT_VOCAB.read_text(encoding="utf-8")
        .replace(
            "not_indicated: no trafficking indicators: the principle",
            'not_indicated: "no trafficking indicators: the principle',
        )
        .replace("not engaged on these facts\n", 'not engaged on these facts"\n', 1)
    )
    theirs = yaml.safe_load(raw)
    ours = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "knowledge" / "vocabulary.yaml").read_text(
            encoding="utf-8"
        )
    )
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert set(value) <= set(ours[key]), key
        else:
            assert set(value) <= set(ours[key]), key
