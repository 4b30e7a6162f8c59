"""Ed25519 keys: generation, the public key as a JWK (RFC 8037), key ids (RFC 7638)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from npp.notices.jws import MalformedJws, b64url_decode, b64url_encode


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def jwk_of(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as a JWK, with its RFC 7638 thumbprint as ``kid``."""
    x = b64url_encode(raw_public(key))
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": thumbprint(x),
        "use": "sig",
        "alg": "EdDSA",
    }


def thumbprint(x: str) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no spaces."""
    canonical = f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def public_key_from_jwk(jwk: Any) -> Ed25519PublicKey:
    """Only an Ed25519 OKP public key; a private member (``d``) is refused, never used."""
    if not isinstance(jwk, dict):
        raise MalformedJws("the key is not a JSON object")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise MalformedJws("the key is not an Ed25519 (OKP) key")
    if "d" in jwk:
        raise MalformedJws("the key includes its private part: refusing it")
    x = jwk.get("x")
    if not isinstance(x, str):
        raise MalformedJws("the key has no 'x'")
    raw = b64url_decode(x, "the key's 'x'")
    if len(raw) != 32:
        raise MalformedJws("the key's 'x' is not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass(frozen=True)
class SigningKey:
    """A private key with its id; ``private_raw`` is what the application stores encrypted."""

    kid: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def jwk(self) -> dict[str, str]:
        return jwk_of(self.public)

    @property
    def private_raw(self) -> str:
        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return b64url_encode(raw)

    @classmethod
    def from_private_raw(cls, text: str) -> SigningKey:
        key = Ed25519PrivateKey.from_private_bytes(b64url_decode(text, "private key"))
        return cls(thumbprint(b64url_encode(raw_public(key.public_key()))), key)


def generate_key() -> SigningKey:
    key = Ed25519PrivateKey.generate()
    return SigningKey(thumbprint(b64url_encode(raw_public(key.public_key()))), key)
