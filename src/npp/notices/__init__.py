"""Identification notices between states (contract §5): the framework-free core.

An organisation signs a statement that a person was identified as a victim of trafficking
(``formal``) or is treated as a presumed victim pending identification (``potential``), as a
compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037). Another state verifies it with
nothing but the issuer's public key, from a trust list it holds locally, and a revocation
list: no network (ACTIP art. 14(2): respect and recognise another Party's identification).

Modules: :mod:`.jws` (compact serialisation, strict parsing), :mod:`.keys` (Ed25519 keys,
JWK, RFC 7638 key ids), :mod:`.claims` (what a notice says, and nothing about offences),
:mod:`.verify` (every reason a notice is not valid) and :mod:`.lists` (signed trust and
revocation lists). No Django, no database: the web application and the CLI supply keys,
trust and revocations.
"""

from __future__ import annotations

from npp.notices.claims import NoticeClaims, PersonClaims, build_claims
from npp.notices.jws import MalformedJws, parse_compact, sign_compact
from npp.notices.keys import SigningKey, generate_key, jwk_of, public_key_from_jwk
from npp.notices.lists import (
    Issuer,
    IssuerKey,
    TrustStore,
    read_revocation_list,
    read_trust_list,
)
from npp.notices.verify import Reason, Verdict, read_notice_file, verify_notice

__all__ = [
    "Issuer",
    "IssuerKey",
    "MalformedJws",
    "NoticeClaims",
    "PersonClaims",
    "Reason",
    "SigningKey",
    "TrustStore",
    "Verdict",
    "build_claims",
    "generate_key",
    "jwk_of",
    "parse_compact",
    "public_key_from_jwk",
    "read_notice_file",
    "read_revocation_list",
    "read_trust_list",
    "sign_compact",
    "verify_notice",
]
