"""The referral policy as data: which referrals transfer responsibility, and which decisions a
service referral's receiver may record (``referral_rules.yaml``, shown in docs/referrals.md).

:mod:`npp.web.access` applies it; nothing else reads the YAML. Loading is strict: an unknown
organisation kind, stage or decision code is an error naming where it is, so a typo cannot
silently take a right away or grant one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from npp.web.accounts.models import OrgKind
from npp.web.cases.vocab import DECISION_LABELS, STAGE_CODES

PATH = Path(__file__).with_name("referral_rules.yaml")
ANY_STAGE = "any"


class RulesError(ValueError):
    """The rules file is not valid; the message names the key and the problem."""


@dataclass(frozen=True)
class Rules:
    chain: frozenset[tuple[str, str]]
    service: dict[str, dict[str, frozenset[str]]]

    def suggested_kind(self, from_kind: str, to_kind: str) -> str:
        """``transfer`` for the next link of the chain, ``service`` for everything else."""
        return "transfer" if (from_kind, to_kind) in self.chain else "service"

    def service_decisions(self, org_kind: str, stage: str) -> frozenset[str]:
        """What a service referral's receiver of ``org_kind`` may record at ``stage``."""
        table = self.service.get(org_kind, {})
        return table.get(ANY_STAGE, frozenset()) | table.get(stage, frozenset())


def parse(data: Any) -> Rules:
    """Validate the YAML structure against the vocabularies (raises :class:`RulesError`)."""
    kinds = set(OrgKind.values)
    if not isinstance(data, dict) or set(data) != {"transfer_chain", "service_decisions"}:
        raise RulesError("(top level): needs exactly transfer_chain and service_decisions")
    chain: set[tuple[str, str]] = set()
    for i, link in enumerate(data["transfer_chain"] or []):
        if not (isinstance(link, list) and len(link) == 2 and set(link) <= kinds):
            raise RulesError(f"transfer_chain -> {i}: must be [from kind, to kind] of {kinds}")
        chain.add((link[0], link[1]))
    service: dict[str, dict[str, frozenset[str]]] = {}
    table = data["service_decisions"]
    if not isinstance(table, dict) or set(table) != kinds:
        raise RulesError(f"service_decisions: must list every organisation kind {sorted(kinds)}")
    for kind, stages in table.items():
        if not isinstance(stages, dict):
            raise RulesError(f"service_decisions -> {kind}: must be a mapping of stages")
        service[kind] = {}
        for stage, codes in stages.items():
            if stage != ANY_STAGE and stage not in STAGE_CODES:
                raise RulesError(f"service_decisions -> {kind} -> {stage}: unknown stage")
            unknown = [c for c in codes or [] if c not in DECISION_LABELS]
            if unknown:
                raise RulesError(
                    f"service_decisions -> {kind} -> {stage}: unknown decision {unknown[0]}"
                )
            service[kind][stage] = frozenset(codes or [])
    return Rules(frozenset(chain), service)


@cache
def rules() -> Rules:
    return parse(yaml.safe_load(PATH.read_text(encoding="utf-8")))


def markdown_table(r: Rules | None = None) -> str:
    """The service-decision table as Markdown (docs/referrals.md embeds it; a test compares)."""
    r = r or rules()
    lines = ["| Organisation kind | Stage | Decisions it may record |", "|---|---|---|"]
    for kind in OrgKind.values:
        stages = r.service.get(kind, {})
        if not any(stages.values()):
            lines.append(f"| {kind} | — | nothing (only follow-up of its referral) |")
            continue
        for stage in (ANY_STAGE, *STAGE_CODES):
            codes = stages.get(stage)
            if codes:
                where = "any stage" if stage == ANY_STAGE else stage
                lines.append(f"| {kind} | {where} | {', '.join(sorted(codes))} |")
    return "\n".join(lines)
