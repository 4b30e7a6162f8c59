"""Aggregates for analysts and supervisors: counts only, never a case or a person.

Small counts identify people, so every figure goes through the dashboard's disclosure policy
(:func:`npp.web.monitoring.queries.policy_from`: ``NPP_STATISTICS_K``, default 11, rounding
to 5, cell-key perturbation of at most ``NPP_STATISTICS_NOISE``, default 2). Counts below
``k`` read ``<k`` — zeros too, so that an empty cell cannot be told from a small one (issue
15: one post-conviction case whose relief was refused must not show as "protective 0,
punitive <11"). This is the one reader of cases outside :mod:`npp.web.access`, and it
returns numbers only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from npp.analytics.disclosure import Policy
from npp.web.accounts.models import OrgKind
from npp.web.cases.models import Case, CaseEvent, CaseOffence
from npp.web.cases.present import OUTCOMES, offence_label
from npp.web.cases.vocab import PROTECTIVE, PUNITIVE, STAGE_LABELS
from npp.web.roles import Role


def policy() -> Policy:
    """The same policy as the monitoring dashboard: one rule for every figure an analyst sees."""
    from npp.web.monitoring.queries import policy_from

    return policy_from()


def min_count() -> int:
    return policy().k


def safe(n: int, case_ids: Iterable[int] = (), pol: Policy | None = None) -> str:
    """A publishable count of the cases ``case_ids`` (``n`` of them): ``<k`` below the
    threshold (zero included when the policy perturbs), else perturbed and rounded."""
    pol = pol or policy()
    ids = list(case_ids)
    shown = pol.cell(n, pol.record_keys.cell(ids)) if pol.perturbed else pol.count(n)
    return f"<{pol.k}" if shown is None else str(shown)


def scope(user: Any) -> tuple[QuerySet[Case], str]:
    org = user.organisation
    if user.role == Role.SUPERVISOR:
        return Case.objects.filter(organisation=org), str(org.name)
    if org is None or org.kind == OrgKind.REGIONAL:
        return Case.objects.all(), _("all states")
    return Case.objects.filter(jurisdiction=org.jurisdiction), org.jurisdiction


def _cell(pol: Policy, ids: set[int]) -> str:
    return safe(len(ids), ids, pol)


def statistics_tables(user: Any) -> dict[str, Any]:
    pol = policy()
    cases, where = scope(user)
    tables = []
    by_stage: dict[str, set[int]] = defaultdict(set)
    pv_stage: dict[str, set[int]] = defaultdict(set)
    by_prov: dict[str, set[int]] = defaultdict(set)
    for pk, stage, potential, province in cases.values_list(
        "pk", "stage", "potential_victim", "province"
    ):
        by_stage[stage].add(pk)
        if potential:
            pv_stage[stage].add(pk)
        by_prov[province or "—"].add(pk)
    tables.append(
        {
            "title": _("Cases by stage"),
            "header": [_("Stage"), _("Cases"), _("Potential victims")],
            "rows": [
                [str(label), _cell(pol, by_stage[code]), _cell(pol, pv_stage[code])]
                for code, label in STAGE_LABELS.items()
            ],
        }
    )
    outcome_codes = list(OUTCOMES)
    grid: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    offences = CaseOffence.objects.filter(case__in=cases)
    for pk, category, outcome in offences.values_list("case_id", "category", "outcome"):
        grid[category][outcome].add(pk)
    tables.append(
        {
            "title": _("Assessment outcomes by offence"),
            "header": [_("Offence")] + [str(OUTCOMES[o][0]) for o in outcome_codes],
            "rows": [
                [offence_label(cat)] + [_cell(pol, grid[cat][o]) for o in outcome_codes]
                for cat in sorted(grid)
            ],
        }
    )
    events = CaseEvent.objects.filter(case__in=cases.filter(potential_victim=True), kind="decision")
    punished: dict[str, set[int]] = defaultdict(set)
    protected: dict[str, set[int]] = defaultdict(set)
    for pk, stage, decision in events.values_list("case_id", "stage", "decision").distinct():
        if decision in PUNITIVE:
            punished[stage].add(pk)
        elif decision in PROTECTIVE:
            protected[stage].add(pk)
    tables.append(
        {
            "title": _("Potential victims: protective and punitive decisions, by stage"),
            "header": [
                _("Stage"),
                _("Protective decisions"),
                _("Charged, prosecuted, convicted or sentenced"),
            ],
            "rows": [
                [str(label), _cell(pol, protected[code]), _cell(pol, punished[code])]
                for code, label in STAGE_LABELS.items()
            ],
        }
    )
    tables.append(
        {
            "title": _("Cases by province"),
            "header": [_("Province"), _("Cases")],
            "rows": [[p, _cell(pol, ids)] for p, ids in sorted(by_prov.items())],
        }
    )
    return {
        "tables": tables,
        "scope": where,
        "min_count": pol.k,
        "round_to": pol.base,
        "noise": pol.noise,
        "note": pol.describe(),
    }
