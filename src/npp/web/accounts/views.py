"""Sign-in: password, then a TOTP code (enrolment on first sign-in for roles that need it).

Failures are throttled per username and per client address; the user is signed in (and the
session key rotated) only after every required factor.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from npp.web.accounts import actions
from npp.web.accounts.models import User
from npp.web.roles import needs_two_factor

PENDING = "npp_pending"
PENDING_SECONDS = 300
DEMO_PASSWORD = "npp-demo-password"


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return nxt
    return "/"


def _pending_user(request: HttpRequest) -> User | None:
    p = request.session.get(PENDING)
    if not p or time.time() - p["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=p["uid"], is_active=True).first()


def _demo_accounts() -> list[dict[str, Any]]:
    if not settings.DEMO:
        return []
    out = []
    for u in (
        User.objects.filter(username__startswith="demo-")
        .select_related("organisation")
        .order_by("username")
    ):
        row: dict[str, Any] = {
            "username": u.username,
            "role": u.get_role_display(),
            "org": u.organisation,
        }
        if u.totp_secret:
            row["secret"] = u.totp_secret
            row["code"] = pyotp.TOTP(u.totp_secret).now()
        out.append(row)
    return out


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    address = actions.client_address(request)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        if actions.throttled(username, address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                actions.do_login_failed(username, address, stage="password")
                form.add_error(None, _("Wrong username or password."))
            elif isinstance(user, User) and (user.has_totp or needs_two_factor(user)):
                request.session[PENDING] = {
                    "uid": user.pk,
                    "at": time.time(),
                    "next": _next(request),
                }
                return redirect("accounts:code" if user.has_totp else "accounts:setup")
            else:
                actions.do_login(request, user, second_factor=False)
                return redirect(_next(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _next(request),
            "demo_accounts": _demo_accounts(),
            "demo_password": DEMO_PASSWORD,
        },
    )


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    nxt = request.session.get(PENDING, {}).get("next", "/")
    request.session.pop(PENDING, None)
    request.session.pop("npp_totp_new", None)
    actions.do_login(request, user, second_factor=True)
    return redirect(nxt)


@never_cache
def code_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or not user.has_totp:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    address = actions.client_address(request)
    if request.method == "POST" and form.is_valid():
        if actions.throttled(user.username, address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
        else:
            step = actions.check_totp(user, user.totp_secret or "", form.cleaned_data["code"])
            if step is not None and actions.do_use_totp(user, step):
                return _finish(request, user)
            actions.do_login_failed(user.username, address, stage="totp")
            form.add_error("code", _("That code is not valid. Enter the current code."))
    return render(request, "accounts/code.html", {"form": form})


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@never_cache
def setup_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or user.has_totp:
        return redirect("accounts:login")
    secret = request.session.get("npp_totp_new")
    if not secret:
        secret = actions.new_totp_secret()
        request.session["npp_totp_new"] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = actions.check_totp(user, secret, form.cleaned_data["code"])
        if step is not None:
            actions.do_enroll_totp(user, secret, step)
            messages.success(request, _("Two-factor authentication is on."))
            return _finish(request, user)
        actions.do_login_failed(user.username, actions.client_address(request), stage="totp_setup")
        form.add_error(
            "code", _("That code is not valid. Check the time on your phone and try again.")
        )
    uri = actions.totp_uri(user, secret)
    return render(
        request, "accounts/setup.html", {"form": form, "secret": secret, "qr": _qr_svg(uri)}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    actions.do_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")
