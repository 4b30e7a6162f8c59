"""Every write to accounts, organisations, tokens and sign-ins, each audited in its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from npp.web.accounts.models import ApiToken, LoginFailure, Organisation, User, hash_token
from npp.web.audit.log import record
from npp.web.audit.models import Event
from npp.web.roles import Role

TOTP_ISSUER = "NPP Navigator"


# --------------------------------------------------------------------------- administration


@transaction.atomic
def do_create_organisation(
    actor: Any, *, code: str, name: str, kind: str, jurisdiction: str, province: str = ""
) -> Organisation:
    org = Organisation.objects.create(
        code=code, name=name, kind=kind, jurisdiction=jurisdiction.upper(), province=province
    )
    record(
        Event.ORG_CREATED,
        user=actor,
        target=org,
        details={"code": code, "kind": kind, "jurisdiction": org.jurisdiction},
    )
    return org


@transaction.atomic
def do_create_user(
    actor: Any,
    *,
    username: str,
    password: str | None,
    role: str,
    organisation: Organisation | None,
    email: str = "",
    totp_secret: str | None = None,
) -> User:
    if role not in Role.values:
        raise ValueError(f"role must be one of {', '.join(Role.values)}")
    user = User(username=username, role=role, organisation=organisation, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if totp_secret:
        user.totp_secret = totp_secret
        user.totp_confirmed_at = timezone.now()
    user.save()
    record(
        Event.USER_CREATED,
        user=actor,
        target=user,
        details={
            "username": username,
            "role": role,
            "organisation": organisation.code if organisation else "",
        },
    )
    return user


@transaction.atomic
def do_reset_totp(actor: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(
        totp_secret=None, totp_confirmed_at=None, totp_last_step=None
    )
    record(Event.TOTP_RESET, user=actor, target=user, details={"username": user.username})


# --------------------------------------------------------------------------- tokens


@transaction.atomic
def do_create_token(actor: Any, user: User, *, name: str = "") -> str:
    """A new API key for ``user``; returned once, stored only as a hash."""
    key = secrets.token_hex(20)
    t = ApiToken.objects.create(
        user=user, key_hash=hash_token(key), prefix=key[:8], name=name[:100]
    )
    record(
        Event.TOKEN_CREATED,
        user=actor,
        actor=None if actor is not None else "cli",
        target=user,
        details={"token": t.prefix, "for": user.username},
    )
    return key


@transaction.atomic
def do_revoke_token(actor: Any, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record(Event.TOKEN_REVOKED, user=actor, target=token.user, details={"token": token.prefix})


# --------------------------------------------------------------------------- sign-in


def client_address(request: HttpRequest) -> str:
    if settings.NPP_BEHIND_PROXY:
        fwd = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if fwd:
            return fwd.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.casefold()}".encode()).hexdigest()


def throttled(username: str, address: str) -> bool:
    """Too many recent failures for this username, or from this address."""
    since = timezone.now() - dt.timedelta(seconds=settings.NPP_LOGIN_LOCKOUT)
    recent = LoginFailure.objects.filter(at__gte=since)
    return (
        recent.filter(key=_key("user", username)).count() >= settings.NPP_LOGIN_MAX_FAILURES
        or recent.filter(key=_key("addr", address)).count()
        >= settings.NPP_LOGIN_MAX_FAILURES_PER_IP
    )


@transaction.atomic
def do_login_failed(username: str, address: str, *, stage: str) -> None:
    now = timezone.now()
    LoginFailure.objects.bulk_create(
        [
            LoginFailure(key=_key("user", username), at=now),
            LoginFailure(key=_key("addr", address), at=now),
        ]
    )
    LoginFailure.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
    record(Event.LOGIN_FAILED, actor=username[:150] or "?", details={"stage": stage})


@transaction.atomic
def do_login(request: HttpRequest, user: User, *, second_factor: bool) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["npp_2fa"] = second_factor
    LoginFailure.objects.filter(key=_key("user", user.username)).delete()
    record(Event.LOGIN, user=user, details={"second_factor": second_factor})


@transaction.atomic
def do_logout(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        record(Event.LOGOUT, user=user)
    logout(request)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def check_totp(user: User, secret: str, code: str) -> int | None:
    """The time step the code matches (±1 step of drift), or ``None``. Refuses replays."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    step_now = totp.timecode(now)
    for offset in (0, -1, 1):
        step = step_now + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None
            return step
    return None


@transaction.atomic
def do_use_totp(user: User, step: int) -> bool:
    """Consume a time step; ``False`` if another request used it first (a replay)."""
    return bool(
        User.objects.filter(pk=user.pk)
        .exclude(totp_last_step__gte=step)
        .update(totp_last_step=step)
    )


@transaction.atomic
def do_enroll_totp(user: User, secret: str, step: int) -> None:
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    record(Event.TOTP_ENROLLED, user=user, target=user)
