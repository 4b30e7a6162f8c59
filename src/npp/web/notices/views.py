"""Notice pages.

``/verify/`` is for anyone (a border official's phone, signed out): it verifies on the
server when posted, and in the browser (WebCrypto Ed25519, the vendored jsQR for the camera)
with the trust and revocation lists a service worker keeps, so it works offline once
visited. Trust and revocation lists are public by nature (public keys, random notice ids).

``/notices/case/<ref>/`` is the case's notices page: consent, issue, revoke, attach. It
reaches the case only through :func:`npp.web.access.get_case` and writes only through
:mod:`npp.web.notices.actions`.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import npp
from npp.notices.verify import UnreadableNotice, read_notice_file
from npp.screening.facts import parse_facts
from npp.web import access
from npp.web.notices import actions, forms, verify_text
from npp.web.notices.models import AttachedNotice, IssuedNotice, IssuerProfile, NoticeConsent
from npp.web.notices.pdf import notice_pdf
from npp.web.notices.store import public_revocations, public_trust
from npp.web.roles import works_on_cases

#: The verifier may use the camera (the rest of the site may not).
VERIFY_PERMISSIONS = "camera=(self), microphone=(), geolocation=()"


# ------------------------------------------------------------------ public: verify


def _verify_response(request: HttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    """The page, with the words its script shows in the active language (as JSON)."""
    ctx["verify_text"] = verify_text.catalogue()
    response = render(request, "notices/verify.html", ctx, status=status)
    response["Permissions-Policy"] = VERIFY_PERMISSIONS
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """Paste, upload or scan a notice: valid, or not valid with every reason."""
    form = forms.NoticeForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            jws, readable = read_notice_file(form.cleaned_data["raw"])
            ctx["verdict"] = actions.verify_here(jws, readable)
        except UnreadableNotice as exc:
            ctx["unreadable"] = str(exc)
    return _verify_response(request, ctx)


@require_GET
def trust_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_trust())


@require_GET
def revocations_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_revocations())


ASSETS = ("npp/app.css", "npp/notices/notices.css", "npp/notices/verify.js", "npp/notices/jsQR.js")


@lru_cache(maxsize=1)
def _assets_version() -> str:
    """Changes whenever an asset the worker caches changes, so phones pick up new code."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for name in ASSETS:
        path = finders.find(name)
        if path:
            digest.update(Path(str(path)).read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from ``/verify/`` so its scope is ``/verify/`` (a worker's scope is its path)."""
    from django.templatetags.static import static

    body = render(
        request,
        "notices/sw.js",
        {
            "assets": ["/verify/", *(static(a) for a in ASSETS)],
            "version": _assets_version(),
        },
        content_type="text/javascript; charset=utf-8",
    )
    body["Cache-Control"] = "no-cache"
    body["Service-Worker-Allowed"] = "/verify/"
    return body


def issuers(request: HttpRequest) -> HttpResponse:
    """Every issuer this instance trusts, by state (public keys are public)."""
    by_state: dict[str, list[dict[str, Any]]] = {}
    data = public_trust()
    for i in sorted(data["issuers"], key=lambda i: (i["state"], i["name"], i["organisation"])):
        by_state.setdefault(i["state"], []).append(i)
    return render(
        request,
        "notices/issuers.html",
        {"by_state": sorted(by_state.items()), "generated_at": data["generated_at"]},
    )


# ------------------------------------------------------------------ a case's notices


def _case(request: HttpRequest, reference: str) -> Any:
    if not works_on_cases(request.user):
        raise PermissionDenied
    return access.get_case(request.user, reference)


def _coverage(case: Any) -> list[dict[str, Any]]:
    """The bilateral agreements between this state and each state that identified the person,
    with whether each covers this person."""
    from npp.assessment.bilateral import coverage

    engine = npp.engine()
    try:
        facts = parse_facts(case.facts, engine.kb)
    except npp.NppError:
        return []
    states = sorted({a.jur for a in case.attached_notices.all()} - {case.jurisdiction})
    out = []
    for other in states:
        agreements = engine.kb.bilateral_between(case.jurisdiction, other)
        out.append(
            {
                "state": other,
                "agreements": [
                    {"title": ag.title, "coverage": coverage(ag, facts)} for ag in agreements
                ],
            }
        )
    return out


@login_required
def case_notices(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    user: Any = request.user
    may = access.rights(user, case)
    owner = may.responsible and may.identity
    profile = IssuerProfile.objects.filter(organisation_id=user.organisation_id).first()
    person = getattr(case, "person", None)
    given, family = actions.split_name(person.full_name if person else "")
    consent = NoticeConsent.objects.filter(case=case, withdrawn_at__isnull=True).first()
    ctx = {
        "case": case,
        "owner": owner,
        "profile": profile,
        "status": (case.facts.get("person") or {}).get("victim_status"),
        "consent": consent,
        "consent_form": forms.ConsentForm(),
        "issue_form": forms.IssueForm(initial={"given_name": given, "family_name": family}),
        "issued": IssuedNotice.objects.filter(case=case).select_related("organisation")
        if owner
        else [],
        "attach_form": forms.NoticeForm(),
        "attached": AttachedNotice.objects.filter(case=case),
        "coverage": _coverage(case),
    }
    return render(request, "notices/case.html", ctx)


def _problems(request: HttpRequest, exc: npp.NppError) -> None:
    for p in exc.problems:
        messages.error(request, str(p))


@login_required
@require_POST
def consent(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Consent was not recorded: tick the box once the person agrees."))
    else:
        try:
            actions.do_record_consent(request.user, case, how=form.cleaned_data["how"])
            messages.success(request, _("Consent recorded."))
        except actions.Refused as exc:
            _problems(request, exc)
    return redirect("notices:case", case.reference)


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    try:
        actions.do_withdraw_consent(request.user, case)
        messages.success(request, _("Consent withdrawn: no new notice can be issued."))
    except actions.Refused as exc:
        _problems(request, exc)
    return redirect("notices:case", case.reference)


@login_required
@require_POST
def issue(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            for e in errs:
                messages.error(request, f"{field}: {e}")
        return redirect("notices:case", case.reference)
    try:
        issued = actions.do_issue_notice(
            request.user,
            case,
            valid_days=form.cleaned_data["valid_days"],
            given_name=form.cleaned_data["given_name"],
            family_name=form.cleaned_data["family_name"],
        )
        messages.success(
            request,
            _("Notice %(jti)s issued. Print the PDF for the person.") % {"jti": issued.notice.jti},
        )
    except actions.Refused as exc:
        _problems(request, exc)
    return redirect("notices:case", case.reference)


def _own_notice(request: HttpRequest, reference: str, jti: str) -> IssuedNotice:
    case = _case(request, reference)
    return get_object_or_404(
        IssuedNotice,
        case=case,
        jti=jti,
        organisation_id=request.user.organisation_id,
    )


@login_required
def notice_json(request: HttpRequest, reference: str, jti: str) -> HttpResponse:
    notice = _own_notice(request, reference, jti)
    response = JsonResponse(actions.notice_document(notice), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.jti}.json"'
    return response


@login_required
def notice_pdf_view(request: HttpRequest, reference: str, jti: str) -> HttpResponse:
    notice = _own_notice(request, reference, jti)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.jti}.pdf"'
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, reference: str, jti: str) -> HttpResponse:
    notice = _own_notice(request, reference, jti)
    form = forms.RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.do_revoke_notice(request.user, notice, reason=reason)
        messages.success(
            request,
            _("Notice revoked. Export the revocation list so other states learn of it."),
        )
    except actions.Refused as exc:
        _problems(request, exc)
    return redirect("notices:case", reference)


@login_required
@require_POST
def attach(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = forms.NoticeForm(request.POST, request.FILES)
    if not form.is_valid():
        for e in form.non_field_errors():
            messages.error(request, e)
        return redirect("notices:case", case.reference)
    try:
        jws, _readable = read_notice_file(form.cleaned_data["raw"])
        attached, _v = actions.do_attach_notice(request.user, case, jws)
        messages.success(
            request,
            _(
                "Notice verified and attached: the person is recorded as identified by "
                "%(org)s (%(state)s), and the case was re-assessed."
            )
            % {"org": attached.issuer_name or attached.iss, "state": attached.jur},
        )
    except UnreadableNotice as exc:
        messages.error(request, _("Not a notice: %(why)s") % {"why": exc})
    except actions.NotValid as exc:
        messages.error(request, _("The notice is NOT valid; nothing was recorded."))
        _problems(request, exc)
    except actions.Refused as exc:
        _problems(request, exc)
    return redirect("notices:case", case.reference)
