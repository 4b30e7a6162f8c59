"""Identifying fields and free text are encrypted at rest; keys rotate."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from npp.web.cases.models import Person
from npp.web.crypto import DecryptionError, decrypt, do_rotate_keys, encrypt

pytestmark = pytest.mark.django_db


def _raw_person(case: Any) -> str:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT full_name, document_numbers FROM cases_person WHERE case_id = %s", [case.pk]
        )
        row = cur.fetchone()
    return " ".join(row)


def _raw_case(case: Any) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT facts FROM cases_case WHERE id = %s", [case.pk])
        return str(cur.fetchone()[0])


def test_database_holds_only_ciphertext(case: Any) -> None:
    raw = _raw_person(case)
    assert "Test Person Alpha" not in raw and "P1234567" not in raw
    assert raw.startswith("aesgcm:")
    assert "karaoke" not in _raw_case(case)  # offence descriptions are free text
    p = Person.objects.get(case=case)
    assert p.full_name == "Test Person Alpha" and p.document_numbers == "P1234567"


def test_round_trip_unicode() -> None:
    for text in ["", "สมหญิง ใจดี", "ສຸກສະຫວັນ", "သန္တာ", "សុខា", "Nguyễn Thị Mai"]:
        assert decrypt(encrypt(text)) == text


def test_wrong_key_fails_loudly() -> None:
    token = encrypt("x")
    with (
        override_settings(NPP_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError),
    ):
        decrypt(token)


def test_rotation(case: Any, settings: Any) -> None:
    old = list(settings.NPP_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.NPP_ENCRYPTION_KEYS = [new, *old]
    before = _raw_person(case)
    changed = do_rotate_keys()
    assert changed >= 3  # name, documents, facts, assessment ...
    assert _raw_person(case) != before
    settings.NPP_ENCRYPTION_KEYS = [new]  # the old key can now be dropped
    assert Person.objects.get(case=case).full_name == "Test Person Alpha"
    assert do_rotate_keys() == 0


def test_large_json_is_compressed_and_reads_back() -> None:
    from npp.web.crypto import COMPRESS_OVER, open_json, seal_json

    small = {"a": "x"}
    large = {"explanation": ["the same finding, again"] * 400, "thai": "สมหญิง ใจดี"}
    assert open_json(seal_json(small)) == small
    token = seal_json(large)
    assert open_json(token) == large
    assert len(token) < COMPRESS_OVER  # ~9 KB of JSON, stored in far less


def test_a_value_encrypted_once_is_stored_as_it_is(case: Any) -> None:
    """Bulk writers pass ciphertext (Ciphertext) to encrypted fields: stored unchanged, read
    back as the plaintext."""
    from npp.web.crypto import seal

    token = seal("Sealed Once")
    Person.objects.filter(case=case).update(full_name=token)
    assert _raw_person(case).startswith(token)
    assert Person.objects.get(case=case).full_name == "Sealed Once"


def _fernet_token(text: str, key: str) -> str:
    """A value as versions before 2026-12 wrote it (stored as it is: Ciphertext)."""
    from npp.web.crypto import Ciphertext

    return Ciphertext("fernet:" + Fernet(key.encode()).encrypt(text.encode()).decode())


def test_values_written_with_fernet_still_read(case: Any, settings: Any) -> None:
    key = settings.NPP_ENCRYPTION_KEYS[0]
    assert decrypt(_fernet_token("Nguyễn Thị Mai", key)) == "Nguyễn Thị Mai"
    Person.objects.filter(case=case).update(full_name=_fernet_token("Written Long Ago", key))
    assert Person.objects.get(case=case).full_name == "Written Long Ago"


def test_rotation_rewrites_fernet_values_as_aes_gcm_with_the_same_key(
    case: Any, settings: Any
) -> None:
    key = settings.NPP_ENCRYPTION_KEYS[0]
    Person.objects.filter(case=case).update(full_name=_fernet_token("Written Long Ago", key))
    assert _raw_person(case).startswith("fernet:")
    assert do_rotate_keys() >= 1
    assert _raw_person(case).startswith("aesgcm:")
    assert Person.objects.get(case=case).full_name == "Written Long Ago"
    assert do_rotate_keys() == 0


def test_every_value_has_its_own_nonce() -> None:
    """Equal values never share a ciphertext (an equal name in two cases is not revealed)."""
    tokens = {encrypt("Zaw Min Oo") for _ in range(200)}
    assert len(tokens) == 200


@pytest.mark.parametrize(
    "token",
    [
        "aesgcm:",
        "aesgcm:not base64!",
        "aesgcm:" + "A" * 20,  # shorter than a nonce and a tag
        "plain text",
    ],
)
def test_malformed_ciphertext_is_a_decryption_error(token: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt(token)


def test_a_changed_byte_is_refused() -> None:
    import base64

    token = encrypt("Zaw Min Oo")
    raw = bytearray(base64.urlsafe_b64decode(token[len("aesgcm:") :]))
    for i in range(len(raw)):
        changed = raw.copy()
        changed[i] ^= 0x01
        with pytest.raises(DecryptionError):
            decrypt("aesgcm:" + base64.urlsafe_b64encode(bytes(changed)).decode())
