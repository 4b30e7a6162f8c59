"""Personal data at rest: AES-256-GCM with key rotation (Fernet values of earlier versions
still read).

``NPP_ENCRYPTION_KEY`` holds one or more keys (Fernet's format: 32 random bytes, URL-safe
base64), newest first. New values are encrypted with the first; any listed key decrypts. To
rotate: put a new key first, keep the old ones after it, run ``npp crypto rotate``
(re-encrypts every value with the newest key), then drop the old keys.

Why AES-GCM and not Fernet, which this module used until 2026-12: an import of 100,000
records encrypts 800,000 values, and Fernet's Python layer (a cipher, a padder and an HMAC
object per value) cost ~20 µs a value against ~3 µs for one AEAD call. A value is
``aesgcm:`` + URL-safe base64 of a random 96-bit nonce and the ciphertext with its 128-bit
tag, under a 256-bit key derived from the configured key with HKDF-SHA256 (so the same
configured keys serve both schemes). Values written as ``fernet:`` by earlier versions are
read as before and re-encrypted as AES-GCM by ``npp crypto rotate``. Random nonces keep
AES-GCM safe up to 2**32 values per key (NIST SP 800-38D); rotating the key resets that.

Model fields :class:`EncryptedTextField` and :class:`EncryptedJSONField` encrypt on the way to
the database and decrypt on the way back; the database only ever holds ciphertext, so no
lookups or ordering by these fields (by design).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

#: What every value written now begins with.
PREFIX = "aesgcm:"
#: Values written before AES-GCM (still read; ``npp crypto rotate`` re-encrypts them).
FERNET_PREFIX = "fernet:"
_HKDF_INFO = b"npp-navigator field encryption: AES-256-GCM v1"
_NONCE = 12
_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
#: JSON values longer than this are compressed before encryption (an assessment document is
#: ~40 KB of JSON and ~8 KB compressed). The marker cannot begin a JSON text, so values written
#: before compression existed still read back.
COMPRESS_OVER = 2048
ZLIB_MARKER = b"\x00zlib\x00"


class Ciphertext(str):
    """A value already encrypted by :func:`encrypt` (or :func:`seal_json`): the encrypted
    fields store it as it is. Bulk writers (the demo loader) encrypt each distinct value once
    and store the same ciphertext wherever that value occurs."""


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


@dataclass(frozen=True)
class _Keys:
    aead: tuple[AESGCM, ...]  # newest first
    fernet: MultiFernet  # for values written before AES-GCM


def _derive(key: str) -> AESGCM:
    raw = base64.urlsafe_b64decode(key.encode())
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO)
    return AESGCM(hkdf.derive(raw))


@lru_cache(maxsize=4)
def _keys(keys: tuple[str, ...]) -> _Keys:
    return _Keys(
        aead=tuple(_derive(k) for k in keys),
        fernet=MultiFernet([Fernet(k.encode()) for k in keys]),
    )


def _current() -> _Keys:
    return _keys(tuple(settings.NPP_ENCRYPTION_KEYS))


def is_encrypted(value: Any) -> bool:
    """Whether a stored value is one of this module's ciphertexts (either scheme)."""
    return isinstance(value, str) and value.startswith((PREFIX, FERNET_PREFIX))


def seal_bytes(plaintext: bytes) -> Ciphertext:
    """The ciphertext of ``plaintext`` under the newest key, with a fresh random nonce."""
    nonce = os.urandom(_NONCE)
    body = _current().aead[0].encrypt(nonce, plaintext, None)
    return Ciphertext(PREFIX + base64.urlsafe_b64encode(nonce + body).decode("ascii"))


def encrypt(text: str) -> str:
    return seal_bytes(text.encode("utf-8"))


def seal(text: str) -> Ciphertext:
    """The ciphertext an :class:`EncryptedTextField` stores for ``text``."""
    return seal_bytes(text.encode("utf-8"))


def decrypt(token: str) -> str:
    return _decrypt_bytes(token).decode("utf-8")


def _decrypt_bytes(token: str) -> bytes:
    return _open(token)[0]


def _open(token: str) -> tuple[bytes, bool]:
    """The plaintext, and whether it was written with the newest key and scheme."""
    keys = _current()
    if token.startswith(PREFIX):
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError):
            raise DecryptionError("value is not valid ciphertext") from None
        if len(raw) < _NONCE + 16:  # a nonce and a tag at least
            raise DecryptionError("value is not valid ciphertext")
        nonce, body = raw[:_NONCE], raw[_NONCE:]
        for i, aead in enumerate(keys.aead):
            try:
                return aead.decrypt(nonce, body, None), i == 0
            except InvalidTag:
                continue
        raise DecryptionError("no configured key decrypts this value")
    if token.startswith(FERNET_PREFIX):
        try:
            return keys.fernet.decrypt(token[len(FERNET_PREFIX) :].encode("ascii")), False
        except InvalidToken:
            raise DecryptionError("no configured key decrypts this value") from None
    raise DecryptionError("value is not encrypted")


def json_bytes(value: Any) -> bytes:
    """The plaintext an :class:`EncryptedJSONField` encrypts for ``value`` (compact JSON,
    compressed when long): bulk writers serialise an often repeated value once."""
    # orjson: the same compact UTF-8 JSON as json.dumps(..., ensure_ascii=False,
    # separators=(",", ":"), default=str), ~8x faster (an assessment document is ~20 KB).
    raw = orjson.dumps(value, default=str, option=_ORJSON)
    if len(raw) > COMPRESS_OVER:
        return ZLIB_MARKER + zlib.compress(raw, 1)  # level 1: 5x smaller, fastest
    return exact(raw)


def exact(raw: bytes) -> bytes:
    """A copy of orjson's output in an object of its own size: orjson allocates at least
    4 KB per result, which an import that keeps 100,000 of them would pay 400 MB for."""
    return bytes(memoryview(raw))


def seal_json(value: Any) -> Ciphertext:
    """The ciphertext an :class:`EncryptedJSONField` stores for ``value``."""
    return seal_bytes(json_bytes(value))


def open_json(token: str) -> Any:
    """The JSON value of a ciphertext written by :func:`seal_json` (compressed or not)."""
    raw = _decrypt_bytes(token)
    if raw.startswith(ZLIB_MARKER):
        raw = zlib.decompress(raw[len(ZLIB_MARKER) :])
    return json.loads(raw)


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the newest key (and AES-GCM)."""
    return seal_bytes(_decrypt_bytes(token))


def needs_rotation(token: str) -> bool:
    """Whether ``token`` was written with an older key or as Fernet."""
    try:
        return not _open(token)[1]
    except DecryptionError:
        return False  # not ours to rewrite; reading it reports the error


class EncryptedTextField(models.TextField):
    """Text stored as Fernet ciphertext. ``None`` stays ``NULL``; ``""`` is encrypted too."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if not is_encrypted(value):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return value
        return encrypt(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON value stored as Fernet ciphertext of its compact serialisation."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return open_json(value)

    def to_python(self, value: Any) -> Any:
        if is_encrypted(value):
            return open_json(value)
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return value
        return seal_json(value)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, default=str)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField | EncryptedJSONField)
    ]


def do_rotate_keys() -> int:
    """Re-encrypt, with the newest key, every stored value that an older key encrypted.

    Works on the raw column values (no model code runs), in one transaction that also
    appends an audit entry.
    """
    from django.apps import apps
    from django.db import connection, transaction

    from npp.web.audit.log import record
    from npp.web.audit.models import Event

    changed = 0
    with transaction.atomic():
        for model in apps.get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, EncryptedTextField | EncryptedJSONField)
            ]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for f in fields:
                col = connection.ops.quote_name(f.column)
                with connection.cursor() as cur:
                    cur.execute(f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL")
                    rows = cur.fetchall()
                for row_id, value in rows:
                    if is_encrypted(value) and needs_rotation(value):
                        with connection.cursor() as cur:
                            cur.execute(
                                f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",
                                [rotate(value), row_id],
                            )
                        changed += 1
        record(
            Event.KEYS_ROTATED,
            details={"values": changed, "keys": len(settings.NPP_ENCRYPTION_KEYS)},
        )
    return changed
