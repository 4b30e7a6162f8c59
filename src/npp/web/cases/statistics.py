"""Aggregates for analysts and supervisors: counts only, never a case or a person.

Small counts identify people, so every cell under ``NPP_STATISTICS_K`` (default 11) is
suppressed and the others are rounded to the nearest 5 (CTDC practice, anchors §4). This is
the one reader of cases outside :mod:`npp.web.access`, and it returns numbers only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from npp.web.accounts.models import OrgKind
from npp.web.cases.models import Case, CaseEvent, CaseOffence
from npp.web.cases.present import OUTCOMES, offence_label
from npp.web.cases.vocab import PROTECTIVE, PUNITIVE, STAGE_LABELS
from npp.web.roles import Role

ROUND_TO = 5


def min_count() -> int:
    """The same threshold as the monitoring dashboard (``NPP_STATISTICS_K``, default 11):
    one disclosure policy for every figure an analyst sees."""
    from npp.web.monitoring.queries import policy_from

    return policy_from().k


def safe(n: int) -> str:
    """A publishable count: suppressed below the threshold, else rounded."""
    k = min_count()
    if n == 0:
        return "0"
    if n < k:
        return f"<{k}"
    return str(int(ROUND_TO * round(n / ROUND_TO)))


def scope(user: Any) -> tuple[QuerySet[Case], str]:
    org = user.organisation
    if user.role == Role.SUPERVISOR:
        return Case.objects.filter(organisation=org), str(org.name)
    if org is None or org.kind == OrgKind.REGIONAL:
        return Case.objects.all(), _("all states")
    return Case.objects.filter(jurisdiction=org.jurisdiction), org.jurisdiction


def statistics_tables(user: Any) -> dict[str, Any]:
    cases, where = scope(user)
    tables = []
    by_stage = {r["stage"]: r for r in cases.values("stage").annotate(n=Count("id"))}
    pv_stage = {
        r["stage"]: r["n"]
        for r in cases.filter(potential_victim=True).values("stage").annotate(n=Count("id"))
    }
    tables.append(
        {
            "title": _("Cases by stage"),
            "header": [_("Stage"), _("Cases"), _("Potential victims")],
            "rows": [
                [str(label), safe(by_stage.get(code, {}).get("n", 0)), safe(pv_stage.get(code, 0))]
                for code, label in STAGE_LABELS.items()
            ],
        }
    )
    offences = CaseOffence.objects.filter(case__in=cases)
    outcome_codes = list(OUTCOMES)
    grid: dict[str, Counter[str]] = {}
    for r in offences.values("category", "outcome").annotate(n=Count("id")):
        grid.setdefault(r["category"], Counter())[r["outcome"]] += r["n"]
    tables.append(
        {
            "title": _("Assessment outcomes by offence"),
            "header": [_("Offence")] + [str(OUTCOMES[o][0]) for o in outcome_codes],
            "rows": [
                [offence_label(cat)] + [safe(grid[cat].get(o, 0)) for o in outcome_codes]
                for cat in sorted(grid)
            ],
        }
    )
    events = CaseEvent.objects.filter(case__in=cases.filter(potential_victim=True), kind="decision")
    punished: Counter[str] = Counter()
    protected: Counter[str] = Counter()
    for r in events.values("stage", "decision").annotate(n=Count("case", distinct=True)):
        if r["decision"] in PUNITIVE:
            punished[r["stage"]] += r["n"]
        elif r["decision"] in PROTECTIVE:
            protected[r["stage"]] += r["n"]
    tables.append(
        {
            "title": _("Potential victims: protective and punitive decisions, by stage"),
            "header": [
                _("Stage"),
                _("Protective decisions"),
                _("Charged, prosecuted, convicted or sentenced"),
            ],
            "rows": [
                [str(label), safe(protected.get(code, 0)), safe(punished.get(code, 0))]
                for code, label in STAGE_LABELS.items()
            ],
        }
    )
    by_prov = Counter(r["province"] or "—" for r in cases.values("province"))
    tables.append(
        {
            "title": _("Cases by province"),
            "header": [_("Province"), _("Cases")],
            "rows": [[p, safe(n)] for p, n in sorted(by_prov.items())],
        }
    )
    return {"tables": tables, "scope": where, "min_count": min_count(), "round_to": ROUND_TO}
