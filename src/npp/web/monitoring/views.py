"""Monitoring pages: the dashboard (statistics roles), public law comparison, gaps and pocket
guides, and the export/import pages (permitted roles)."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import lru_cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from npp.exchange import FileError, read_file
from npp.web.access import visible_cases
from npp.web.audit.log import record
from npp.web.cases.vocab import STAGE_CODES
from npp.web.monitoring import charts, exchange, queries, tables
from npp.web.monitoring.labels import DIMENSION, MEASURE, SECTOR, SEX, TYPOLOGY, label
from npp.web.roles import sees_statistics

# --------------------------------------------------------------------------- dashboard


def _statistics_user(request: HttpRequest) -> None:
    if not sees_statistics(request.user):
        raise PermissionDenied


def _state(request: HttpRequest) -> tuple[queries.Filters, Any, str, str]:
    scope = exchange.statistics_scope(request.user)
    filters = queries.Filters.parse(request.GET, scope)
    policy = queries.policy_from(request.GET.get("k"))
    by = request.GET.get("by") or "jurisdiction"
    if by not in queries.DIMENSIONS:
        by = "jurisdiction"
    period = "month" if request.GET.get("period") == "month" else "year"
    return filters, policy, by, period


def _tables(filters: queries.Filters, policy: Any, by: str, period: str) -> dict[str, Any]:
    data = queries.dashboard(filters, policy, by=by, period=period)
    return {
        "figures": tables.figures_table(data["figures"], policy),
        "trend": tables.trend_table(data["trend"], period),
        "breakdown": tables.breakdown_table(data["breakdown"], by),
        "decisions": tables.decisions_table(data["decisions"]),
        "time": tables.time_table(data["time_to_identification"]),
        "_raw": data,
    }


def _filter_choices() -> list[dict[str, Any]]:
    from npp import engine

    kb = engine().kb
    return [
        {
            "name": "jurisdiction",
            "label": DIMENSION["jurisdiction"],
            "options": list(kb.vocabulary.jurisdictions.items()),
        },
        {
            "name": "stage",
            "label": DIMENSION["stage"],
            "options": [(s, label("stage", s)) for s in STAGE_CODES],
        },
        {
            "name": "offence",
            "label": DIMENSION["offence"],
            "options": [(c, label("offence", c)) for c in kb.vocabulary.offence_categories],
        },
        {
            "name": "typology",
            "label": DIMENSION["typology"],
            "options": [(k, str(v)) for k, v in TYPOLOGY.items()],
        },
        {
            "name": "sex",
            "label": DIMENSION["sex"],
            "options": [(k, str(v)) for k, v in SEX.items()],
        },
        {
            "name": "age_band",
            "label": DIMENSION["age_band"],
            "options": [(b, b) for b in queries.AGE_BAND_CODES],
        },
        {
            "name": "sector",
            "label": DIMENSION["sector"],
            "options": [(k, str(v)) for k, v in SECTOR.items()],
        },
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _statistics_user(request)
    filters, policy, by, period = _state(request)
    t = _tables(filters, policy, by, period)
    raw = t.pop("_raw")
    trend_frame = raw["trend"].frame
    trend_chart = charts.line_chart(
        "Persons screened, potential victims, identified, protected and punished, by period",
        [str(p) for p in trend_frame["period"].to_list()],
        [
            (str(MEASURE[c]), trend_frame[c].to_list())
            for c in ("persons", "potential", "identified", "protected", "punished")
        ],
    )
    bf = raw["breakdown"].frame
    groups = [label(by, g) for g in bf["group"].to_list()]
    breakdown_chart = charts.bar_chart(
        f"Protected and punished potential victims by {str(DIMENSION[by]).lower()}",
        groups,
        [
            (str(MEASURE["potential"]), bf["potential"].to_list()),
            (str(MEASURE["protected"]), bf["protected"].to_list()),
            (str(MEASURE["punished"]), bf["punished"].to_list()),
        ],
    )
    tf = raw["time_to_identification"].frame
    time_chart = charts.bar_chart(
        "Time from first contact to formal identification",
        t["time"].column(0),
        [("Persons", tf["persons"].to_list())],
    )
    ctx = {
        **t,
        "trend_chart": trend_chart,
        "breakdown_chart": breakdown_chart,
        "time_chart": time_chart,
        "filters": filters.values,
        "filter_choices": [
            {**f, "value": str(filters.values.get(f["name"], ""))} for f in _filter_choices()
        ],
        "dimensions": [(d, DIMENSION[d]) for d in queries.DIMENSIONS],
        "by": by,
        "period": period,
        "policy": policy,
        "refusal": filters.refusal(),
        "narrowed": bool(filters.narrowing()),
        "scope": ", ".join(filters.scope) if filters.scope else "all ten ASEAN Member States",
        "query": filters.query_string(by=by, period=period, k=policy.k),
        "as_of": raw["as_of"],
        "tables": [t["figures"], t["trend"], t["breakdown"], t["decisions"], t["time"]],
    }
    return render(request, "monitoring/dashboard.html", ctx)


@login_required
def download(request: HttpRequest, table: str, ext: str) -> HttpResponse:
    _statistics_user(request)
    filters, policy, by, period = _state(request)
    if table not in {"figures", "trend", "breakdown", "decisions", "time"} or ext not in {
        "csv",
        "xlsx",
    }:
        raise Http404
    tab = _one_table(table, filters, policy, by, period)
    about = [
        f"Scope: {', '.join(filters.scope) if filters.scope else 'all states'}",
        "Filters: " + (json.dumps(filters.values) if filters.values else "none"),
        f"Produced {timezone.now().isoformat(timespec='seconds')} by NPP Navigator.",
    ]
    with transaction.atomic():
        record(
            exchange.ExchangeEvent.EXPORT_STATISTICS,
            user=request.user,
            details={
                "table": table,
                "format": ext,
                "k": policy.k,
                "filters": filters.values,
                "by": by,
            },
        )
    name = f"npp-{table}-{timezone.localdate().isoformat()}.{ext}"
    if ext == "csv":
        resp = HttpResponse(tables.to_csv(tab), content_type="text/csv; charset=utf-8")
    else:
        resp = HttpResponse(
            tables.to_xlsx(tab, about),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _one_table(table: str, filters: queries.Filters, policy: Any, by: str, period: str) -> Any:
    """Only the table asked for (a download runs one query, not the whole page)."""
    if table == "trend":
        return tables.trend_table(queries.trend(filters, policy, period), period)
    if table == "breakdown":
        return tables.breakdown_table(queries.breakdown(filters, policy, by), by)
    if table == "decisions":
        return tables.decisions_table(queries.decisions(filters, policy))
    k = queries.kpis(filters, policy)
    if table == "time":
        return tables.time_table(k["time_to_identification"])
    return tables.figures_table(k["figures"], policy)


# --------------------------------------------------------------------------- public law pages


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("date") or ""
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def comparison(request: HttpRequest) -> HttpResponse:
    from npp import engine
    from npp.law.compare import comparison as rows_for

    kb = engine().kb
    day = _day(request)
    rows = rows_for(kb, day)
    for r in rows:
        r["offence_labels"] = (
            ["all offences"]
            if r["offences"] == "all"
            else [label("offence", o) for o in r["offences"]]
        )
        r["stage_labels"] = [label("stage", s) for s in r["stages"]]
        r["model_label"] = kb.vocabulary.provision_models.get(r["model"], r["model"])
        for p in r["severe_penalties"]["by_offence"]:
            p["offence_label"] = label("offence", p["offence"])
    return render(request, "monitoring/comparison.html", {"rows": rows, "day": day})


def gaps(request: HttpRequest, cc: str | None = None) -> HttpResponse:
    from npp import engine
    from npp.law.compare import BENCHMARKS
    from npp.law.compare import gaps as gaps_for

    kb = engine().kb
    day = _day(request)
    codes = list(kb.vocabulary.jurisdictions)
    if cc is not None:
        cc = cc.upper()
        if cc not in codes:
            raise Http404
        codes = [cc]
    states = []
    for c in codes:
        items = []
        for g in gaps_for(kb, c, day):
            items.append(
                {
                    "benchmark": BENCHMARKS.get(g.benchmark, g.benchmark),
                    "status": g.status,
                    "status_label": {
                        "met": "Met",
                        "partly_met": "Partly met",
                        "not_met": "Not met",
                        "unknown": "Not known",
                    }.get(g.status, g.status),
                    "reason": g.reason,
                    "citations": [kb.cite(x).label() if kb.can_cite(x) else x for x in g.citations],
                }
            )
        states.append({"code": c, "name": kb.vocabulary.jurisdictions[c], "gaps": items})
    return render(
        request, "monitoring/gaps.html", {"states": states, "day": day, "single": cc is not None}
    )


def guides(request: HttpRequest) -> HttpResponse:
    from npp import engine

    kb = engine().kb
    return render(
        request,
        "monitoring/guides.html",
        {
            "states": list(kb.vocabulary.jurisdictions.items()),
            "stages": [(s, label("stage", s)) for s in STAGE_CODES],
        },
    )


@lru_cache(maxsize=64)
def _guide_pdf(cc: str, stage: str, day: dt.date) -> bytes:
    from npp import engine
    from npp.guides.content import guide
    from npp.guides.render import render_pdf

    return render_pdf(guide(engine().kb, cc, stage, day))


def guide_pdf(request: HttpRequest, cc: str, stage: str) -> HttpResponse:
    from npp import engine

    cc = cc.upper()
    if cc not in engine().kb.vocabulary.jurisdictions or stage not in STAGE_CODES:
        raise Http404
    pdf = _guide_pdf(cc, stage, timezone.localdate())
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="npp-guide-{cc.lower()}-{stage}.pdf"'
    return resp


# --------------------------------------------------------------------------- exchange


FORMAT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    cases_ok = exchange.may_exchange_cases(user)
    deid_ok = exchange.may_export_deidentified(user)
    if not (cases_ok or deid_ok):
        raise PermissionDenied
    ctx: dict[str, Any] = {"cases_ok": cases_ok, "deid_ok": deid_ok, "k": queries.policy_from().k}
    if request.method == "POST":
        fmt = request.POST.get("format")
        if fmt == "htcds" and cases_ok:
            buf = io.BytesIO()
            identity = request.POST.get("identity") == "on"
            kind = request.POST.get("file_format") or "csv"
            if kind not in FORMAT_TYPES:
                kind = "csv"
            exchange.export_htcds(
                visible_cases(user).filter(organisation_id=user.organisation_id),
                buf,
                fmt=kind,
                with_identity=identity,
                user=user,
            )
            resp = HttpResponse(buf.getvalue(), content_type=FORMAT_TYPES[kind])
            resp["Content-Disposition"] = (
                f'attachment; filename="npp-htcds-{timezone.localdate()}.{kind}"'
            )
            return resp
        if fmt == "deidentified" and deid_ok:
            k = queries.policy_from(request.POST.get("k")).k
            frame, report = exchange.export_deidentified(
                exchange.statistics_scope(user), k=k, user=user
            )
            if request.POST.get("part") == "report":
                resp = HttpResponse(
                    json.dumps(report.as_dict(), indent=1), content_type="application/json"
                )
                resp["Content-Disposition"] = 'attachment; filename="npp-deidentified-report.json"'
                return resp
            resp = HttpResponse(
                exchange.frame_to_csv(frame), content_type="text/csv; charset=utf-8"
            )
            resp["Content-Disposition"] = (
                f'attachment; filename="npp-deidentified-k{k}-{timezone.localdate()}.csv"'
            )
            return resp
        raise PermissionDenied
    return render(request, "monitoring/export.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def import_cases(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not exchange.may_exchange_cases(user):
        raise PermissionDenied
    ctx: dict[str, Any] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = "Choose a file to import."
        elif upload.size and upload.size > 20 * 1024 * 1024:
            ctx["error"] = "The file is larger than 20 MB; use the command line (npp import)."
        else:
            try:
                table = read_file(upload.read(), upload.name or "")
            except FileError as exc:
                ctx["error"] = f"The file cannot be read: {exc}"
            else:
                ctx["result"] = exchange.import_htcds(
                    table, user, dry_run=request.POST.get("dry_run") == "on"
                )
    return render(request, "monitoring/import.html", ctx)
