"""Pages of the guided assessment. Answers live in the session until saved as a case."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import npp
from npp.web import access
from npp.web.cases import actions
from npp.web.cases import interview as iv
from npp.web.cases.answers import answer_form, apply_answers
from npp.web.cases.present import present
from npp.web.roles import works_on_cases

KEY = "npp_interview"


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(KEY)
    if not isinstance(state, dict):
        state = {"facts": {}, "case": None, "version": None}
    return state


def _save_state(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[KEY] = state
    request.session.modified = True


def start(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if request.GET.get("new"):
        state = {"facts": {}, "case": None, "version": None}
        _save_state(request, state)
    first = iv.next_step(state["facts"], None)
    return redirect("assess:step", key=first.key if first else "where")


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(KEY, None)
    return redirect("assess:step", key="where")


def step_view(request: HttpRequest, key: str) -> HttpResponse:
    s = iv.step(key)
    if s is None:
        raise Http404("No such question.")
    state = _state(request)
    facts = copy.deepcopy(state["facts"])
    if key != "where" and not facts.get("jurisdiction"):
        return redirect("assess:step", key="where")
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = s.read(request.POST, facts)
        if not errors:
            state["facts"] = facts
            _save_state(request, state)
            if request.POST.get("go") == "back":
                prev = iv.previous_step(facts, key)
                return (
                    redirect("assess:step", key=prev.key)
                    if prev
                    else redirect("assess:step", key=key)
                )
            nxt = iv.next_step(facts, key)
            return redirect("assess:step", key=nxt.key) if nxt else redirect("assess:result")
    questions = s.questions(facts)
    for q in questions:
        q.error = errors.get(q.name)
    steps = iv.applicable(facts)
    keys = [x.key for x in steps]
    position = keys.index(key) + 1 if key in keys else 1
    return render(
        request,
        "assess/step.html",
        {
            "step": s,
            "questions": questions,
            "position": position,
            "total": len(keys),
            "previous": iv.previous_step(facts, key),
            "editing": state.get("case"),
        },
        status=400 if errors else 200,
    )


def result(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    facts = iv.clean_facts(state["facts"])
    if not facts.get("jurisdiction"):
        return redirect("assess:step", key="where")
    try:
        doc = npp.engine().assess_data(facts).document
    except npp.InvalidFacts as exc:
        return render(request, "assess/invalid.html", {"problems": exc.problems}, status=400)
    answers = answer_form(doc, facts)
    status = 200
    if request.method == "POST":
        # Answers to the open questions, given on this page: re-assess with them.
        new, answers = apply_answers(doc, facts, request.POST)
        if not any(a.error for a in answers):
            state["facts"] = new
            _save_state(request, state)
            return redirect("assess:result")
        status = 400
    ctx = present(doc)
    ctx["answers"] = answers
    ctx["questions"] = [{**q, "step": _step_for(q["field"])} for q in ctx["questions"]]
    ctx.update(
        {
            "facts": facts,
            "editing": state.get("case"),
            "can_save": works_on_cases(request.user),
        }
    )
    return render(request, "assess/result.html", ctx, status=status)


def _step_for(field: str) -> str | None:
    if field == "person.age_now" or field.endswith(".within_provision"):
        return "law"
    if field.startswith("person.age"):
        return "person"
    if field.startswith("person."):
        return "person"
    if field.startswith("trafficking.means"):
        return "means"
    if (
        field.startswith("trafficking.under_control")
        or ".compelled" in field
        or ".direct_consequence" in field
    ):
        return "link"
    if field.startswith("trafficking."):
        return "happened"
    return None


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not works_on_cases(user):
        raise PermissionDenied
    state = _state(request)
    facts = iv.clean_facts(state["facts"])
    try:
        if state.get("case"):
            case = access.get_case(user, state["case"])
            try:
                actions.do_update_facts(user, case, facts, int(state.get("version") or 0))
            except actions.Conflict as exc:
                messages.error(
                    request,
                    _(
                        "This case was changed by someone else while you were editing (now "
                        "version %(v)s). Your answers were not saved; review the case and edit "
                        "again."
                    )
                    % {"v": exc.current_version},
                )
                return redirect("cases:detail", reference=case.reference)
            messages.success(request, _("Facts updated and the case re-assessed."))
        else:
            case = actions.do_create_case(
                user, facts, province=request.POST.get("province", "").strip()
            )
            messages.success(request, _("Case %(ref)s saved.") % {"ref": case.reference})
    except npp.InvalidFacts as exc:
        return render(request, "assess/invalid.html", {"problems": exc.problems}, status=400)
    request.session.pop(KEY, None)
    return redirect("cases:detail", reference=case.reference)


@login_required
def edit_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = access.get_case(request.user, reference)
    if not access.rights(request.user, case).change_facts:
        raise PermissionDenied
    _save_state(
        request,
        {"facts": copy.deepcopy(case.facts), "case": case.reference, "version": case.version},
    )
    return redirect("assess:step", key="where")
