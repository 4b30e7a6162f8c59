"""Verify a notice offline: valid, or not valid with every reason.

Only the trust store and the revocations held locally are consulted. The checks are
independent, so a notice that is both expired and revoked says both. The algorithm is
checked first and only ``EdDSA`` ever reaches a key: ``alg: none`` and HMAC (which would
use the public key as a shared secret) are refused outright.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from npp.notices.claims import ALLOWED_ROLES, ClaimsError, NoticeClaims, parse_claims
from npp.notices.jws import ALGORITHM, MalformedJws, parse_compact, signature_valid, strict_json
from npp.notices.lists import TrustStore, iso

#: The largest notice file read (a notice file is about 2 KB).
MAX_FILE_BYTES = 64 * 1024
#: Clocks differ: a notice issued a few minutes "in the future" is not refused for that.
LEEWAY = dt.timedelta(minutes=5)


class Reason(StrEnum):
    UNKNOWN_ISSUER = "unknown_issuer"
    BAD_SIGNATURE = "bad_signature"
    ALTERED_CLAIMS = "altered_claims"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    ISSUER_NOT_ALLOWED = "issuer_not_allowed"
    ALGORITHM_REFUSED = "algorithm_refused"
    KEY_NOT_IN_USE = "key_not_in_use"
    INVALID_CLAIMS = "invalid_claims"


@dataclass(frozen=True)
class Finding:
    code: Reason
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "text": self.text}


@dataclass
class Verdict:
    """Contract §5: ``{"valid", "reasons", "issuer", "claims"}`` (plus ``checked_at``)."""

    reasons: list[Finding] = field(default_factory=list)
    issuer: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    parsed: NoticeClaims | None = None
    checked_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return not self.reasons and self.parsed is not None

    def add(self, code: Reason, text: str) -> None:
        self.reasons.append(Finding(code, text))

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "reasons": [r.as_dict() for r in self.reasons],
            "issuer": self.issuer,
            "claims": self.claims,
            "checked_at": iso(self.checked_at),
        }


class UnreadableNotice(ValueError):
    """Not a notice at all (too large, not JSON, not a compact JWS): exit status 2."""


def read_notice_file(raw: bytes) -> tuple[str, dict[str, Any] | None]:
    """The JWS and the readable copy of the claims from ``NOTICE.json``; a bare compact JWS
    (as scanned from the QR code) is accepted too."""
    if len(raw) > MAX_FILE_BYTES:
        raise UnreadableNotice(f"larger than {MAX_FILE_BYTES // 1024} KB: not a notice")
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise UnreadableNotice("not UTF-8 text") from None
    if not text:
        raise UnreadableNotice("empty")
    if not text.startswith("{"):
        return text, None
    try:
        data = strict_json(text.encode("utf-8"), "the notice file")
    except MalformedJws as exc:
        raise UnreadableNotice(str(exc)) from None
    jws = data.get("jws")
    if not isinstance(jws, str):
        raise UnreadableNotice('jws: missing (a notice file holds the JWS under "jws")')
    claims = data.get("claims")
    return jws.strip(), claims if isinstance(claims, dict) else None


def _when(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def verify_notice(
    jws: str,
    store: TrustStore,
    revoked: Mapping[tuple[str, str], dt.datetime],
    now: dt.datetime,
    readable_claims: dict[str, Any] | None = None,
) -> Verdict:
    """Check everything; raises :class:`UnreadableNotice` only for input that is not a JWS
    with a JSON payload."""
    try:
        parsed = parse_compact(jws)
        payload = strict_json(parsed.payload, "payload")
    except MalformedJws as exc:
        raise UnreadableNotice(f"not a notice: {exc}") from None
    v = Verdict(claims=payload, checked_at=now)
    alg_ok = parsed.alg == ALGORITHM
    if not alg_ok:
        v.add(
            Reason.ALGORITHM_REFUSED,
            f"algorithm {json.dumps(parsed.alg)} refused: notices are signed with EdDSA only",
        )
    try:
        v.parsed = parse_claims(payload)
    except ClaimsError as exc:
        v.add(Reason.INVALID_CLAIMS, "claims not as required: " + "; ".join(exc.problems))
    c = v.parsed
    found = store.key(parsed.kid)
    if found is None:
        v.add(
            Reason.UNKNOWN_ISSUER,
            f"unknown issuer: no trusted key {parsed.kid!r}"
            + (f" (the notice names {payload.get('iss')!r})" if payload.get("iss") else ""),
        )
    else:
        issuer, key = found
        v.issuer = {
            "organisation": issuer.organisation,
            "name": issuer.name,
            "state": issuer.state,
            "roles": list(issuer.roles),
            "kid": key.kid,
        }
        if payload.get("iss") != issuer.organisation or payload.get("jur") != issuer.state:
            v.add(
                Reason.UNKNOWN_ISSUER,
                f"unknown issuer: the key belongs to {issuer.organisation} ({issuer.state}), "
                f"but the notice names {payload.get('iss')!r} ({payload.get('jur')!r})",
            )
        if alg_ok and not signature_valid(parsed, key.public):
            v.add(Reason.BAD_SIGNATURE, "bad signature: the notice was altered or forged")
        if not issuer.valid_from <= now or (issuer.valid_until and now > issuer.valid_until):
            v.add(Reason.UNKNOWN_ISSUER, f"{issuer.organisation} is not trusted on this date")
        if c is not None:
            issued = dt.datetime.fromtimestamp(c.iat, dt.UTC)
            if not key.in_use_at(issued):
                v.add(
                    Reason.KEY_NOT_IN_USE,
                    f"the key {key.kid} was not in use on {_when(c.iat)}, when the notice "
                    "says it was issued",
                )
            if not ALLOWED_ROLES[c.status] & set(issuer.roles):
                v.add(
                    Reason.ISSUER_NOT_ALLOWED,
                    f"issuer not allowed to identify: {issuer.organisation} may not issue "
                    f"'{c.status}' notices (its roles: {', '.join(issuer.roles)})",
                )
    if c is not None:
        stamp = int(now.timestamp())
        if stamp + LEEWAY.total_seconds() < c.nbf or stamp + LEEWAY.total_seconds() < c.iat:
            v.add(Reason.NOT_YET_VALID, f"not yet valid: valid from {_when(c.nbf)}")
        if stamp >= c.exp:
            v.add(Reason.EXPIRED, f"expired on {_when(c.exp)}")
        at = revoked.get((c.iss, c.jti))
        if at is not None:
            v.add(Reason.REVOKED, f"revoked by the issuer on {at.strftime('%Y-%m-%d')}")
    if readable_claims is not None and readable_claims != payload:
        v.add(
            Reason.ALTERED_CLAIMS,
            "altered claims: the readable copy differs from the signed claims (only the "
            "signed claims are shown)",
        )
    return v
