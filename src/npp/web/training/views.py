"""Training pages: practise a scenario alone (no account needed), run or join a group
session, print a workbook. Scenarios are public teaching material; group answers are anonymous
and counted, never listed."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from npp.training import ROLES
from npp.training.model import Scenario
from npp.training.practice import summary
from npp.web.roles import runs_training
from npp.web.training import actions
from npp.web.training.catalogue import catalogue, engine
from npp.web.training.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    GroupAnswer,
    GroupSession,
    Progress,
)
from npp.web.training.present import find, page, parse_answer, questions, result

SESSION_KEY = "npp_training"  # anonymous learners' answers, in their own browser session


def _role(request: HttpRequest) -> str | None:
    role = request.GET.get("role") or request.POST.get("role")
    return role if role in ROLES else None


def _scenario(sid: str) -> Scenario:
    s = catalogue().scenarios.get(sid)
    if s is None:
        raise Http404
    return s


def _labels() -> dict[str, Any]:
    kb = engine().kb
    return {
        "states": kb.vocabulary.jurisdictions,
        "stages": kb.vocabulary.stages,
        "roles": ROLES,
    }


def index(request: HttpRequest) -> HttpResponse:
    kb = engine().kb
    role = _role(request)
    cc = request.GET.get("jurisdiction") or None
    cc = cc if cc in kb.vocabulary.jurisdictions else None
    stage = request.GET.get("stage") or None
    stage = stage if stage in kb.vocabulary.stages else None
    done: dict[str, int] = {}
    if request.user.is_authenticated:
        for p in Progress.objects.filter(user=request.user, correct=True):
            done[p.scenario_id] = done.get(p.scenario_id, 0) + 1
    rows = []
    for s in catalogue().select(role, cc, stage):
        row = summary(s)
        row["state"] = kb.vocabulary.jurisdictions[s.jurisdiction]
        row["stage_label"] = kb.vocabulary.stages[s.stage]
        row["done"] = done.get(s.id, 0)
        row["total"] = sum(1 for _, q in s.questions_for(role) if q.kind != "discussion")
        rows.append(row)
    ctx = {
        "rows": rows,
        "role": role or "",
        "jurisdiction": cc or "",
        "stage": stage or "",
        "runs_training": runs_training(request.user),
        **_labels(),
    }
    return render(request, "training/index.html", ctx)


def _answers(request: HttpRequest, sid: str) -> dict[str, list[str]]:
    if request.user.is_authenticated:
        return {
            p.question_id: list(p.answer)
            for p in Progress.objects.filter(user=request.user, scenario_id=sid)
        }
    stored: dict[str, list[str]] = request.session.get(SESSION_KEY, {}).get(sid, {})
    return stored


def scenario(request: HttpRequest, sid: str) -> HttpResponse:
    s = _scenario(sid)
    role = _role(request)
    kb = engine().kb
    items = page(s, role, _answers(request, sid))
    keyed = [q for q in items if q["kind"] != "discussion"]
    ctx = {
        "s": s,
        "role": role or "",
        "state": kb.vocabulary.jurisdictions[s.jurisdiction],
        "stage_label": kb.vocabulary.stages[s.stage],
        "questions": items,
        "answered": sum(1 for q in keyed if "result" in q),
        "correct": sum(1 for q in keyed if q.get("result", {}).get("correct")),
        "total": len(keyed),
        "facts_date": s.facts.get("offence_date"),
        "disclaimer": True,
        **_labels(),
    }
    return render(request, "training/scenario.html", ctx)


def _back(sid: str, role: str | None, qid: str | None = None) -> str:
    url = reverse("training:scenario", args=[sid])
    if role:
        url += f"?role={role}"
    return url + (f"#{qid}" if qid else "")


@require_POST
def answer(request: HttpRequest, sid: str, qid: str) -> HttpResponse:
    s = _scenario(sid)
    role = _role(request)
    q = find(s, role, qid)
    if q is None or q["kind"] == "discussion":
        raise Http404
    picked = parse_answer(q, request.POST.getlist("answer"))
    if picked is None:
        from django.contrib import messages

        messages.error(request, _("Choose an answer first."))
        return redirect(_back(sid, role, qid))
    correct = bool(result(s, q, picked)["correct"])
    if request.user.is_authenticated:
        actions.record_progress(request.user, sid, qid, picked, correct)
    else:
        store = request.session.get(SESSION_KEY, {})
        store.setdefault(sid, {})[qid] = picked
        request.session[SESSION_KEY] = store
    return redirect(_back(sid, role, qid))


@require_POST
def reset(request: HttpRequest, sid: str) -> HttpResponse:
    _scenario(sid)
    if request.user.is_authenticated:
        actions.reset_progress(request.user, sid)
    else:
        store = request.session.get(SESSION_KEY, {})
        store.pop(sid, None)
        request.session[SESSION_KEY] = store
    return redirect(_back(sid, _role(request)))


def workbook(request: HttpRequest) -> HttpResponse:
    kb = engine().kb
    role = _role(request)
    cc = request.GET.get("jurisdiction", "")
    if role is None or cc not in kb.vocabulary.jurisdictions or not catalogue().select(role, cc):
        raise Http404
    from npp.training.workbook import workbook_pdf

    pdf = workbook_pdf(engine(), catalogue(), role, cc)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="npp-workbook-{cc}-{role}.pdf"'
    return resp


# ------------------------------------------------------------------ group sessions


def _valid_code(code: str) -> str | None:
    """The code in capitals if it can be a join code (checked before any query: a NUL or a
    long string never reaches the database)."""
    code = code.strip().upper()
    ok = len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)
    return code if ok else None


def _live(code: str) -> GroupSession:
    valid = _valid_code(code)
    if valid is None:
        raise Http404
    s = GroupSession.objects.filter(code=valid, expires_at__gt=timezone.now()).first()
    if s is None:
        raise Http404
    return s


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    if not runs_training(request.user):
        raise Http404
    cat = catalogue()
    error = ""
    if request.method == "POST":
        chosen = [sid for sid in request.POST.getlist("scenarios") if sid in cat.scenarios]
        role = _role(request) or ""
        if chosen:
            gs = actions.create_session(request.user, chosen, role)
            return redirect("training:session", code=gs.code)
        error = _("Choose at least one scenario.")
    kb = engine().kb
    rows = [
        {**summary(s), "state": kb.vocabulary.jurisdictions[s.jurisdiction]}
        for s in cat.scenarios.values()
    ]
    return render(request, "training/session_new.html", {"rows": rows, "error": error, **_labels()})


def _counts(gs: GroupSession) -> dict[tuple[str, str], tuple[Counter[str], int]]:
    out: dict[tuple[str, str], tuple[Counter[str], int]] = {}
    for a in GroupAnswer.objects.filter(session=gs).only("scenario_id", "question_id", "answer"):
        c, n = out.get((a.scenario_id, a.question_id), (Counter(), 0))
        c.update(a.answer)
        out[(a.scenario_id, a.question_id)] = (c, n + 1)
    return out


@login_required
def session(request: HttpRequest, code: str) -> HttpResponse:
    gs = _live(code)
    if gs.trainer_id != request.user.pk:
        raise Http404
    counts = _counts(gs)
    role = gs.role or None
    blocks = []
    for sid in gs.scenario_ids:
        s = catalogue().scenarios.get(sid)
        if s is None:
            continue
        qs = []
        for q in questions(s, role):
            if q["kind"] == "discussion":
                qs.append({**q, "bars": []})
                continue
            c, n = counts.get((sid, q["id"]), (Counter(), 0))
            shown = f"{sid}/{q['id']}" in gs.revealed
            res = result(s, q, None)
            right = set(res["expected"])
            bars = [
                {
                    "label": o["label"],
                    "count": c[o["value"]],
                    "right": shown and o["label"] in right,
                }
                for o in q["options"]
            ]
            qs.append({**q, "bars": bars, "n": n, "revealed": shown, "result": res})
        blocks.append({"s": s, "questions": qs})
    participants = GroupAnswer.objects.filter(session=gs).values("participant").distinct().count()
    join_url = request.build_absolute_uri(reverse("training:play", args=[gs.code]))
    ctx = {"gs": gs, "blocks": blocks, "participants": participants, "join_url": join_url}
    return render(request, "training/session.html", ctx)


@login_required
@require_POST
def session_reveal(request: HttpRequest, code: str) -> HttpResponse:
    gs = _live(code)
    if gs.trainer_id != request.user.pk:
        raise Http404
    sid, qid = request.POST.get("scenario", ""), request.POST.get("question", "")
    if sid not in gs.scenario_ids or find(_scenario(sid), gs.role or None, qid) is None:
        raise Http404
    actions.reveal(gs, request.user, sid, qid)
    return redirect(reverse("training:session", args=[gs.code]) + f"#{sid}-{qid}")


def join(request: HttpRequest) -> HttpResponse:
    given = (request.POST.get("code") or request.GET.get("code") or "")[:20]
    code = _valid_code(given)
    error = ""
    if code and GroupSession.objects.filter(code=code, expires_at__gt=timezone.now()).exists():
        return redirect("training:play", code=code)
    if given:
        error = _("No open session has this code. Check it with your trainer.")
    shown = given.strip().upper() if code or given.isprintable() else ""
    return render(request, "training/join.html", {"code": shown, "error": error})


def _participant(request: HttpRequest, gs: GroupSession) -> str:
    key = f"npp_training_p_{gs.code}"
    token = request.session.get(key)
    if not token:
        token = actions.new_participant()
        request.session[key] = token
    return str(token)


def play(request: HttpRequest, code: str) -> HttpResponse:
    gs = _live(code)
    me = _participant(request, gs)
    mine = {
        (a.scenario_id, a.question_id): list(a.answer)
        for a in GroupAnswer.objects.filter(session=gs, participant=me)
    }
    role = gs.role or None
    kb = engine().kb
    blocks = []
    for sid in gs.scenario_ids:
        s = catalogue().scenarios.get(sid)
        if s is None:
            continue
        qs = []
        for q in questions(s, role):
            item = dict(q)
            ans = mine.get((sid, q["id"]))
            if ans is not None:
                chosen = set(ans)
                item["options"] = [{**o, "checked": o["value"] in chosen} for o in q["options"]]
                item["sent"] = True
            if q["kind"] != "discussion" and f"{sid}/{q['id']}" in gs.revealed:
                item["result"] = result(s, q, ans)
            qs.append(item)
        blocks.append(
            {
                "s": s,
                "state": kb.vocabulary.jurisdictions[s.jurisdiction],
                "stage_label": kb.vocabulary.stages[s.stage],
                "questions": qs,
            }
        )
    return render(request, "training/play.html", {"gs": gs, "blocks": blocks})


@require_POST
def play_answer(request: HttpRequest, code: str, sid: str, qid: str) -> HttpResponse:
    gs = _live(code)
    if sid not in gs.scenario_ids:
        raise Http404
    s = _scenario(sid)
    q = find(s, gs.role or None, qid)
    if q is None or q["kind"] == "discussion":
        raise Http404
    picked = parse_answer(q, request.POST.getlist("answer"))
    if picked is None:
        from django.contrib import messages

        messages.error(request, _("Choose an answer first."))
    else:
        actions.submit_answer(gs, _participant(request, gs), sid, qid, picked)
    return redirect(reverse("training:play", args=[gs.code]) + f"#{sid}-{qid}")
