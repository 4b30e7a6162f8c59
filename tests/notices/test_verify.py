"""Verification: valid, or not valid with every reason, and never a traceback."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import warnings
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npp.notices.claims import ROLE_SCREENING
from npp.notices.jws import b64url_encode, canonical_json
from npp.notices.keys import generate_key
from npp.notices.lists import TrustStore
from npp.notices.verify import Reason, UnreadableNotice, read_notice_file, verify_notice

from .conftest import NOW, World, claims_for, issuer_for, sign


def codes(v) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(r.code) for r in v.reasons}


def test_a_genuine_notice_is_valid_and_shows_its_issuer(world: World) -> None:
    v = verify_notice(world.jws, world.store, {}, NOW, world.claims.as_dict())
    assert v.valid, v.reasons
    assert v.issuer and v.issuer["organisation"] == "th-dsdw" and v.issuer["state"] == "TH"
    assert v.as_dict()["claims"]["person"]["family_name"] == "Phommachanh"


def test_the_notice_says_nothing_about_offences(world: World) -> None:
    assert set(world.claims.as_dict()) <= {
        "jti",
        "iss",
        "jur",
        "iat",
        "nbf",
        "exp",
        "status",
        "identified_on",
        "person",
        "exploitation",
        "contact",
    }


def test_an_independent_jose_library_verifies_what_we_sign(world: World) -> None:
    from joserfc import jws
    from joserfc.jwk import OKPKey

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc notes RFC 9864's newer name for EdDSA
        obj = jws.deserialize_compact(
            world.jws, OKPKey.import_key(world.key.jwk), algorithms=["EdDSA"]
        )
    assert obj.headers()["alg"] == "EdDSA" and obj.headers()["kid"] == world.key.kid
    assert json.loads(obj.payload) == world.claims.as_dict()


def test_we_verify_what_an_independent_jose_library_signs(world: World) -> None:
    from joserfc import jws
    from joserfc.jwk import OKPKey

    private = OKPKey.import_key({**world.key.jwk, "d": world.key.private_raw})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact(
            {"alg": "EdDSA", "kid": world.key.kid},
            canonical_json(world.claims.as_dict()),
            private,
            algorithms=["EdDSA"],
        )
    assert verify_notice(token, world.store, {}, NOW).valid


def test_expired_and_revoked_are_both_reported(world: World) -> None:
    later = NOW + dt.timedelta(days=400)
    v = verify_notice(world.jws, world.store, {("th-dsdw", world.claims.jti): NOW}, later)
    assert codes(v) == {"expired", "revoked"}
    assert not v.valid


def test_a_revocation_by_another_issuer_does_not_count(world: World) -> None:
    v = verify_notice(world.jws, world.store, {("someone-else", world.claims.jti): NOW}, NOW)
    assert v.valid


def test_not_yet_valid_beyond_the_clock_leeway(world: World) -> None:
    early = NOW - dt.timedelta(days=2)
    assert codes(verify_notice(world.jws, world.store, {}, early)) == {"not_yet_valid"}
    assert verify_notice(world.jws, world.store, {}, NOW - dt.timedelta(days=1, minutes=-2)).valid


def test_unknown_issuer_when_no_trusted_key(world: World) -> None:
    v = verify_notice(world.jws, TrustStore([]), {}, NOW)
    assert codes(v) == {"unknown_issuer"}
    assert "th-dsdw" in v.reasons[0].text


def test_forged_issuer_claims_another_organisation_with_its_own_key(world: World) -> None:
    forger = generate_key()
    store = TrustStore([issuer_for(world.key), issuer_for(forger, org="kh-police", state="KH")])
    forged = sign(world.claims, forger)  # says iss th-dsdw, signed with kh-police's key
    assert codes(verify_notice(forged, store, {}, NOW)) == {"unknown_issuer"}


def test_wrong_key_under_the_right_kid_is_a_bad_signature(world: World) -> None:
    other = generate_key()
    token = sign(world.claims, replace(other, kid=world.key.kid))
    assert codes(verify_notice(token, world.store, {}, NOW)) == {"bad_signature"}


def test_alg_none_is_refused_without_touching_a_key(world: World) -> None:
    head = b64url_encode(canonical_json({"alg": "none", "kid": world.key.kid}))
    body = b64url_encode(canonical_json(world.claims.as_dict()))
    v = verify_notice(f"{head}.{body}.", world.store, {}, NOW)
    assert "algorithm_refused" in codes(v) and not v.valid


def test_hmac_with_the_public_key_as_secret_is_refused(world: World) -> None:
    head = b64url_encode(canonical_json({"alg": "HS256", "kid": world.key.kid}))
    body = b64url_encode(canonical_json(world.claims.as_dict()))
    secret = base64.urlsafe_b64decode(world.key.jwk["x"] + "=")
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    v = verify_notice(f"{head}.{body}.{b64url_encode(mac)}", world.store, {}, NOW)
    assert codes(v) == {"algorithm_refused"}


def test_a_screening_body_may_not_issue_a_formal_notice() -> None:
    key = generate_key()
    store = TrustStore([issuer_for(key, roles=(ROLE_SCREENING,))])
    assert codes(verify_notice(sign(claims_for("formal"), key), store, {}, NOW)) == {
        "issuer_not_allowed"
    }
    assert verify_notice(sign(claims_for("potential"), key), store, {}, NOW).valid


def test_an_altered_readable_copy_is_reported(world: World) -> None:
    readable = dict(world.claims.as_dict(), status="potential")
    assert codes(verify_notice(world.jws, world.store, {}, NOW, readable)) == {"altered_claims"}


def test_a_key_used_outside_its_period_is_reported() -> None:
    key = generate_key()
    issuer = issuer_for(key)
    retired = replace(issuer.keys[0], not_after=NOW - dt.timedelta(days=10))
    store = TrustStore([replace(issuer, keys=(retired,))])
    assert codes(verify_notice(sign(claims_for(), key), store, {}, NOW)) == {"key_not_in_use"}


def test_claims_missing_a_required_member_are_invalid(world: World) -> None:
    data = world.claims.as_dict()
    del data["person"]
    assert "invalid_claims" in codes(verify_notice(sign(data, world.key), world.store, {}, NOW))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not a notice",
        b"a.b",
        b"a.b.c.d",
        b"{}",
        b'{"jws": 5}',
        b"\xff\xfe\x00",
        b"x" * 70_000,
        b"eyJhbGciOiJFZERTQSJ9.!!!.AAAA",
        b'{"jws": "a.b.c", "jws": "d.e.f"}',
        b"e30.e30." + b"A" * 5000,
    ],
)
def test_malformed_and_oversized_input_is_unreadable_never_a_traceback(
    raw: bytes, world: World
) -> None:
    with pytest.raises(UnreadableNotice):
        jws, readable = read_notice_file(raw)
        verify_notice(jws, world.store, {}, NOW, readable)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_single_byte_change_fails_verification(world: World, data: st.DataObject) -> None:
    token = world.jws.encode("ascii")
    i = data.draw(st.integers(0, len(token) - 1), label="position")
    b = data.draw(st.integers(0, 255).filter(lambda b: b != token[i]), label="byte")
    changed = token[:i] + bytes([b]) + token[i + 1 :]
    try:
        jws, readable = read_notice_file(changed)
        v = verify_notice(jws, world.store, {}, NOW, readable)
    except UnreadableNotice:
        return
    assert not v.valid, (i, b)


def test_every_position_of_the_notice_is_covered(world: World) -> None:
    """The property test samples; this walks every byte once with one substitution each."""
    token = world.jws.encode("ascii")
    for i in range(len(token)):
        for b in {ord("A") if token[i] != ord("A") else ord("B"), ord(".")} - {token[i]}:
            changed = token[:i] + bytes([b]) + token[i + 1 :]
            try:
                jws, readable = read_notice_file(changed)
                assert not verify_notice(jws, world.store, {}, NOW, readable).valid, i
            except UnreadableNotice:
                pass


def test_reasons_are_the_contract_codes() -> None:
    assert {r.value for r in Reason} >= {
        "unknown_issuer",
        "bad_signature",
        "altered_claims",
        "expired",
        "not_yet_valid",
        "revoked",
        "issuer_not_allowed",
        "algorithm_refused",
    }
