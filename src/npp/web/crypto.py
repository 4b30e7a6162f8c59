"""Personal data at rest: Fernet (AES-128-CBC + HMAC-SHA256) with key rotation.

``NPP_ENCRYPTION_KEY`` holds one or more keys, newest first. New values are encrypted with the
first; any listed key decrypts. To rotate: put a new key first, keep the old ones after it, run
``npp crypto rotate`` (re-encrypts every value with the newest key), then drop the old keys.

Model fields :class:`EncryptedTextField` and :class:`EncryptedJSONField` encrypt on the way to
the database and decrypt on the way back; the database only ever holds ciphertext, so no
lookups or ordering by these fields (by design).
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"
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


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.NPP_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode("utf-8")).decode("ascii")


def seal(text: str) -> Ciphertext:
    """The ciphertext an :class:`EncryptedTextField` stores for ``text``."""
    return Ciphertext(encrypt(text))


def decrypt(token: str) -> str:
    return _decrypt_bytes(token).decode("utf-8")


def _decrypt_bytes(token: str) -> bytes:
    if not token.startswith(PREFIX):
        raise DecryptionError("value is not encrypted")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode("ascii"))
    except InvalidToken:
        raise DecryptionError("no configured key decrypts this value") from None


def _json_bytes(value: Any) -> bytes:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    if len(raw) > COMPRESS_OVER:
        return ZLIB_MARKER + zlib.compress(raw, 1)  # level 1: 5x smaller, fastest
    return raw


def seal_json(value: Any) -> Ciphertext:
    """The ciphertext an :class:`EncryptedJSONField` stores for ``value``."""
    return Ciphertext(PREFIX + fernet().encrypt(_json_bytes(value)).decode("ascii"))


def open_json(token: str) -> Any:
    """The JSON value of a ciphertext written by :func:`seal_json` (compressed or not)."""
    raw = _decrypt_bytes(token)
    if raw.startswith(ZLIB_MARKER):
        raw = zlib.decompress(raw[len(ZLIB_MARKER) :])
    return json.loads(raw)


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the newest key."""
    return PREFIX + fernet().rotate(token[len(PREFIX) :].encode("ascii")).decode("ascii")


def needs_rotation(token: str) -> bool:
    keys = settings.NPP_ENCRYPTION_KEYS
    if len(keys) < 2:
        return False
    try:
        Fernet(keys[0].encode()).decrypt(token[len(PREFIX) :].encode("ascii"))
        return False
    except InvalidToken:
        return True


class EncryptedTextField(models.TextField):
    """Text stored as Fernet ciphertext. ``None`` stays ``NULL``; ``""`` is encrypted too."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if value is None or not isinstance(value, str) or not value.startswith(PREFIX):
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
        if isinstance(value, str) and value.startswith(PREFIX):
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
                    if (
                        isinstance(value, str)
                        and value.startswith(PREFIX)
                        and needs_rotation(value)
                    ):
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
