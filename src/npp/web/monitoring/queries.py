"""The dashboard's queries: SQL aggregation over the read model, then disclosure control.

Only a fixed, published set of tables leaves this module (issue 15): for the user's scope
(and a state, for a regional analyst), the headline figures, and one table per dimension
(breakdown), per year (trend), per decision and per time bucket. Each goes through
:mod:`npp.analytics.disclosure` (suppressed below ``k``, complementary suppression within
the table against its published total, rounded). A filter on ONE other dimension (or a
single year) selects that group's row of the dimension's table — the same cells, with the
same suppression, as the breakdown shows — so changing filters and subtracting cannot
recover a suppressed cell. Combinations of filters, year ranges, and tables under a filter
(which would be two-way tables) are not published: :meth:`Filters.refusal` says why.

An optional perturbation (``NPP_STATISTICS_NOISE``, the cell-key method; off by default)
computes each count with its cell key in SQL (:func:`_aggregates`); see
docs/statistics-privacy.md for why it is not the default. Views never query the fact tables
themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.utils import timezone

from npp.analytics.deidentify import AGE_BAND_CODES as AGE_BAND_CODES
from npp.analytics.disclosure import (
    KEY_MODULUS,
    Policy,
    Protected,
    add_share,
    key_column,
    protect,
    protect_median,
)
from npp.analytics.measures import SECTORS
from npp.web.cases.vocab import STAGE_CODES
from npp.web.monitoring.models import CaseFact, DecisionFact, OffenceFact

FILTERS = (
    "jurisdiction",
    "year_from",
    "year_to",
    "stage",
    "offence",
    "typology",
    "sex",
    "age_band",
    "nationality",
    "sector",
)
DIMENSIONS = (
    "jurisdiction",
    "stage",
    "offence",
    "typology",
    "sex",
    "age_band",
    "nationality",
    "sector",
    "province",
    "year",
)
SEXES = ("female", "male", "other", "unknown")
TYPOLOGIES = ("status", "consequential", "liberation", "trafficking", "unknown")
TIME_BUCKETS = (
    ("same_day", 0, 0),
    ("1_7", 1, 7),
    ("8_30", 8, 30),
    ("31_90", 31, 90),
    ("91_365", 91, 365),
    ("over_365", 366, None),
)
CASE_MEASURES = {
    "persons": None,
    "potential": Q(potential_victim=True),
    "identified": Q(identified=True),
    "charged": Q(charged=True),
    "protected": Q(protected=True),
    "punished": Q(punished=True),
    "identified_after_charge": Q(identified_after_charge=True),
}
OFFENCE_MEASURES = {
    "persons": None,
    "potential": Q(potential_victim=True),
    "charged": Q(charged=True),
    "protected": Q(protected=True),
    "punished": Q(punished=True),
}


def policy_from(k: Any = None) -> Policy:
    """The configured policy; a user may ask for a larger ``k``, never a smaller one."""
    base_k = max(2, int(getattr(settings, "NPP_STATISTICS_K", None) or _env("K", 11)))
    rounding = max(
        1, int(getattr(settings, "NPP_STATISTICS_ROUND_TO", None) or _env("ROUND_TO", 5))
    )
    try:
        asked = int(k) if k not in (None, "") else base_k
    except (TypeError, ValueError):
        asked = base_k
    k_used = max(base_k, min(asked, 1000))
    noise = max(0, int(getattr(settings, "NPP_STATISTICS_NOISE", None) or _env("NOISE", 0)))
    return Policy(k=k_used, base=rounding, noise=min(noise, k_used - 1), secret=_secret())


def _secret() -> bytes:
    """The perturbation's key, derived from the application's secret key (never shown)."""
    import hashlib
    import hmac

    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"npp statistics cell keys", hashlib.sha256
    ).digest()


def _env(name: str, default: int) -> int:
    """``NPP_STATISTICS_<name>`` from the environment (settings may also define it)."""
    raw = os.environ.get(f"NPP_STATISTICS_{name}", "").strip()
    return int(raw) if raw.isdigit() else default


@dataclass
class Filters:
    values: dict[str, Any] = field(default_factory=dict)
    scope: tuple[str, ...] | None = None  # jurisdictions the user may see; None = all

    @classmethod
    def parse(cls, data: Mapping[str, Any], scope: Iterable[str] | None) -> Filters:
        out: dict[str, Any] = {}
        allowed = _allowed()
        for name in FILTERS:
            raw = str(data.get(name) or "").strip()
            if not raw:
                continue
            if name in {"year_from", "year_to"}:
                if raw.isdigit() and 1990 <= int(raw) <= 2100:
                    out[name] = int(raw)
            elif name in allowed and raw not in allowed[name]:
                continue  # an unknown code filters nothing rather than failing
            else:
                out[name] = raw[:60]
        return cls(out, tuple(scope) if scope is not None else None)

    def narrowing(self) -> dict[str, Any]:
        """The filters that narrow the population below the scope (a state chosen by a
        regional analyst is part of the scope); a single year reads as ``year``."""
        out = {k: v for k, v in self.values.items() if k not in {"jurisdiction", "year_from",
                                                                   "year_to"}}  # fmt: skip
        years = (self.values.get("year_from"), self.values.get("year_to"))
        if years != (None, None):
            out["year"] = years[0] if years[0] == years[1] else years
        return out

    def refusal(self) -> str | None:
        """Why these filters select no published table, or ``None`` if they do."""
        narrowing = self.narrowing()
        if isinstance(narrowing.get("year"), tuple):
            return (
                "Year ranges are not published (two ranges a year apart would give that "
                "year's count): choose one year, or none."
            )
        if len(narrowing) > 1:
            return (
                "Combinations of filters are not published (comparing them could single a "
                "person out): choose at most one filter besides the state."
            )
        return None

    def without_narrowing(self) -> Filters:
        """The scope only (and a state for a regional analyst)."""
        keep = {k: v for k, v in self.values.items() if k == "jurisdiction"}
        return Filters(keep, self.scope)

    def query_string(self, **extra: Any) -> str:
        from urllib.parse import urlencode

        params = {**{k: v for k, v in self.values.items()}, **extra}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def apply(self, qs: QuerySet[Any], *, offence_table: bool = False) -> QuerySet[Any]:
        v = self.values
        if self.scope is not None:
            qs = qs.filter(jurisdiction__in=self.scope)
        for name in ("jurisdiction", "stage", "sex", "age_band", "nationality", "sector"):
            if name in v:
                qs = qs.filter(**{name: v[name]})
        if "year_from" in v:
            qs = qs.filter(year__gte=v["year_from"])
        if "year_to" in v:
            qs = qs.filter(year__lte=v["year_to"])
        if "typology" in v:
            qs = qs.filter(typology=v["typology"])
        if "offence" in v:
            if offence_table:
                qs = qs.filter(category=v["offence"])
            else:
                qs = qs.filter(
                    case_id__in=OffenceFact.objects.filter(category=v["offence"]).values("case_id")
                )
        return qs


def _allowed() -> dict[str, set[str]]:
    from npp import engine

    kb = engine().kb
    return {
        "jurisdiction": set(kb.vocabulary.jurisdictions),
        "stage": set(STAGE_CODES),
        "offence": set(kb.vocabulary.offence_categories),
        "typology": set(TYPOLOGIES),
        "sex": set(SEXES),
        "age_band": set(AGE_BAND_CODES),
        "sector": set(SECTORS),
    }


def _record_key(policy: Policy) -> ExpressionWrapper:
    """The record key of a fact row, in SQL: ``(case_id * a + b) mod KEY_MODULUS``."""
    rk = policy.record_keys
    return ExpressionWrapper(
        (F("case_id") * Value(rk.a) + Value(rk.b)) % Value(KEY_MODULUS),
        output_field=BigIntegerField(),
    )


def _aggregates(measures: Mapping[str, Q | None], policy: Policy | None = None) -> dict[str, Any]:
    """A count per measure and, for a perturbing policy, the sum of its record keys.

    The key sums come first: a count is named after the field its filter reads (``charged``
    counts ``charged=True``), and a later filter would read that count instead of the field.
    """
    out: dict[str, Any] = {}
    if policy is not None and policy.perturbed:
        for name, cond in measures.items():
            key = _record_key(policy)
            out[key_column(name)] = Sum(key) if cond is None else Sum(key, filter=cond)
    for name, cond in measures.items():
        out[name] = Count("pk") if cond is None else Count("pk", filter=cond)
    return out


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame({c: [] for c in columns})
    return pl.DataFrame(rows, infer_schema_length=None).select(columns)


HEADLINE_EXTRA = ("referred", "referral_completed", "referral_open", "referral_overdue")


def _headline_conditions() -> dict[str, Q | None]:
    today = timezone.localdate()
    conds: dict[str, Q | None] = dict(CASE_MEASURES)
    conds["referred"] = Q(referrals__gt=0)
    conds["referral_completed"] = Q(referrals_completed__gt=0)
    conds["referral_open"] = Q(referrals_open__gt=0)
    conds["referral_overdue"] = Q(next_due__lt=today)
    return conds


def _refused_figures() -> dict[str, Any]:
    names = [*_headline_conditions(), "median_days", "share_protected", "share_punished",
             "share_after_charge", "share_referral_completed"]  # fmt: skip
    return dict.fromkeys(names)


def _empty(columns: list[str], policy: Policy) -> Protected:
    """A table that is not published for these filters (no rows)."""
    frame = pl.DataFrame({c: [] for c in columns})
    return Protected(frame=frame, policy=policy, notes=["not published for these filters"])


def _group_row(filters: Filters, policy: Policy, conds: dict[str, Q | None]) -> dict[str, Any]:
    """The headline figures for ONE narrowing filter: that group's row of the published table
    of its dimension (complementary suppression within the table), so that the figure is
    the same cell, with the same suppression, as the breakdown shows."""
    ((name, value),) = filters.narrowing().items()
    base = filters.without_narrowing()
    if name == "offence":  # persons with the offence, against persons without it
        qs = base.apply(CaseFact.objects.all())
        with_it = OffenceFact.objects.filter(category=value).values("case_id")
        rows = [
            {"group": g, **qs.filter(cond).aggregate(**_aggregates(conds, policy))}
            for g, cond in (("with", Q(case_id__in=with_it)), ("without", ~Q(case_id__in=with_it)))
        ]
        target = "with"
    else:
        column = "year" if name == "year" else name
        rows = list(
            base.apply(CaseFact.objects.all())
            .values(column)
            .annotate(**_aggregates(conds, policy))
            .order_by(column)
        )
        rows = [{"group": str(r.pop(column)), **r} for r in rows]
        target = str(value)
    cols = ["group", *_columns("persons", conds, policy)[1:]]
    frame = _frame(rows, cols)
    table = protect(frame, list(conds), base_count="persons", policy=policy)
    found = table.frame.filter(pl.col("group") == target)
    if found.height == 0:  # nobody in that group
        return {c: policy.cell(0, 0) for c in conds}
    return {c: found[c][0] for c in conds}


def kpis(filters: Filters, policy: Policy) -> dict[str, Any]:
    """The headline figures and the time-to-identification table.

    Without a narrowing filter, each figure is the scope's total (protected on its own: the
    totals of every published table). With one, they are that group's row of its dimension's
    table (:func:`_group_row`); the time table and the median are then not published.
    """
    time_cols = ["bucket", "persons"]
    if filters.refusal():
        return {"figures": _refused_figures(), "time_to_identification": _empty(time_cols, policy)}
    conds = _headline_conditions()
    if filters.narrowing():
        shown = _group_row(filters, policy, conds)
        shown["median_days"] = None
        time_table = _empty(time_cols, policy)
    else:
        qs = filters.apply(CaseFact.objects.all())
        for name, lo, hi in TIME_BUCKETS:
            cond = Q(days_to_identification__gte=lo)
            if hi is not None:
                cond &= Q(days_to_identification__lte=hi)
            conds[f"t_{name}"] = cond
        raw = qs.aggregate(**_aggregates(conds, policy))
        shown = {
            k: policy.cell(raw[k], raw.get(key_column(k)) or 0)
            for k in conds
            if not k.startswith("t_")
        }
        buckets = pl.DataFrame(
            {
                "bucket": [b for b, _lo, _hi in TIME_BUCKETS],
                "persons": [raw[f"t_{b}"] for b, _lo, _hi in TIME_BUCKETS],
                key_column("persons"): [
                    int(raw.get(key_column(f"t_{b}")) or 0) for b, _lo, _hi in TIME_BUCKETS
                ],
            }
        )
        time_table = protect(buckets, ["persons"], base_count="persons", policy=policy)
        shown["median_days"] = median_days(qs, policy)
    from npp.analytics.disclosure import share

    shown["share_protected"] = share(shown["protected"], shown["potential"])
    shown["share_punished"] = share(shown["punished"], shown["potential"])
    shown["share_after_charge"] = share(shown["identified_after_charge"], shown["identified"])
    shown["share_referral_completed"] = share(shown["referral_completed"], shown["referred"])
    return {"figures": shown, "time_to_identification": time_table}


def median_days(qs: QuerySet[Any], policy: Policy) -> int | None:
    """Median days from first contact to identification, over at least ``k`` persons."""
    qs = qs.filter(days_to_identification__isnull=False)
    if connection.vendor == "postgresql":
        sql, params = qs.values("days_to_identification").query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*), percentile_cont(0.5) WITHIN GROUP "
                f"(ORDER BY days_to_identification) FROM ({sql}) AS t",
                params,
            )
            n, med = cur.fetchone()
        if n < policy.k or med is None:
            return None
        return int(float(med) + 0.5)
    return protect_median(list(qs.values_list("days_to_identification", flat=True)), policy)


#: The filters that restrict a column itself: a group they rule out is empty by definition.
SAME_DIMENSION = {
    "year": ("year_from", "year_to"),
    "month": ("year_from", "year_to"),
    "category": ("offence",),
}


def _groups_in_scope(filters: Filters, model: Any, key: str) -> list[Any]:
    """Every group of ``key`` in the user's scope, whatever the other filters: a table lists
    them all, so a group missing from a filtered table cannot reveal a zero. (A filter on
    ``key`` itself still applies: the groups it rules out are empty for everyone to see.)"""
    same = SAME_DIMENSION.get(key, (key,))
    values = {k: v for k, v in filters.values.items() if k in same}
    qs = Filters(values, filters.scope).apply(model.objects.all(), offence_table=True)
    return sorted({v for v in qs.values_list(key, flat=True).distinct() if v is not None})


def _complete(
    rows: list[dict[str, Any]], key: str, groups: list[Any], columns: list[str]
) -> list[dict[str, Any]]:
    """``rows`` with a zero row for each group of ``groups`` that has none."""
    have = {r[key] for r in rows}
    zero = {c: 0 for c in columns if c != key}
    extra = [{key: g, **zero} for g in groups if g not in have]
    return sorted(rows + extra, key=lambda r: (r[key] is None, str(r[key])))


def _columns(key: str, measures: Mapping[str, Any], policy: Policy) -> list[str]:
    cols = [key, *measures]
    if policy.perturbed:
        cols += [key_column(m) for m in measures]
    return cols


def trend(filters: Filters, policy: Policy, period: str = "year") -> Protected:
    """Persons by period of first contact, with the study's measures."""
    key = "month" if period == "month" else "year"
    measures = {k: v for k, v in CASE_MEASURES.items() if k != "identified_after_charge"}
    if filters.refusal() or filters.narrowing():
        return _empty(["period", *measures, "punished_pct"], policy)
    rows = list(
        filters.apply(CaseFact.objects.all())
        .values(key)
        .annotate(**_aggregates(measures, policy))
        .order_by(key)
    )
    cols = _columns(key, measures, policy)
    if policy.zeros_hidden:
        rows = _complete(rows, key, _groups_in_scope(filters, CaseFact, key), cols)
    frame = _frame(rows, cols)
    if key == "month" and frame.height:
        frame = frame.with_columns(pl.col("month").cast(pl.Utf8).str.slice(0, 7))
    frame = frame.rename({key: "period"})
    out = protect(frame, list(measures), base_count="persons", policy=policy)
    out.frame = add_share(out.frame, "punished_pct", "punished", "potential")
    return out


def breakdown(filters: Filters, policy: Policy, by: str) -> Protected:
    """The study's measures by one dimension (per person; per person and offence for offences)."""
    if by not in DIMENSIONS:
        by = "jurisdiction"
    if filters.refusal() or filters.narrowing():
        names = list(OFFENCE_MEASURES if by == "offence" else CASE_MEASURES)
        return _empty(["group", *names, "protected_pct", "punished_pct"], policy)
    if by == "offence":
        measures = OFFENCE_MEASURES
        qs = filters.apply(OffenceFact.objects.all(), offence_table=True)
        key = "category"
    else:
        measures = CASE_MEASURES
        qs = filters.apply(CaseFact.objects.all())
        key = by
    rows = list(qs.values(key).annotate(**_aggregates(measures, policy)).order_by(key))
    cols = _columns(key, measures, policy)
    if policy.zeros_hidden:
        model = OffenceFact if by == "offence" else CaseFact
        rows = _complete(rows, key, _groups_in_scope(filters, model, key), cols)
    frame = _frame(rows, cols)
    if frame.height:
        frame = frame.with_columns(pl.col(key).cast(pl.Utf8))
    frame = frame.rename({key: "group"})
    out = protect(frame, list(measures), base_count="persons", policy=policy)
    out.frame = add_share(out.frame, "protected_pct", "protected", "potential")
    out.frame = add_share(out.frame, "punished_pct", "punished", "potential")
    return out


def decisions(filters: Filters, policy: Policy) -> Protected:
    """Persons by decision taken (charging, prosecution, outcomes), and how many after flagging."""
    if filters.refusal() or filters.narrowing():
        return _empty(["decision_stage", "decision", "persons", "after_flag"], policy)
    qs = filters.apply(DecisionFact.objects.all())
    measures: dict[str, Q | None] = {"persons": None, "after_flag": Q(after_flag=True)}
    rows = list(
        qs.values("decision_stage", "decision")
        .annotate(**_aggregates(measures, policy))
        .order_by("decision_stage", "decision")
    )
    cols = ["decision_stage", *_columns("decision", measures, policy)]
    if policy.zeros_hidden:
        scoped = Filters({}, filters.scope).apply(DecisionFact.objects.all())
        have = {(r["decision_stage"], r["decision"]) for r in rows}
        zero = {c: 0 for c in cols[2:]}
        for stage, code in scoped.values_list("decision_stage", "decision").distinct():
            if (stage, code) not in have:
                rows.append({"decision_stage": stage, "decision": code, **zero})
                have.add((stage, code))
    frame = _frame(rows, cols)
    if frame.height:
        order = {s: i for i, s in enumerate(STAGE_CODES)}
        frame = (
            frame.with_columns(
                pl.col("decision_stage").replace_strict(order, default=99).alias("_o")
            )
            .sort(["_o", "decision"])
            .drop("_o")
        )
    # A person can have several decisions, so the column total is not a published figure;
    # the per-decision counts are still suppressed and rounded one by one.
    return protect(frame, ["persons", "after_flag"], base_count="persons", policy=policy)


def dashboard(filters: Filters, policy: Policy, *, by: str, period: str) -> dict[str, Any]:
    k = kpis(filters, policy)
    return {
        "figures": k["figures"],
        "time_to_identification": k["time_to_identification"],
        "trend": trend(filters, policy, period),
        "breakdown": breakdown(filters, policy, by),
        "decisions": decisions(filters, policy),
        "as_of": timezone.now(),
    }


def today() -> dt.date:
    return timezone.localdate()
