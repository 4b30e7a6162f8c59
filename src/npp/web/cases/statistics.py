"""Aggregates for analysts and supervisors: counts only, never a case or a person.

Small counts identify people, so every figure goes through the dashboard's disclosure policy
(``NPP_STATISTICS_K``, default 11, rounding to 5) with complementary suppression in each
column. Counts below ``k`` read ``<k`` — zeros too, so that an empty cell cannot be told
from a small one (issue 15: one post-conviction case whose relief was refused must not show
as "protective 0, punitive <11"). This is the one reader of cases outside
:mod:`npp.web.access`, and it returns numbers only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from npp.analytics.disclosure import Policy, protect
from npp.web.accounts.models import OrgKind
from npp.web.cases.models import Case, CaseEvent, CaseOffence
from npp.web.cases.present import OUTCOMES, offence_label
from npp.web.cases.vocab import PROTECTIVE, PUNITIVE, STAGE_LABELS
from npp.web.roles import Role


def policy() -> Policy:
    """The dashboard's ``k`` and rounding (one rule for every figure an analyst sees), with
    zeros hidden: this page has no filters, but "0" beside "<k" in a row would tell which
    of two decisions a lone person got. (It is not perturbed, whatever the dashboard does.)"""
    from npp.web.monitoring.queries import policy_from

    p = policy_from()
    return Policy(k=p.k, base=p.base, hide_zeros=True)


def min_count() -> int:
    return policy().k


def safe(n: int, pol: Policy | None = None) -> str:
    """One stand-alone publishable count: ``<k`` below the threshold, else rounded."""
    pol = pol or policy()
    shown = pol.count(n)
    return f"<{pol.k}" if shown is None else str(shown)


def _protected(
    rows: list[str], columns: dict[str, list[int]], pol: Policy, base: str | None = None
) -> list[list[str]]:
    """A table's cells: suppressed below ``k`` (zeros too), complementary suppression in
    each column (its total can be worked out from the dashboard), rounded."""
    if not rows:
        return []
    frame = pl.DataFrame({"_row": rows, **columns})
    out = protect(frame, list(columns), base_count=base, policy=pol).frame
    return [
        [r["_row"]] + [f"<{pol.k}" if r[c] is None else str(r[c]) for c in columns]
        for r in out.iter_rows(named=True)
    ]


def scope(user: Any) -> tuple[QuerySet[Case], str]:
    org = user.organisation
    if user.role == Role.SUPERVISOR:
        return Case.objects.filter(organisation=org), str(org.name)
    if org is None or org.kind == OrgKind.REGIONAL:
        return Case.objects.all(), _("all states")
    return Case.objects.filter(jurisdiction=org.jurisdiction), org.jurisdiction


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
            "rows": _protected(
                [str(label) for label in STAGE_LABELS.values()],
                {
                    "cases": [len(by_stage[c]) for c in STAGE_LABELS],
                    "potential": [len(pv_stage[c]) for c in STAGE_LABELS],
                },
                pol,
                base="cases",
            ),
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
            "rows": _protected(
                [offence_label(cat) for cat in sorted(grid)],
                {o: [len(grid[cat][o]) for cat in sorted(grid)] for o in outcome_codes},
                pol,
            ),
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
            "rows": _protected(
                [str(label) for label in STAGE_LABELS.values()],
                {
                    "protective": [len(protected[c]) for c in STAGE_LABELS],
                    "punitive": [len(punished[c]) for c in STAGE_LABELS],
                },
                pol,
            ),
        }
    )
    tables.append(
        {
            "title": _("Cases by province"),
            "header": [_("Province"), _("Cases")],
            "rows": _protected(
                sorted(by_prov), {"cases": [len(by_prov[p]) for p in sorted(by_prov)]}, pol
            ),
        }
    )
    return {
        "tables": tables,
        "scope": where,
        "min_count": pol.k,
        "round_to": pol.base,
        "note": pol.describe(),
    }
