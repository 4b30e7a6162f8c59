"""Case pages. Every page reaches a case through :func:`npp.web.access.get_case` (404 for
anyone who may not see it) and writes only through :mod:`npp.web.cases.actions`."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import npp
from npp.web import access
from npp.web.cases import actions, forms
from npp.web.cases.answers import answer_form, apply_answers
from npp.web.cases.models import Case, ExchangeFields, Person, Referral
from npp.web.cases.present import present
from npp.web.cases.queries import referrals_for
from npp.web.cases.statistics import statistics_tables
from npp.web.cases.vocab import DECISION_LABELS, STAGE_CODES, STAGE_LABELS
from npp.web.roles import sees_statistics, works_on_cases


def _case_role(request: HttpRequest) -> None:
    if not works_on_cases(request.user):
        raise PermissionDenied


def _conflict(request: HttpRequest, exc: actions.Conflict) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this case after you opened it (it is now version %(v)s). Your "
            "change was NOT saved: check the current case below and apply it again if still "
            "needed."
        )
        % {"v": exc.current_version},
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _case_role(request)
    qs = (
        access.visible_cases(request.user)
        .select_related("organisation")
        .prefetch_related("offences")
    )
    stage = request.GET.get("stage", "")
    if stage in STAGE_CODES:
        qs = qs.filter(stage=stage)
    # A reference is letters, digits and "-": anything else (a NUL byte, which PostgreSQL
    # refuses) cannot match, so it is dropped rather than sent to the database.
    q = "".join(c for c in request.GET.get("q", "").strip().upper() if c.isalnum() or c == "-")
    q = q[:20]
    if q:
        qs = qs.filter(reference__icontains=q)
    page = Paginator(qs.order_by("-updated_at"), 25).get_page(request.GET.get("page"))
    return render(
        request, "cases/list.html", {"page": page, "stage": stage, "q": q, "stages": STAGE_LABELS}
    )


def _timeline(case: Case) -> list[dict[str, Any]]:
    out = []
    for ev in case.events.select_related("recorded_by"):
        out.append(
            {
                "ev": ev,
                "stage_label": STAGE_LABELS.get(ev.stage, ev.stage),
                "decision_label": DECISION_LABELS.get(ev.decision, ev.decision),
            }
        )
    return out


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    user: Any = request.user
    case = access.get_case(user, reference)
    actions.do_view_case(user, case)
    latest = case.assessments.order_by("-number").first()
    ctx = present(latest.document) if latest else {}
    may = access.rights(user, case)
    ctx.update(
        {
            "case": case,
            "assessment": latest,
            "htcds_fields": _kept(case, personal=False),
            "timeline": _timeline(case),
            "referrals": case.referrals.select_related("from_org", "to_org"),
            "owner": case.organisation_id == user.organisation_id,
            "rights": may,
            "identity_shared": may.identity,
            "decision_form": forms.DecisionForm(
                case=case, allowed=may.decisions, initial={"version": case.version}
            )
            if may.decisions
            else None,
            "stage_form": forms.StageForm(case=case, initial={"version": case.version})
            if case.stage != STAGE_CODES[-1] and may.advance_stage
            else None,
            "referral_form": forms.ReferralForm(user=user, initial={"version": case.version})
            if may.refer
            else None,
            "stage_label": STAGE_LABELS.get(case.stage, case.stage),
            "answers": answer_form(latest.document, case.facts or {})
            if latest and may.change_facts
            else [],
            "stages": [
                (c, STAGE_LABELS[c], STAGE_CODES.index(c) <= STAGE_CODES.index(case.stage))
                for c in STAGE_CODES
            ],
        }
    )
    return render(request, "cases/detail.html", ctx)


@login_required
@require_POST
def answer(request: HttpRequest, reference: str) -> HttpResponse:
    """Answers to the open questions of the latest assessment: new facts, re-assessed by
    ``actions.do_update_facts`` (the earlier assessments are kept in the history)."""
    _case_role(request)
    user: Any = request.user
    case = access.get_case(user, reference)
    if not access.rights(user, case).change_facts:
        raise PermissionDenied  # only the organisation responsible for the case changes facts
    latest = case.assessments.order_by("-number").first()
    if latest is None:
        raise Http404
    facts, form = apply_answers(latest.document, case.facts or {}, request.POST)
    errors = [f"{a.field}: {a.error}" for a in form if a.error]
    if errors:
        messages.error(request, _("The answers were not saved: %(e)s") % {"e": "; ".join(errors)})
        return redirect("cases:detail", reference=case.reference)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The answers were not saved: the form is out of date."))
        return redirect("cases:detail", reference=case.reference)
    try:
        actions.do_update_facts(user, case, facts, version)
        messages.success(request, _("Answers saved; the case was re-assessed."))
    except actions.Conflict as exc:
        _conflict(request, exc)
    return redirect("cases:detail", reference=case.reference)


@login_required
def person(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    user: Any = request.user
    case = access.get_case(user, reference)
    may = access.rights(user, case)
    if not may.identity or (request.method == "POST" and not may.change_person):
        raise PermissionDenied
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_person(user, case, form.person_values(), form.cleaned_data["version"])
            messages.success(request, _("Personal details saved (encrypted)."))
            return redirect("cases:person", reference=case.reference)
        except actions.Conflict as exc:
            _conflict(request, exc)
            case.refresh_from_db()
    actions.do_view_person(user, case)
    p = Person.objects.filter(case=case).first() or Person(case=case)
    if request.method != "POST" or not form.errors:
        form = forms.PersonForm(
            initial={"version": case.version, **{k: getattr(p, k) for k in Person.FIELDS}}
        )
    return render(
        request,
        "cases/person.html",
        {
            "case": case,
            "form": form,
            "person": p,
            "editable": may.change_person,
            "htcds_fields": _kept(case, personal=True),
        },
    )


def _kept(case: Case, *, personal: bool) -> list[tuple[str, str, str]]:
    """The HTCDS fields a file gave for this case (kept verbatim, encrypted)."""
    from npp.exchange.project import described

    extra = ExchangeFields.objects.filter(case=case).first()
    return described(extra.fields or {}, personal=personal) if extra else []


@login_required
@require_POST
def decision(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    case = access.get_case(request.user, reference)
    may = access.rights(request.user, case)
    if not may.may_record(request.POST.get("decision", "")):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST, case=case, allowed=may.decisions)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_decision(
                request.user,
                case,
                d["decision"],
                d["version"],
                decided_by=d["decided_by"],
                reasons=d["reasons"],
                offence=d["offence"],
                occurred_on=d["occurred_on"],
            )
            messages.success(request, _("Decision recorded."))
        except actions.Conflict as exc:
            _conflict(request, exc)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("The decision was not recorded: %(e)s") % {"e": _errors(form)})
    return redirect("cases:detail", reference=case.reference)


def _errors(form: Any) -> str:
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".strip(": ")
        for k, v in form.errors.items()
    )


@login_required
@require_POST
def advance(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    case = access.get_case(request.user, reference)
    if not access.rights(request.user, case).advance_stage:
        raise PermissionDenied
    form = forms.StageForm(request.POST, case=case)
    if form.is_valid():
        try:
            actions.do_advance_stage(
                request.user,
                case,
                form.cleaned_data["stage"],
                form.cleaned_data["version"],
                reasons=form.cleaned_data["reasons"],
            )
            messages.success(
                request,
                _("Moved to %(stage)s and re-assessed.") % {"stage": STAGE_LABELS[case.stage]},
            )
        except actions.Conflict as exc:
            _conflict(request, exc)
        except (ValidationError, npp.InvalidFacts) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _errors(form))
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    case = access.get_case(request.user, reference)
    if not access.rights(request.user, case).refer:
        raise PermissionDenied
    form = forms.ReferralForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_refer(
                request.user,
                case,
                d["to_org"],
                d["purpose"],
                d["due_date"],
                d["version"],
                share_identity=d["share_identity"],
                note=d["note"],
                kind=d["kind"] or None,
            )
            messages.success(request, _("Referred to %(org)s.") % {"org": d["to_org"].name})
        except actions.Conflict as exc:
            _conflict(request, exc)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("The referral was not made: %(e)s") % {"e": _errors(form)})
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def referral_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _case_role(request)
    case = access.get_case(request.user, reference)
    referral = get_object_or_404(
        Referral.objects.select_related("case", "from_org", "to_org"), pk=pk, case=case
    )
    form = forms.ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_update_referral(
                request.user,
                referral,
                form.cleaned_data["status"],
                form.cleaned_data["version"],
                note=form.cleaned_data["note"] or None,
            )
            messages.success(request, _("Referral updated."))
        except actions.Conflict:
            messages.error(
                request,
                _(
                    "Someone else updated this referral first. Nothing was saved; check its "
                    "status and try again."
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _errors(form))
    if request.POST.get("back") == "referrals":
        return redirect("cases:referrals")
    return redirect("cases:detail", reference=case.reference)


@login_required
def history(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    case = access.get_case(request.user, reference)
    actions.do_view_case(request.user, case)
    rows = []
    for a in case.assessments.select_related("created_by").order_by("-number"):
        rows.append(
            {
                "a": a,
                "offences": present(a.document)["offences"],
                "stage": STAGE_LABELS.get(a.document.get("stage", ""), ""),
            }
        )
    return render(request, "cases/history.html", {"case": case, "rows": rows})


@login_required
def record_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    _case_role(request)
    user: Any = request.user
    case = access.get_case(user, reference)
    from npp.web.cases.pdf import decision_record

    with_identity = access.may_see_identity(user, case) and request.GET.get("identity") == "1"
    pdf = decision_record(case, user, with_identity=with_identity)
    actions.do_export_record(user, case, with_identity=with_identity)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="decision-record-{case.reference}.pdf"'
    return resp


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    _case_role(request)
    user: Any = request.user
    qs = referrals_for(user).order_by("due_date")
    return render(
        request,
        "cases/referrals.html",
        {
            "incoming": [r for r in qs if r.to_org_id == user.organisation_id],
            "outgoing": [r for r in qs if r.from_org_id == user.organisation_id],
            "status_form": forms.ReferralStatusForm,
        },
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not sees_statistics(request.user):
        raise PermissionDenied
    return render(request, "cases/statistics.html", statistics_tables(request.user))


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    if not sees_statistics(request.user):
        raise PermissionDenied
    tables = statistics_tables(request.user)
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="npp-statistics.csv"'
    w = csv.writer(resp)
    for t in tables["tables"]:
        w.writerow([t["title"]])
        w.writerow(t["header"])
        for row in t["rows"]:
            w.writerow(row)
        w.writerow([])
    return resp
