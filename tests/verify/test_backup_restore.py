"""``npp backup`` / ``npp restore`` on real deployments: a round trip on the same database and
across SQLite and PostgreSQL, the audit chain intact, the file encrypted; a wrong key, a
tampered or damaged file, a non-empty database or another audit key are refused with one
clear line and exit status 2, writing nothing.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from .conftest import ROOT  # noqa: F401  (sets benchmarks/ on the path)

harness = pytest.importorskip("harness")
scenario = pytest.importorskip("scenario")

# A real deployment on DATABASE_URL's server: PostgreSQL in make pytest-pg.
pytestmark = pytest.mark.database

PG = os.environ.get("NPP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
AUDIT_KEY = secrets.token_urlsafe(48)
DIGEST = "from npp.web.backup import dump; print(dump()['sha256'])"


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG, connect_timeout=3).close()
        return True
    except Exception:
        return False


def deployment(database_url: str | None = None) -> Any:
    dep = harness.Deployment(database_url)
    dep.env["NPP_AUDIT_KEY"] = AUDIT_KEY  # the one secret a restore needs from the original
    return dep


@pytest.fixture(scope="module")
def source(tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    dep = deployment()
    try:
        dep.migrate()
        dep.npp("demo", "load", "--cases", "15")
        ref = dep.python("import scenario; print(scenario.seed_secrets())").strip()
        key = Fernet.generate_key().decode()
        path = tmp_path_factory.mktemp("backup") / "npp.backup"
        out = dep.npp("backup", str(path), env={"NPP_BACKUP_KEY": key}).stdout
        assert out.startswith("backed up "), out
        yield {"dep": dep, "file": path, "key": key, "ref": ref,
               "digest": dep.python(DIGEST).strip()}  # fmt: skip
    finally:
        dep.close()


@pytest.fixture
def empty() -> Iterator[Any]:
    dep = deployment()
    try:
        yield dep
    finally:
        dep.close()


def _restore(dep: Any, src: dict[str, Any], path: Path | None = None, key: str | None = None,
             ) -> Any:  # fmt: skip
    return dep.npp("restore", str(path or src["file"]), check=False,
                   env={"NPP_BACKUP_KEY": key or src["key"]})  # fmt: skip


def _cases(dep: Any) -> int:
    try:
        return int(dep.query("SELECT COUNT(*) FROM cases_case")[0][0])
    except Exception:  # not migrated: no table at all
        return 0


def _round_trip(source: dict[str, Any], target: Any) -> None:
    r = _restore(target, source)
    assert r.returncode == 0, r.stderr
    assert "audit log verified" in r.stdout
    assert target.python(DIGEST).strip() == source["digest"]  # every row, decrypted, identical
    assert target.npp("audit", "verify").returncode == 0
    dump = target.raw_dump()
    for word in scenario.SECRET_WORDS:
        assert word not in dump
    # The restored deployment works: a new case gets a new id (sequences follow the data).
    key = target.npp("token", "create", "secret-officer").stdout.strip()
    target.start(workers=1, threads=2)
    import httpx

    r2 = httpx.post(f"{target.base_url}/api/v1/cases", json={"facts": scenario.facts()},
                    headers={"Authorization": f"Token {key}"}, timeout=60)  # fmt: skip
    target.stop()
    assert r2.status_code == 201, r2.text
    assert target.npp("audit", "verify").returncode == 0


def test_round_trip(source: dict[str, Any], empty: Any) -> None:
    _round_trip(source, empty)


@pytest.mark.skipif(not _pg_available(), reason=f"no PostgreSQL at {PG}")
def test_round_trip_across_databases(source: dict[str, Any]) -> None:
    """SQLite to PostgreSQL (or PostgreSQL to SQLite, in the PostgreSQL run)."""
    other = "" if source["dep"].vendor == "postgresql" else PG
    target = deployment(other)
    try:
        assert target.vendor != source["dep"].vendor
        _round_trip(source, target)
    finally:
        target.close()


def test_backup_file_is_encrypted(source: dict[str, Any]) -> None:
    blob = source["file"].read_bytes()
    assert blob.startswith(b"NPP-BACKUP/1 ")
    for word in scenario.SECRET_WORDS:
        assert word.encode() not in blob
    assert source["ref"].encode() not in blob  # not even the case references
    assert stat.S_IMODE(source["file"].stat().st_mode) == 0o600


def test_wrong_key_is_refused(source: dict[str, Any], empty: Any) -> None:
    r = _restore(empty, source, key=Fernet.generate_key().decode())
    assert r.returncode == 2 and r.stderr.startswith("FILE: wrong key"), r.stderr
    assert "Traceback" not in r.stderr and _cases(empty) == 0


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "empty", "append"])
def test_tampered_or_damaged_file_is_refused(source: dict[str, Any], empty: Any,
                                             tmp_path: Path, damage: str) -> None:  # fmt: skip
    blob = bytearray(source["file"].read_bytes())
    if damage == "flip":
        i = len(blob) // 2
        blob[i] = ord("A") if blob[i] != ord("A") else ord("B")
    elif damage == "truncate":
        blob = blob[: len(blob) * 2 // 3]
    elif damage == "header":
        blob = b"PK\x03\x04" + blob
    elif damage == "empty":
        blob = bytearray()
    else:
        blob += b"more"
    bad = tmp_path / "bad.backup"
    bad.write_bytes(bytes(blob))
    r = _restore(empty, source, path=bad)
    assert r.returncode == 2, (r.returncode, r.stderr)
    expected = "not an NPP Navigator backup" if damage in {"header", "empty"} else "altered or"
    assert expected in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    assert _cases(empty) == 0


def test_non_empty_database_is_refused(source: dict[str, Any]) -> None:
    dep = source["dep"]
    before = _cases(dep)
    r = _restore(dep, source)
    assert r.returncode == 2 and "the database is not empty" in r.stderr, r.stderr
    assert _cases(dep) == before


def test_another_audit_key_is_refused_and_nothing_is_written(source: dict[str, Any]) -> None:
    target = harness.Deployment()  # its own NPP_SECRET_KEY, so another audit key
    try:
        r = _restore(target, source)
        assert r.returncode == 2 and "audit log does not verify" in r.stderr, r.stderr
        assert _cases(target) == 0
    finally:
        target.close()


def test_no_key_is_refused(source: dict[str, Any], empty: Any) -> None:
    env = {k: v for k, v in empty.env.items() if not k.startswith("NPP_BACKUP_KEY")}
    empty.env = env
    r = empty.npp("backup", str(empty.dir / "x.backup"), check=False)
    assert r.returncode == 2 and r.stderr.startswith("NPP_BACKUP_KEY:"), r.stderr
    r = empty.npp("restore", str(source["file"]), check=False, env={"NPP_BACKUP_KEY": "nope"})
    assert r.returncode == 2 and "not a Fernet key" in r.stderr, r.stderr
