"""Trust lists signed by an anchor, and revocation lists signed by each issuer."""

from __future__ import annotations

import copy
import json

import pytest

from npp.notices.keys import generate_key
from npp.notices.lists import (
    ListError,
    TrustStore,
    read_revocation_list,
    read_trust_list,
    revocation_document,
    revocation_list_entry,
    trust_list_document,
    trust_list_payload,
)

from .conftest import NOW, issuer_for


def roundtrip(doc: dict) -> dict:  # type: ignore[type-arg]
    return json.loads(json.dumps(doc))


def test_a_list_signed_by_a_held_anchor_is_read_with_its_anchor() -> None:
    anchor, key = generate_key(), generate_key()
    doc = trust_list_document(
        trust_list_payload([issuer_for(key)], NOW), (anchor.kid, anchor.private)
    )
    issuers, by = read_trust_list(roundtrip(doc), {anchor.kid: anchor.public})
    assert by == anchor.kid and [i.organisation for i in issuers] == ["th-dsdw"]
    assert issuers[0].keys[0].kid == key.kid


def test_a_list_signed_by_an_anchor_not_held_is_refused() -> None:
    anchor, key = generate_key(), generate_key()
    doc = trust_list_document(
        trust_list_payload([issuer_for(key)], NOW), (anchor.kid, anchor.private)
    )
    with pytest.raises(ListError, match="does not hold"):
        read_trust_list(roundtrip(doc), {})


def test_an_altered_signed_list_is_refused() -> None:
    anchor, key, mallory = generate_key(), generate_key(), generate_key()
    doc = roundtrip(
        trust_list_document(
            trust_list_payload([issuer_for(key)], NOW), (anchor.kid, anchor.private)
        )
    )
    evil = copy.deepcopy(doc)
    evil["trust_list"]["issuers"][0]["keys"][0]["jwk"]["x"] = mallory.jwk["x"]
    with pytest.raises(ListError, match="differs from the signed copy"):
        read_trust_list(evil, {anchor.kid: anchor.public})


def test_an_unsigned_list_reads_without_an_anchor() -> None:
    doc = trust_list_document(trust_list_payload([issuer_for(generate_key())], NOW))
    issuers, by = read_trust_list(roundtrip(doc), {})
    assert by is None and len(issuers) == 1


def test_a_key_whose_kid_is_not_its_thumbprint_is_refused() -> None:
    doc = roundtrip(trust_list_document(trust_list_payload([issuer_for(generate_key())], NOW)))
    doc["trust_list"]["issuers"][0]["keys"][0]["kid"] = "made-up"
    with pytest.raises(ListError, match="thumbprint"):
        read_trust_list(doc, {})


def test_a_private_key_in_a_trust_list_is_refused() -> None:
    key = generate_key()
    doc = roundtrip(trust_list_document(trust_list_payload([issuer_for(key)], NOW)))
    doc["trust_list"]["issuers"][0]["keys"][0]["jwk"]["d"] = key.private_raw
    with pytest.raises(ListError, match="private part"):
        read_trust_list(doc, {})


@pytest.mark.parametrize("bad", [None, [], {"contract": "other"}, {"contract": "npp.trust/1"}])
def test_malformed_trust_lists_say_why(bad: object) -> None:
    with pytest.raises(ListError):
        read_trust_list(bad, {})


def test_revocations_are_taken_only_from_lists_their_issuer_signed() -> None:
    key, other = generate_key(), generate_key()
    store = TrustStore([issuer_for(key), issuer_for(other, org="kh-police", state="KH")])
    good = revocation_list_entry("th-dsdw", "TH", [("n-1", NOW)], (key.kid, key.private), NOW)
    forged = revocation_list_entry("th-dsdw", "TH", [("n-2", NOW)], (other.kid, other.private), NOW)
    found, problems = read_revocation_list(
        roundtrip(revocation_document([good, forged], NOW)), store
    )
    assert [(r.iss, r.jti) for r in found] == [("th-dsdw", "n-1")]
    assert len(problems) == 1 and "not trusted" in problems[0]


def test_revocations_from_an_unknown_issuer_are_refused() -> None:
    key = generate_key()
    entry = revocation_list_entry("th-dsdw", "TH", [("n-1", NOW)], (key.kid, key.private), NOW)
    found, problems = read_revocation_list(
        roundtrip(revocation_document([entry], NOW)), TrustStore([])
    )
    assert found == [] and problems
