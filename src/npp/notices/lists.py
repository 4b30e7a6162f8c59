"""Trust lists (who may issue, with which keys) and revocation lists, both signed.

A **trust list** names issuers: organisation, state, roles (``formal_identification``,
``screening``), validity, and public keys as JWK with the period each key signed in. It may
be signed by a *trust anchor* (e.g. a regional body) as a compact JWS over the list; an
instance accepts another's list only when it holds that anchor's public key, or when an
administrator accepts it explicitly.

A **revocation list** is one list per issuer, each signed with that issuer's own notice key,
so it can travel through any channel: a list is accepted only if a key the verifier already
trusts for that issuer signed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from npp.notices.claims import COUNTRY, ORG_CODE, ROLES
from npp.notices.jws import (
    MalformedJws,
    canonical_json,
    parse_compact,
    sign_compact,
    signature_valid,
    strict_json,
)
from npp.notices.keys import public_key_from_jwk, thumbprint

TRUST_CONTRACT = "npp.trust/1"
REVOCATIONS_CONTRACT = "npp.revocations/1"
MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_LIST_JWS = 4 * 1024 * 1024


class ListError(ValueError):
    """A trust or revocation list that cannot be used; ``problems`` says why, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_iso(value: Any, where: str, problems: list[str]) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        problems.append(f"{where}: must be a date and time with a time zone (ISO 8601)")
        return None
    return moment


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    jwk: dict[str, Any]
    public: Ed25519PublicKey
    not_before: dt.datetime
    not_after: dt.datetime | None = None  # when the key stopped signing (rotation)

    def in_use_at(self, moment: dt.datetime) -> bool:
        """Whole seconds: a notice's ``iat`` is whole seconds, so a key made at 12:00:00.7 signs
        a notice stamped 12:00:00."""
        start = self.not_before.replace(microsecond=0)
        return start <= moment and (self.not_after is None or moment <= self.not_after)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kid": self.kid,
            "jwk": self.jwk,
            "not_before": iso(self.not_before),
            "not_after": iso(self.not_after),
        }


@dataclass(frozen=True)
class Issuer:
    organisation: str
    name: str
    state: str
    roles: tuple[str, ...]
    keys: tuple[IssuerKey, ...]
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "name": self.name,
            "state": self.state,
            "roles": list(self.roles),
            "valid_from": iso(self.valid_from),
            "valid_until": iso(self.valid_until),
            "keys": [k.as_dict() for k in self.keys],
        }


@dataclass
class TrustStore:
    """The issuers a verifier trusts, indexed by key id."""

    issuers: list[Issuer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_kid: dict[str, tuple[Issuer, IssuerKey]] = {
            k.kid: (i, k) for i in self.issuers for k in i.keys
        }

    def key(self, kid: str | None) -> tuple[Issuer, IssuerKey] | None:
        return self._by_kid.get(kid) if kid else None

    def issuer(self, organisation: str) -> Issuer | None:
        return next((i for i in self.issuers if i.organisation == organisation), None)


# ------------------------------------------------------------------ trust lists


def trust_list_payload(issuers: Iterable[Issuer], now: dt.datetime) -> dict[str, Any]:
    return {
        "type": "npp.trust-list/1",
        "issued_at": iso(now),
        "issuers": [i.as_dict() for i in issuers],
    }


def trust_list_document(
    payload: dict[str, Any], anchor: tuple[str, Ed25519PrivateKey] | None = None
) -> dict[str, Any]:
    """The file ``npp trust export`` writes: the list, readable, and (optionally) an anchor's
    signature over it; the signed copy is the one an importer uses."""
    jws = None
    if anchor is not None:
        kid, key = anchor
        jws = sign_compact({"kid": kid, "typ": "npp-trust+json"}, canonical_json(payload), key)
    return {"contract": TRUST_CONTRACT, "trust_list": payload, "jws": jws}


def _issuer(raw: Any, n: int, problems: list[str]) -> Issuer | None:
    where = f"issuers[{n}]"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    before = len(problems)
    org, state, name = raw.get("organisation"), raw.get("state"), raw.get("name", "")
    if not isinstance(org, str) or not ORG_CODE.fullmatch(org):
        problems.append(f"{where}.organisation: must be an organisation code")
    if not isinstance(state, str) or not COUNTRY.fullmatch(state):
        problems.append(f"{where}.state: must be a two-letter country code")
    if not isinstance(name, str) or len(name) > 200:
        problems.append(f"{where}.name: must be text of at most 200 characters")
    roles = raw.get("roles")
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        problems.append(f"{where}.roles: must list one or more of {', '.join(ROLES)}")
    valid_from = parse_iso(raw.get("valid_from"), f"{where}.valid_from", problems)
    if valid_from is None and raw.get("valid_from") is None:
        problems.append(f"{where}.valid_from: is required")
    valid_until = parse_iso(raw.get("valid_until"), f"{where}.valid_until", problems)
    keys: list[IssuerKey] = []
    raw_keys = raw.get("keys")
    if not isinstance(raw_keys, list) or not raw_keys:
        problems.append(f"{where}.keys: must list at least one key")
        raw_keys = []
    for m, rk in enumerate(raw_keys):
        kw = f"{where}.keys[{m}]"
        if not isinstance(rk, dict):
            problems.append(f"{kw}: must be an object")
            continue
        try:
            public = public_key_from_jwk(rk.get("jwk"))
        except MalformedJws as exc:
            problems.append(f"{kw}.jwk: {exc}")
            continue
        x = rk["jwk"]["x"]
        if rk.get("kid") != thumbprint(x):
            problems.append(f"{kw}.kid: is not the key's RFC 7638 thumbprint")
            continue
        nb = parse_iso(rk.get("not_before"), f"{kw}.not_before", problems)
        na = parse_iso(rk.get("not_after"), f"{kw}.not_after", problems)
        if nb is None:
            if rk.get("not_before") is None:
                problems.append(f"{kw}.not_before: is required")
            continue
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": x}
        keys.append(IssuerKey(thumbprint(x), jwk, public, nb, na))
    if len(problems) > before or valid_from is None:
        return None
    return Issuer(
        str(org), str(name), str(state), tuple(roles or ()), tuple(keys), valid_from, valid_until
    )


def read_trust_list(
    data: Any, anchors: dict[str, Ed25519PublicKey]
) -> tuple[list[Issuer], str | None]:
    """The issuers of a trust list file, and the id of the anchor that signed it (``None``
    when unsigned). Raises :class:`ListError` when it cannot be used: malformed, or signed
    by an anchor not in ``anchors``, or its signature does not verify."""
    if not isinstance(data, dict) or data.get("contract") != TRUST_CONTRACT:
        raise ListError([f"(top level): not a trust list (contract must be {TRUST_CONTRACT!r})"])
    jws, anchor = data.get("jws"), None
    payload: Any
    if jws is not None:
        if not isinstance(jws, str) or len(jws) > MAX_LIST_JWS:
            raise ListError(["jws: must be a compact JWS"])
        try:
            parsed = parse_compact(jws, MAX_LIST_JWS)
        except MalformedJws as exc:
            raise ListError([f"jws: {exc}"]) from None
        if parsed.alg != "EdDSA":
            raise ListError([f"jws: algorithm {parsed.alg!r} refused (only EdDSA)"])
        key = anchors.get(parsed.kid or "")
        if key is None:
            raise ListError(
                [f"jws: signed by trust anchor {parsed.kid!r}, which this instance does not hold"]
            )
        if not signature_valid(parsed, key):
            raise ListError(["jws: the trust anchor's signature does not verify (altered list?)"])
        try:
            payload = strict_json(parsed.payload, "jws payload")
        except MalformedJws as exc:
            raise ListError([f"jws: {exc}"]) from None
        if "trust_list" in data and canonical_json(data["trust_list"]) != parsed.payload:
            raise ListError(["trust_list: differs from the signed copy (altered list?)"])
        anchor = parsed.kid
    else:
        payload = data.get("trust_list")
    if not isinstance(payload, dict) or not isinstance(payload.get("issuers"), list):
        raise ListError(["trust_list.issuers: must be a list"])
    problems: list[str] = []
    issuers = [_issuer(raw, n, problems) for n, raw in enumerate(payload["issuers"])]
    if problems:
        raise ListError(problems)
    return [i for i in issuers if i is not None], anchor


# ------------------------------------------------------------------ revocation lists


@dataclass(frozen=True)
class Revocation:
    jti: str
    iss: str
    revoked_at: dt.datetime


def revocation_list_entry(
    iss: str,
    jur: str,
    revoked: Iterable[tuple[str, dt.datetime]],
    key: tuple[str, Ed25519PrivateKey],
    now: dt.datetime,
) -> dict[str, Any]:
    """One issuer's list, signed with its current notice key."""
    payload = {
        "type": "npp.revocation-list/1",
        "iss": iss,
        "jur": jur,
        "issued_at": iso(now),
        "revoked": [{"jti": j, "revoked_at": iso(at)} for j, at in revoked],
    }
    kid, private = key
    return {
        "iss": iss,
        "jws": sign_compact(
            {"kid": kid, "typ": "npp-revocations+json"}, canonical_json(payload), private
        ),
    }


def revocation_document(lists: list[dict[str, Any]], now: dt.datetime) -> dict[str, Any]:
    return {"contract": REVOCATIONS_CONTRACT, "issued_at": iso(now), "lists": lists}


def read_revocation_list(data: Any, store: TrustStore) -> tuple[list[Revocation], list[str]]:
    """Revocations whose list a trusted key of the same issuer signed; and one problem per
    list that was refused (unknown issuer, bad signature, malformed)."""
    if not isinstance(data, dict) or data.get("contract") != REVOCATIONS_CONTRACT:
        raise ListError(
            [f"(top level): not a revocation list (contract must be {REVOCATIONS_CONTRACT!r})"]
        )
    lists = data.get("lists")
    if not isinstance(lists, list):
        raise ListError(["lists: must be a list"])
    out: list[Revocation] = []
    problems: list[str] = []
    for n, entry in enumerate(lists):
        where = f"lists[{n}]"
        jws = entry.get("jws") if isinstance(entry, dict) else None
        if not isinstance(jws, str):
            problems.append(f"{where}.jws: must be a compact JWS")
            continue
        try:
            parsed = parse_compact(jws, MAX_LIST_JWS)
            payload = strict_json(parsed.payload, "payload")
        except MalformedJws as exc:
            problems.append(f"{where}.jws: {exc}")
            continue
        found = store.key(parsed.kid)
        iss = payload.get("iss")
        if found is None or found[0].organisation != iss:
            problems.append(f"{where}: issuer {iss!r} (key {parsed.kid!r}) is not trusted here")
            continue
        if parsed.alg != "EdDSA" or not signature_valid(parsed, found[1].public):
            problems.append(f"{where}: the signature of {iss!r} does not verify")
            continue
        revoked = payload.get("revoked")
        if not isinstance(revoked, list):
            problems.append(f"{where}.revoked: must be a list")
            continue
        for m, r in enumerate(revoked):
            inner: list[str] = []
            at = parse_iso(
                r.get("revoked_at") if isinstance(r, dict) else None,
                f"{where}.revoked[{m}].revoked_at",
                inner,
            )
            jti = r.get("jti") if isinstance(r, dict) else None
            if not isinstance(jti, str) or not 0 < len(jti) <= 200 or at is None:
                problems.append(f"{where}.revoked[{m}]: needs a jti and revoked_at")
                continue
            out.append(Revocation(jti, str(iss), at))
    return out, problems
