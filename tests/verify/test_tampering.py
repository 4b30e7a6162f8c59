"""Tampering, on a real deployment's database (SQLite file, or PostgreSQL with DATABASE_URL):

- an audit entry altered, deleted, inserted, appended, or the whole chain rewritten from one
  entry on (hashes recomputed, head updated) is detected by ``npp audit verify`` (exit 1,
  naming the entry); the untouched copy verifies;
- identifying details and free text are unreadable in a raw dump (``sqlite3 .dump`` /
  ``pg_dump``);
- ``npp crypto rotate`` re-encrypts every value with the new key: afterwards the old key alone
  reads nothing, the new key alone reads everything, and the audit chain still verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet

from .conftest import ROOT  # noqa: F401  (sets benchmarks/ on the path)

harness = pytest.importorskip("harness")
scenario = pytest.importorskip("scenario")

# A real deployment on DATABASE_URL's server: PostgreSQL in make pytest-pg.
pytestmark = pytest.mark.database


@pytest.fixture(scope="module")
def seeded() -> Iterator[Any]:
    dep = harness.Deployment()
    try:
        dep.migrate()
        dep.npp("demo", "load", "--cases", "12")  # (into an empty database only)
        ref = dep.python("import scenario; print(scenario.seed_secrets())").strip()
        dep.ref = ref
        assert dep.npp("audit", "verify").returncode == 0
        yield dep
    finally:
        dep.close()


@pytest.fixture
def copy(seeded: Any) -> Iterator[Any]:
    c = seeded.clone()
    try:
        yield c
    finally:
        c.close()


def _entries(dep: Any) -> list[tuple[Any, ...]]:
    return dep.query(
        "SELECT seq, at, event, actor, organisation, target_type, target, details, prev_hash, "
        "hash FROM audit_auditentry ORDER BY seq"
    )


def _plain_hash(prev: str, row: tuple[Any, ...]) -> str:
    """The chain as an attacker without the key would recompute it: plain SHA-256."""
    seq, at, event, actor, org, ttype, target, details = row[:8]
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    content = json.dumps(
        {"seq": seq, "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
         "event": event, "actor": actor, "organisation": org, "target_type": ttype,
         "target": target, "details": json.loads(details) if isinstance(details, str) else details},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    )  # fmt: skip
    return hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()


def _verify(dep: Any) -> tuple[int, str]:
    r = dep.npp("audit", "verify", check=False)
    return r.returncode, r.stdout + r.stderr


def test_untouched_copy_verifies(copy: Any) -> None:
    code, out = _verify(copy)
    assert code == 0 and out.startswith("ok:"), out


def test_altered_entry(copy: Any) -> None:
    seq = _entries(copy)[4][0]
    copy.sql([("UPDATE audit_auditentry SET actor = ? WHERE seq = ?", ["someone-else", seq])])
    code, out = _verify(copy)
    assert code == 1 and f"entry {seq}: content does not match" in out, out


def test_altered_details(copy: Any) -> None:
    seq = _entries(copy)[2][0]
    copy.sql([("UPDATE audit_auditentry SET details = ? WHERE seq = ?", ['{"fields": []}', seq])])
    code, out = _verify(copy)
    assert code == 1 and f"entry {seq}" in out, out


def test_deleted_entry(copy: Any) -> None:
    seq = _entries(copy)[3][0]
    copy.sql([("DELETE FROM audit_auditentry WHERE seq = ?", [seq])])
    code, out = _verify(copy)
    assert code == 1 and f"entry {seq} is missing" in out, out


def test_deleted_newest_entries(copy: Any) -> None:
    last = _entries(copy)[-1][0]
    copy.sql([("DELETE FROM audit_auditentry WHERE seq >= ?", [last - 2])])
    code, out = _verify(copy)
    assert code == 1 and "head records entry" in out, out


def test_inserted_entry(copy: Any) -> None:
    rows = _entries(copy)
    seq = rows[5][0]
    forged = ("case.viewed", "intruder", "", "case", "TH-FORGED00", "{}")
    copy.sql([
        ("UPDATE audit_auditentry SET seq = seq + 100000 WHERE seq >= ?", [seq]),
        ("INSERT INTO audit_auditentry (seq, at, event, actor, organisation, target_type, "
         "target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         [seq, rows[5][1], *forged, rows[4][9], hashlib.sha256(b"forged").hexdigest()]),
    ])  # fmt: skip
    code, out = _verify(copy)
    assert code == 1 and f"entry {seq}" in out, out


def test_appended_entry_with_a_recomputed_hash(copy: Any) -> None:
    """A forged newest entry whose hash is computed as a plain SHA-256 chain would have it."""
    rows = _entries(copy)
    last = rows[-1]
    row = (last[0] + 1, last[1], "case.viewed", "intruder", "", "case", "TH-FORGED00", "{}")
    digest = _plain_hash(last[9], row)
    copy.sql([
        ("INSERT INTO audit_auditentry (seq, at, event, actor, organisation, target_type, "
         "target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         [*row, last[9], digest]),
        ("UPDATE audit_audithead SET seq = ?, hash = ? WHERE id = 1", [row[0], digest]),
    ])  # fmt: skip
    code, out = _verify(copy)
    assert code == 1 and f"entry {row[0]}: content does not match" in out, out


def test_rewritten_chain(copy: Any) -> None:
    """Alter one entry and recompute every later hash and the head, as someone with write
    access to the database but not the audit key would: detected, because the chain is an
    HMAC (a plain hash chain would now verify)."""
    rows = _entries(copy)
    k = 3
    statements = [("UPDATE audit_auditentry SET actor = ? WHERE seq = ?", ["nobody", rows[k][0]])]
    prev = rows[k - 1][9]
    for n, r in enumerate(rows[k:]):
        row = list(r)
        if n == 0:
            row[3] = "nobody"
        digest = _plain_hash(prev, tuple(row))
        statements.append(("UPDATE audit_auditentry SET prev_hash = ?, hash = ? WHERE seq = ?",
                           [prev, digest, r[0]]))  # fmt: skip
        prev = digest
    statements.append(("UPDATE audit_audithead SET hash = ? WHERE id = 1", [prev]))
    copy.sql(statements)
    code, out = _verify(copy)
    assert code == 1 and f"entry {rows[k][0]}: content does not match" in out, out


def test_identifying_fields_are_unreadable_in_a_raw_dump(seeded: Any) -> None:
    dump = seeded.raw_dump()
    assert seeded.ref in dump  # the dump is real and complete
    assert "aesgcm:" in dump
    for field, secret in scenario.SECRETS.items():
        assert secret not in dump, f"{field} readable in the raw dump"
    for word in scenario.SECRET_WORDS:
        assert word not in dump, f"{word!r} readable in the raw dump"


def test_key_rotation_re_encrypts_everything(copy: Any) -> None:
    old = copy.env["NPP_ENCRYPTION_KEY"]
    new = Fernet.generate_key().decode()
    before = copy.raw_dump()
    out = copy.npp("crypto", "rotate", env={"NPP_ENCRYPTION_KEY": f"{new},{old}"}).stdout
    assert int(out.split()[1]) > 20, out  # every name, document, facts, assessment, note...
    after = copy.raw_dump()
    read = (
        "from npp.web.cases.models import Person, Case, Referral\n"
        f"p = Person.objects.get(case__reference={copy.ref!r})\n"
        "print(p.full_name, '|', Referral.objects.get(case=p.case).note, '|', "
        "Case.objects.count(), sum(1 for c in Case.objects.all() if c.facts))"
    )
    copy.env["NPP_ENCRYPTION_KEY"] = new  # the old key can now be dropped
    text = copy.python(read)
    assert scenario.SECRETS["full_name"] in text and scenario.SECRETS["note"] in text
    copy.env["NPP_ENCRYPTION_KEY"] = old  # the old key alone reads nothing any more
    with pytest.raises(RuntimeError, match="DecryptionError"):
        copy.python(read)
    copy.env["NPP_ENCRYPTION_KEY"] = new
    assert copy.npp("crypto", "rotate").stdout.startswith("re-encrypted 0 ")
    old_tokens = {t for t in before.split() if "aesgcm:" in t}
    assert old_tokens and not (old_tokens & {t for t in after.split() if "aesgcm:" in t})
    for secret in scenario.SECRETS.values():
        assert secret not in after
    code, out = _verify(copy)
    assert code == 0, out
