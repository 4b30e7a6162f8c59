"""Every write about notices, keys and trust: one transaction each, audited in it.

``who`` is a signed-in user (web, or ``--user`` on the CLI) or, for an administrator's
command on the server (``npp trust import``), a string naming the operator. Audit details
carry ids, codes and counts only, never a name or a reason's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from npp.errors import NppError, Problem
from npp.notices.claims import ALLOWED_ROLES, ROLES, PersonClaims, build_claims
from npp.notices.jws import canonical_json, sign_compact
from npp.notices.keys import SigningKey, generate_key, public_key_from_jwk, thumbprint
from npp.notices.lists import ListError, read_revocation_list, read_trust_list
from npp.notices.verify import Verdict, verify_notice
from npp.web.accounts.models import Organisation
from npp.web.audit.log import record
from npp.web.audit.models import Event
from npp.web.cases.models import Case, Person
from npp.web.notices.models import (
    AttachedNotice,
    ImportedRevocation,
    IssuedNotice,
    IssuerProfile,
    NoticeConsent,
    OrgSigningKey,
    TrustAnchor,
    TrustedIssuer,
    TrustedKey,
)
from npp.web.notices.store import MAX_VALID_DAYS, revocations, trust_store
from npp.web.roles import works_on_cases


class Refused(NppError):
    """The action is not allowed or not possible; ``problems`` says why (one per line)."""


class NotValid(NppError):
    """A notice to attach did not verify; ``verdict`` holds every reason."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__([Problem("notice", r.text) for r in verdict.reasons] or "not valid")


def _audit(event: Any, who: Any, *, target: Any = None, details: dict[str, Any]) -> None:
    if isinstance(who, str):
        record(event, actor=who, target=target, details=details)
    else:
        record(event, user=who, target=target, details=details)


def _current_key(org: Organisation) -> OrgSigningKey | None:
    return OrgSigningKey.objects.filter(organisation=org, retired_at__isnull=True).first()


def _new_key(who: Any, org: Organisation, now: dt.datetime) -> OrgSigningKey:
    key = generate_key()
    stored = OrgSigningKey.objects.create(
        organisation=org,
        kid=key.kid,
        public_x=key.jwk["x"],
        private_key=key.private_raw,
        created_at=now,
    )
    _audit(Event.NOTICE_KEY_CREATED, who, target=org, details={"org": org.code, "kid": key.kid})
    return stored


# ------------------------------------------------------------------ issuers and keys


@transaction.atomic
def do_authorise_issuer(
    who: Any,
    org: Organisation,
    roles: list[str],
    *,
    contact: str = "",
    valid_until: dt.datetime | None = None,
) -> IssuerProfile:
    """Record that ``org`` may issue notices in ``roles``; generate its key if it has none."""
    bad = [r for r in roles if r not in ROLES]
    if not roles or bad:
        raise Refused([Problem("--role", f"must be one or more of {', '.join(ROLES)}")])
    profile, _created = IssuerProfile.objects.update_or_create(
        organisation=org,
        defaults={
            "roles": sorted(set(roles)),
            "contact": contact[:200],
            "valid_until": valid_until,
        },
    )
    _audit(
        Event.NOTICE_ISSUER_AUTHORISED,
        who,
        target=org,
        details={"org": org.code, "roles": profile.roles},
    )
    if _current_key(org) is None:
        _new_key(who, org, timezone.now())
    return profile


@transaction.atomic
def do_rotate_key(who: Any, org: Organisation) -> OrgSigningKey:
    """A new signing key; the old one stops signing but stays published (and verifying) for
    as long as a notice it signed can be valid."""
    if not IssuerProfile.objects.filter(organisation=org).exists():
        raise Refused([Problem("ORG", f"{org.code} is not an issuer")])
    now = timezone.now()
    OrgSigningKey.objects.filter(organisation=org, retired_at__isnull=True).update(retired_at=now)
    return _new_key(who, org, now)


# ------------------------------------------------------------------ consent, issue, revoke


def _owner_on_case(user: Any, case: Case) -> None:
    if not works_on_cases(user) or user.organisation_id != case.organisation_id:
        raise Refused("only the organisation that holds the case may do this")


@transaction.atomic
def do_record_consent(user: Any, case: Case, *, how: str = "") -> NoticeConsent:
    """The person agrees to carry the notice and to its being shown to officials abroad."""
    _owner_on_case(user, case)
    consent = NoticeConsent.objects.create(case=case, recorded_by=user, how=how.strip()[:500])
    _audit(Event.NOTICE_CONSENT, user, target=case, details={"consent": consent.pk})
    return consent


@transaction.atomic
def do_withdraw_consent(user: Any, case: Case) -> int:
    _owner_on_case(user, case)
    n = NoticeConsent.objects.filter(case=case, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    _audit(Event.NOTICE_CONSENT, user, target=case, details={"withdrawn": n})
    return n


def split_name(full_name: str) -> tuple[str, str]:
    """A default split (last word = family name) that the issuer confirms or corrects: name
    order differs between the region's languages, so the form always shows both parts."""
    words = full_name.split()
    if len(words) < 2:
        return "", full_name.strip()
    return " ".join(words[:-1]), words[-1]


@dataclass(frozen=True)
class Issued:
    notice: IssuedNotice
    document: dict[str, Any]  # NOTICE.json: {"jws", "claims", ...}


@transaction.atomic
def do_issue_notice(
    user: Any,
    case: Case,
    *,
    valid_days: int,
    given_name: str | None = None,
    family_name: str | None = None,
    identified_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Issued:
    """Sign a notice for the person of ``case``: consent first, the issuer's role must allow
    the person's status, and the person's names must be known."""
    _owner_on_case(user, case)
    org = user.organisation
    problems: list[Problem] = []
    profile = IssuerProfile.objects.filter(organisation=org).first()
    status = (case.facts.get("person") or {}).get("victim_status")
    if profile is None:
        problems.append(Problem("organisation", f"{org.code} is not authorised to issue notices"))
    if status not in ALLOWED_ROLES:
        problems.append(
            Problem(
                "person.victim_status",
                "must be 'formal' or 'potential' before a notice can be issued",
            )
        )
    elif profile is not None and not ALLOWED_ROLES[status] & set(profile.roles):
        problems.append(
            Problem(
                "organisation",
                f"{org.code} ({', '.join(profile.roles)}) may not issue a '{status}' notice",
            )
        )
    consent = NoticeConsent.objects.filter(case=case, withdrawn_at__isnull=True).first()
    if consent is None:
        problems.append(
            Problem("consent", "record the person's consent to carrying and sharing it first")
        )
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        problems.append(Problem("--valid-days", f"must be between 1 and {MAX_VALID_DAYS}"))
    person = Person.objects.filter(case=case).first()
    default_given, default_family = split_name(person.full_name if person else "")
    given = (default_given if given_name is None else given_name).strip()
    family = (default_family if family_name is None else family_name).strip()
    if not family:
        problems.append(Problem("person.family_name", "the person's name is not recorded"))
    key_row = _current_key(org)
    if profile is not None and key_row is None:
        problems.append(Problem("organisation", f"{org.code} has no signing key"))
    if problems:
        raise Refused(problems)
    assert profile is not None and key_row is not None and consent is not None and person
    now = now or timezone.now()
    facts_person = case.facts.get("person") or {}
    documents = [d.strip() for d in (person.document_numbers or "").replace(";", ",").split(",")]
    claims = build_claims(
        iss=org.code,
        jur=org.jurisdiction,
        status=str(status),
        identified_on=identified_on or timezone.localdate(),
        person=PersonClaims(
            given_name=given[:200],
            family_name=family[:200],
            date_of_birth=(person.date_of_birth or "").strip()[:200],
            nationality=facts_person.get("nationality") or "",
            document_number=next((d for d in documents if d), None),
        ),
        now=now,
        valid_days=valid_days,
        exploitation=list((case.facts.get("trafficking") or {}).get("purposes") or []),
        contact=profile.contact or None,
    )
    signing = SigningKey.from_private_raw(key_row.private_key)
    payload = claims.as_dict()
    jws = sign_compact({"kid": signing.kid, "typ": "JWT"}, canonical_json(payload), signing.private)
    notice = IssuedNotice.objects.create(
        case=case,
        organisation=org,
        jti=claims.jti,
        kid=signing.kid,
        status=claims.status,
        issued_at=now,
        expires_at=dt.datetime.fromtimestamp(claims.exp, dt.UTC),
        issued_by=user,
        jws=jws,
        claims=payload,
        consent=consent,
    )
    _audit(
        Event.NOTICE_ISSUED,
        user,
        target=case,
        details={
            "jti": claims.jti,
            "status": claims.status,
            "kid": signing.kid,
            "days": valid_days,
        },
    )
    return Issued(notice, notice_document(notice))


def notice_document(notice: IssuedNotice) -> dict[str, Any]:
    """``NOTICE.json`` (contract §5): the JWS and a readable copy of its claims."""
    return {"contract": "npp.notice/1", "jws": notice.jws, "claims": notice.claims}


@transaction.atomic
def do_revoke_notice(who: Any, notice: IssuedNotice, *, reason: str = "") -> IssuedNotice:
    """Only the issuing organisation revokes; revocation is final."""
    if not isinstance(who, str) and (
        not works_on_cases(who) or who.organisation_id != notice.organisation_id
    ):
        raise Refused("only the issuing organisation may revoke a notice")
    if notice.revoked_at is not None:
        raise Refused([Problem("NOTICE_ID", "already revoked")])
    notice.revoked_at = timezone.now()
    notice.revoked_by = None if isinstance(who, str) else who
    notice.revocation_reason = reason.strip()[:1000]
    notice.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    _audit(
        Event.NOTICE_REVOKED,
        who,
        target=notice.case,
        details={"jti": notice.jti, "reason_given": bool(reason.strip())},
    )
    return notice


# ------------------------------------------------------------------ trust anchors and lists


@transaction.atomic
def do_create_anchor(who: Any, name: str) -> TrustAnchor:
    """This instance becomes a trust anchor (e.g. a regional body): a new key pair."""
    key = generate_key()
    anchor = TrustAnchor.objects.create(
        name=name[:100], kid=key.kid, public_x=key.jwk["x"], private_key=key.private_raw
    )
    _audit(Event.TRUST_ANCHOR_ADDED, who, details={"kid": key.kid, "own": True})
    return anchor


@transaction.atomic
def do_add_anchor(who: Any, name: str, jwk: Any) -> TrustAnchor:
    """Hold another body's anchor public key: lists it signs will be accepted."""
    public_key_from_jwk(jwk)  # raises MalformedJws for anything but an Ed25519 public key
    kid = thumbprint(jwk["x"])
    anchor, _created = TrustAnchor.objects.update_or_create(
        kid=kid, defaults={"name": name[:100], "public_x": jwk["x"]}
    )
    _audit(Event.TRUST_ANCHOR_ADDED, who, details={"kid": kid, "own": False})
    return anchor


def anchor_keys() -> dict[str, Any]:
    from npp.web.notices.store import _key

    return {
        a.kid: _key(a.kid, a.public_x, timezone.now(), None).public
        for a in TrustAnchor.objects.all()
    }


@dataclass(frozen=True)
class TrustImport:
    issuers: list[str]
    anchor: str | None


@transaction.atomic
def do_import_trust(who: Any, data: Any, *, accept: bool) -> TrustImport:
    """Accept another instance's issuers: signed by an anchor held here, or ``accept``."""
    try:
        issuers, anchor = read_trust_list(data, anchor_keys())
    except ListError as exc:
        raise Refused([Problem("", p) for p in exc.problems]) from None
    if anchor is None and not accept:
        raise Refused(
            "the list is not signed by a trust anchor this instance holds: an administrator "
            "may accept it explicitly with --accept after checking it with its sender"
        )
    own = set(
        Organisation.objects.filter(issuer_profile__isnull=False).values_list("code", flat=True)
    )
    clash = [i.organisation for i in issuers if i.organisation in own]
    if clash:
        raise Refused([Problem("issuers", f"{c} is an issuer of this instance") for c in clash])
    kids = [k.kid for i in issuers for k in i.keys]
    taken = TrustedKey.objects.filter(kid__in=kids).exclude(
        issuer__organisation__in=[i.organisation for i in issuers]
    )
    if taken.exists() or OrgSigningKey.objects.filter(kid__in=kids).exists():
        raise Refused("a key in the list already belongs to another issuer")
    by = who if isinstance(who, str) else who.get_username()
    for i in issuers:
        row, _created = TrustedIssuer.objects.update_or_create(
            organisation=i.organisation,
            defaults={
                "name": i.name,
                "state": i.state,
                "roles": list(i.roles),
                "valid_from": i.valid_from,
                "valid_until": i.valid_until,
                "anchor_kid": anchor or "",
                "accepted_by": "" if anchor else by,
                "imported_at": timezone.now(),
            },
        )
        row.keys.all().delete()
        TrustedKey.objects.bulk_create(
            TrustedKey(
                issuer=row,
                kid=k.kid,
                public_x=k.jwk["x"],
                not_before=k.not_before,
                not_after=k.not_after,
            )
            for k in i.keys
        )
    _audit(
        Event.TRUST_IMPORTED,
        who,
        details={
            "issuers": [i.organisation for i in issuers],
            "anchor": anchor or "",
            "accepted_explicitly": anchor is None,
        },
    )
    return TrustImport([i.organisation for i in issuers], anchor)


@transaction.atomic
def do_import_revocations(who: Any, data: Any) -> tuple[int, list[str]]:
    """Store the revocations of every list a trusted issuer signed; report the others."""
    try:
        found, problems = read_revocation_list(data, trust_store())
    except ListError as exc:
        raise Refused([Problem("", p) for p in exc.problems]) from None
    own = set(
        Organisation.objects.filter(issuer_profile__isnull=False).values_list("code", flat=True)
    )
    new = 0
    for r in found:
        if r.iss in own:
            continue  # this instance's own revocations are authoritative here
        _obj, created = ImportedRevocation.objects.get_or_create(
            iss=r.iss, jti=r.jti, defaults={"revoked_at": r.revoked_at}
        )
        new += int(created)
    _audit(Event.REVOCATIONS_IMPORTED, who, details={"new": new, "refused_lists": len(problems)})
    return new, problems


# ------------------------------------------------------------------ respecting a notice


def verify_here(jws: str, readable: dict[str, Any] | None = None) -> Verdict:
    return verify_notice(jws, trust_store(), revocations(), timezone.now(), readable)


@transaction.atomic
def do_attach_notice(user: Any, case: Case, jws: str) -> tuple[AttachedNotice, Verdict]:
    """Verify a notice from another state and record the person as identified by it: the
    case's facts get ``victim_status`` and ``identified_by`` (the issuing state), and the
    case is re-assessed, so ACTIP art. 14(2) and the cross-border actions apply."""
    from npp.web.cases.actions import do_update_facts

    if not works_on_cases(user):
        raise Refused("this role does not work on cases")
    verdict = verify_here(jws)
    if not verdict.valid or verdict.parsed is None or verdict.issuer is None:
        raise NotValid(verdict)
    c = verdict.parsed
    if AttachedNotice.objects.filter(case=case, iss=c.iss, jti=c.jti).exists():
        raise Refused([Problem("notice", "this notice is already attached to the case")])
    facts = dict(case.facts)
    person = dict(facts.get("person") or {})
    if not (person.get("victim_status") == "formal" and c.status == "potential"):
        person["victim_status"] = c.status
        person["identified_by"] = c.jur
    if not person.get("nationality") and c.person.nationality:
        person["nationality"] = c.person.nationality
    facts["person"] = person
    if facts != case.facts:
        do_update_facts(user, case, facts, case.version)
    attached = AttachedNotice.objects.create(
        case=case,
        jti=c.jti,
        iss=c.iss,
        jur=c.jur,
        status=c.status,
        issuer_name=str(verdict.issuer.get("name") or "")[:200],
        jws=jws,
        claims=c.as_dict(),
        attached_by=user,
    )
    _audit(
        Event.NOTICE_ATTACHED,
        user,
        target=case,
        details={"jti": c.jti, "iss": c.iss, "jur": c.jur, "status": c.status},
    )
    return attached, verdict
