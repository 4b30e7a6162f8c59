"""Public law pages (no sign-in): each state's law, the matrix, instruments, the study's
recommendations, and search. Everything is read from the knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

import npp
from npp.law.compare import gaps, matrix
from npp.law.show import show_state
from npp.web.cases.vocab import STAGE_LABELS


def _kb() -> Any:
    return npp.engine().kb


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        return dt.date.today()


public = cache_control(public=True, max_age=300)


@public
def index(request: HttpRequest) -> HttpResponse:
    kb = _kb()
    day = _day(request)
    return render(
        request,
        "law/index.html",
        {"rows": matrix(kb, day), "day": day, "states": kb.vocabulary.jurisdictions},
    )


@public
def matrix_view(request: HttpRequest) -> HttpResponse:
    kb = _kb()
    day = _day(request)
    rows = matrix(kb, day)
    for r in rows:
        r["offence_labels"] = (
            r["offences"]
            if isinstance(r["offences"], str)
            else [kb.offences[c].label if c in kb.offences else c for c in r["offences"]]
        )
    all_gaps = {cc: [g.as_dict() for g in gaps(kb, cc, day)] for cc in kb.vocabulary.jurisdictions}
    benchmarks = [g["benchmark"] for g in next(iter(all_gaps.values()), [])]
    return render(
        request,
        "law/matrix.html",
        {"rows": rows, "day": day, "gaps": all_gaps, "benchmarks": benchmarks},
    )


@public
def state(request: HttpRequest, cc: str) -> HttpResponse:
    kb = _kb()
    code = cc.upper()
    if code not in kb.vocabulary.jurisdictions:
        raise Http404("No such state.")
    day = _day(request)
    doc = show_state(kb, code, day)
    return render(
        request,
        "law/state.html",
        {"doc": doc, "day": day, "gaps": [g.as_dict() for g in gaps(kb, code, day)]},
    )


@public
def instruments(request: HttpRequest) -> HttpResponse:
    kb = _kb()
    items = sorted(
        kb.instruments.values(), key=lambda i: (i.level, i.jurisdiction or "", i.short_title)
    )
    return render(request, "law/instruments.html", {"instruments": items})


@public
def instrument(request: HttpRequest, iid: str) -> HttpResponse:
    kb = _kb()
    ins = kb.instruments.get(iid)
    if ins is None:
        raise Http404("No such instrument.")
    return render(
        request,
        "law/instrument.html",
        {"ins": ins, "cites": {p.id: kb.cite(p.id) for p in ins.provisions}},
    )


@public
def recommendations(request: HttpRequest) -> HttpResponse:
    kb = _kb()
    groups: dict[str, list[Any]] = {}
    for r in sorted(kb.recommendations.values(), key=lambda r: r.number):
        groups.setdefault(r.stage, []).append(r)
    return render(
        request,
        "law/recommendations.html",
        {"groups": [(STAGE_LABELS.get(s, s), rs) for s, rs in groups.items()]},
    )


@public
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    hits = list(_kb().search(q))[:200] if q else []
    return render(request, "law/search.html", {"q": q, "hits": hits})


@public
def cite(request: HttpRequest, cid: str) -> HttpResponse:
    try:
        c = _kb().cite(cid)
    except npp.NotFound:
        raise Http404("No such citation.") from None
    return render(request, "law/cite.html", {"c": c})
