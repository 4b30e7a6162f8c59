"""Fixtures for the framework-free notice core: an issuer with a key, a trust store, and a
signed notice, all in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pytest

from npp.notices.claims import ROLE_FORMAL, NoticeClaims, PersonClaims, build_claims
from npp.notices.jws import canonical_json, sign_compact
from npp.notices.keys import SigningKey, generate_key
from npp.notices.lists import Issuer, IssuerKey, TrustStore

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


def issuer_for(
    key: SigningKey,
    org: str = "th-dsdw",
    state: str = "TH",
    roles: tuple[str, ...] = (ROLE_FORMAL,),
) -> Issuer:
    ik = IssuerKey(key.kid, key.jwk, key.public, NOW - dt.timedelta(days=30))
    return Issuer(org, f"{org} name", state, roles, (ik,), NOW - dt.timedelta(days=30))


def claims_for(status: str = "formal", **changes: Any) -> NoticeClaims:
    c = build_claims(
        iss="th-dsdw",
        jur="TH",
        status=status,
        identified_on=dt.date(2026, 11, 20),
        person=PersonClaims("Noy", "Phommachanh", "2007-02-14", "LA", "P0123456"),
        now=NOW - dt.timedelta(days=1),
        valid_days=180,
        exploitation=["sexual_exploitation"],
        contact="Department of Social Development and Welfare, 1300",
    )
    return replace(c, **changes)


def sign(claims: NoticeClaims | dict[str, Any], key: SigningKey, **header: Any) -> str:
    payload = claims.as_dict() if isinstance(claims, NoticeClaims) else claims
    return sign_compact(
        {"kid": key.kid, "typ": "JWT", **header}, canonical_json(payload), key.private
    )


@dataclass
class World:
    key: SigningKey
    store: TrustStore
    claims: NoticeClaims
    jws: str


@pytest.fixture(scope="module")
def world() -> World:
    key = generate_key()
    claims = claims_for()
    return World(key, TrustStore([issuer_for(key)]), claims, sign(claims, key))
