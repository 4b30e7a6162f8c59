"""Compact JWS (RFC 7515 §7.1) signed with EdDSA over Ed25519 (RFC 8037), parsed strictly.

Written on ``cryptography`` rather than through a JOSE library because the verifier must
report *every* reason a notice fails (a library stops at the first), must refuse any
algorithm but ``EdDSA`` before a key is even looked up (``alg: none`` and HMAC-with-the-
public-key tricks), and must bound what it reads. The tests check that an independent JOSE
library (joserfc) verifies what this module signs, and that this module verifies what it
signs.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"
#: The longest JWS accepted (a notice is about 900 characters; a QR code holds ~2,900).
MAX_JWS_CHARS = 4096
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class MalformedJws(ValueError):
    """Not a compact JWS that can be read at all (the CLI's exit status 2)."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, what: str) -> bytes:
    """Unpadded base64url only (RFC 7515 §2): anything else is malformed, not "repaired"."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise MalformedJws(f"{what} is not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MalformedJws(f"{what} is not base64url") from None
    if (
        b64url_encode(raw) != text
    ):  # non-canonical trailing bits: a second spelling of the same bytes
        raise MalformedJws(f"{what} is not canonical base64url")
    return raw


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise MalformedJws(f"duplicate member {k!r}")
        out[k] = v
    return out


def strict_json(raw: bytes, what: str) -> dict[str, Any]:
    """A JSON object in UTF-8 with no duplicate member names (two readers must not disagree)."""
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        raise MalformedJws(f"{what} is not UTF-8") from None
    except (json.JSONDecodeError, RecursionError):
        raise MalformedJws(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise MalformedJws(f"{what} is not a JSON object")
    return value


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same claims always give the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class ParsedJws:
    header: dict[str, Any]
    payload: bytes
    signature: bytes
    signing_input: bytes

    @property
    def alg(self) -> Any:
        return self.header.get("alg")

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None


def sign_compact(header: dict[str, Any], payload: bytes, key: Ed25519PrivateKey) -> str:
    """``BASE64URL(header) . BASE64URL(payload) . BASE64URL(Ed25519 signature)``."""
    head = dict(header, alg=ALGORITHM)
    signing_input = f"{b64url_encode(canonical_json(head))}.{b64url_encode(payload)}"
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def parse_compact(token: str, max_chars: int = MAX_JWS_CHARS) -> ParsedJws:
    """Split and decode; raises :class:`MalformedJws` saying what cannot be read."""
    if len(token) > max_chars:
        raise MalformedJws(f"longer than {max_chars} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedJws("a compact JWS has three parts separated by '.'")
    h64, p64, s64 = parts
    header = strict_json(b64url_decode(h64, "header"), "header")
    payload = b64url_decode(p64, "payload")
    signature = b64url_decode(s64, "signature")
    if "crit" in header:  # RFC 7515 §4.1.11: no extension is understood here
        raise MalformedJws("header has 'crit' extensions this verifier does not understand")
    return ParsedJws(header, payload, signature, f"{h64}.{p64}".encode("ascii"))


def signature_valid(parsed: ParsedJws, key: Ed25519PublicKey) -> bool:
    """Only ever called for ``alg: EdDSA``; an Ed25519 signature is 64 bytes."""
    if parsed.alg != ALGORITHM or len(parsed.signature) != 64:
        return False
    try:
        key.verify(parsed.signature, parsed.signing_input)
    except InvalidSignature:
        return False
    return True
