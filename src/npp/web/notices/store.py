"""What this instance trusts, read from the database into the core's :class:`TrustStore`:
its own issuers (with every key still able to verify a live notice) and the issuers it
imported; and every revocation it knows of."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from npp.notices.jws import b64url_decode
from npp.notices.keys import thumbprint
from npp.notices.lists import Issuer, IssuerKey, TrustStore
from npp.web.notices.models import (
    ImportedRevocation,
    IssuedNotice,
    IssuerProfile,
    OrgSigningKey,
    TrustedIssuer,
)

#: The longest a notice may be valid; a rotated key is published this long after rotation.
MAX_VALID_DAYS = 730
DEFAULT_VALID_DAYS = 180


def _key(kid: str, x: str, not_before: dt.datetime, not_after: dt.datetime | None) -> IssuerKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = Ed25519PublicKey.from_public_bytes(b64url_decode(x, "key"))
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": x}
    if thumbprint(x) != kid:
        raise ValueError(f"stored key {kid!r} does not match its public key")
    return IssuerKey(kid, jwk, public, not_before, not_after)


def own_issuers(now: dt.datetime | None = None) -> list[Issuer]:
    """This instance's issuing organisations, with each key that may still verify a notice."""
    now = now or timezone.now()
    horizon = now - dt.timedelta(days=MAX_VALID_DAYS)
    out = []
    for p in IssuerProfile.objects.select_related("organisation").order_by("organisation__code"):
        org = p.organisation
        keys = [
            _key(k.kid, k.public_x, k.created_at, k.retired_at)
            for k in OrgSigningKey.objects.filter(organisation=org).order_by("created_at", "pk")
            if k.retired_at is None or k.retired_at > horizon
        ]
        if keys:
            out.append(
                Issuer(
                    org.code,
                    org.name,
                    org.jurisdiction,
                    tuple(p.roles),
                    tuple(keys),
                    p.valid_from,
                    p.valid_until,
                )
            )
    return out


def imported_issuers() -> list[Issuer]:
    out = []
    for t in TrustedIssuer.objects.prefetch_related("keys"):
        keys = tuple(_key(k.kid, k.public_x, k.not_before, k.not_after) for k in t.keys.all())
        if keys:
            out.append(
                Issuer(
                    t.organisation,
                    t.name,
                    t.state,
                    tuple(t.roles),
                    keys,
                    t.valid_from,
                    t.valid_until,
                )
            )
    return out


def trust_store(now: dt.datetime | None = None) -> TrustStore:
    return TrustStore(own_issuers(now) + imported_issuers())


def revocations() -> dict[tuple[str, str], dt.datetime]:
    """Every revocation known here: this instance's own and those imported."""
    out: dict[tuple[str, str], dt.datetime] = {}
    for n in IssuedNotice.objects.filter(revoked_at__isnull=False).select_related("organisation"):
        out[(n.organisation.code, n.jti)] = n.revoked_at
    for r in ImportedRevocation.objects.all():
        out[(r.iss, r.jti)] = r.revoked_at
    return out


def public_trust(now: dt.datetime | None = None) -> dict[str, Any]:
    """The trust store as served to the offline verifier (public keys only)."""
    from npp.notices.lists import iso

    last = TrustedIssuer.objects.order_by("-imported_at").values_list("imported_at", flat=True)
    return {
        "generated_at": iso(now or timezone.now()),
        "last_import": iso(last.first()),
        "issuers": [i.as_dict() for i in trust_store(now).issuers],
    }


def public_revocations(now: dt.datetime | None = None) -> dict[str, Any]:
    from npp.notices.lists import iso

    last = ImportedRevocation.objects.order_by("-imported_at").values_list("imported_at", flat=True)
    return {
        "generated_at": iso(now or timezone.now()),
        "last_import": iso(last.first()),
        "revoked": [
            {"iss": iss, "jti": jti, "revoked_at": iso(at)}
            for (iss, jti), at in sorted(revocations().items())
        ],
    }


def own_revocation_document(now: dt.datetime | None = None) -> dict[str, Any]:
    """``npp revocations export``: one list per issuer of this instance (empty lists too: "none
    revoked as of" is news), each signed with the issuer's current notice key."""
    from npp.notices.keys import SigningKey
    from npp.notices.lists import revocation_document, revocation_list_entry

    now = now or timezone.now()
    lists = []
    for p in IssuerProfile.objects.select_related("organisation").order_by("organisation__code"):
        org = p.organisation
        current = OrgSigningKey.objects.filter(organisation=org, retired_at__isnull=True).first()
        if current is None:
            continue
        key = SigningKey.from_private_raw(current.private_key)
        revoked = IssuedNotice.objects.filter(organisation=org, revoked_at__isnull=False)
        lists.append(
            revocation_list_entry(
                org.code,
                org.jurisdiction,
                [(n.jti, n.revoked_at) for n in revoked.order_by("revoked_at", "pk")],
                (key.kid, key.private),
                now,
            )
        )
    return revocation_document(lists, now)
