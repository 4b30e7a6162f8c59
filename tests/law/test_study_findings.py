"""The study's findings must hold in the data (shared/seed, executive summary)."""

from __future__ import annotations

import datetime as dt

import pytest

from npp.law.compare import matrix
from npp.law.knowledge import KnowledgeBase

# The study describes the law before Viet Nam's Law 53/2024/QH15 came into force.
STUDY_DAY = dt.date(2024, 6, 30)
TODAY = dt.date(2026, 1, 1)

MODELS = {
    "BN": "causation",
    "LA": "causation",
    "MY": "causation",
    "MM": "causation",
    "PH": "causation",
    "ID": "compulsion",
    "TH": "ministerial_permission",
}


def _model(kb: KnowledgeBase, cc: str, day: dt.date) -> str:
    ip = kb.primary_provision(cc, day)
    if ip is None:
        return "none"
    np = ip[1].non_punishment
    assert np is not None
    return np.model.value


def test_seven_of_ten_states_have_a_provision_at_the_time_of_the_study(kb: KnowledgeBase) -> None:
    have = [cc for cc in kb.vocabulary.jurisdictions if kb.primary_provision(cc, STUDY_DAY)]
    assert sorted(have) == sorted(MODELS)


@pytest.mark.parametrize("cc,model", sorted(MODELS.items()))
def test_each_state_uses_the_model_the_study_gives(kb: KnowledgeBase, cc: str, model: str) -> None:
    assert _model(kb, cc, STUDY_DAY) == model
    assert _model(kb, cc, TODAY) == model


@pytest.mark.parametrize("cc", ["KH", "SG", "VN"])
def test_cambodia_singapore_and_viet_nam_had_no_provision(kb: KnowledgeBase, cc: str) -> None:
    assert _model(kb, cc, STUDY_DAY) == "none"


def test_viet_nam_has_a_discretionary_causation_provision_from_1_july_2025(
    kb: KnowledgeBase,
) -> None:
    assert kb.primary_provision("VN", dt.date(2025, 6, 30)) is None
    ip = kb.primary_provision("VN", dt.date(2025, 7, 1))
    assert ip is not None
    np = ip[1].non_punishment
    assert np is not None
    assert np.model.value == "causation" and np.discretionary
    assert not ip[1].evidence.verified  # article known only from secondary sources


def test_only_indonesia_and_the_philippines_are_unlimited_in_offences(kb: KnowledgeBase) -> None:
    unlimited = []
    for cc in MODELS:
        ip = kb.primary_provision(cc, STUDY_DAY)
        assert ip is not None and ip[1].non_punishment is not None
        if ip[1].non_punishment.offences == "all":
            unlimited.append(cc)
    assert sorted(unlimited) == ["ID", "PH"]


SCOPES = {
    # immigration and document-related (BN, MY); illegal immigration and prostitution (LA);
    # immigration, prostitution, document or work-related (TH); trafficking offences (MM).
    "BN": {"immigration", "document"},
    "MY": {"immigration", "document"},
    "LA": {"immigration", "prostitution"},
    "TH": {"immigration", "prostitution", "document", "labour"},
    "MM": {"trafficking_in_persons"},
}


@pytest.mark.parametrize("cc,groups", sorted(SCOPES.items()))
def test_listed_offence_scopes_are_as_the_study_gives(
    kb: KnowledgeBase, cc: str, groups: set[str]
) -> None:
    ip = kb.primary_provision(cc, STUDY_DAY)
    assert ip is not None and ip[1].non_punishment is not None
    offences = ip[1].non_punishment.offences
    assert isinstance(offences, list)
    assert {code.split(".")[0] for code in offences} == groups


def test_thailand_section_41_is_verified_and_needs_the_ministers_permission(
    kb: KnowledgeBase,
) -> None:
    ip = kb.primary_provision("TH", STUDY_DAY)
    assert ip is not None
    _, p = ip
    assert p.section == "41" and p.evidence.verified
    assert p.non_punishment is not None and "Minister of Justice" in p.non_punishment.decides
    assert "drugs.trafficking" not in p.non_punishment.offences


def test_matrix_follows_contract_section_2(kb: KnowledgeBase) -> None:
    rows = matrix(kb, TODAY)
    assert [r["jurisdiction"] for r in rows] == list(kb.vocabulary.jurisdictions)
    for r in rows:
        for key in (
            "jurisdiction",
            "has_provision",
            "model",
            "instrument",
            "section",
            "offences",
            "victims",
            "citation",
        ):
            assert key in r
        assert r["offences"] == "all" or isinstance(r["offences"], list)
        assert r["model"] in kb.vocabulary.provision_models
