"""Operations: ``npp backup`` and ``npp restore`` (encrypted, integrity-checked).

A backup file is one header line and one Fernet token (AES-128-CBC + HMAC-SHA256)::

    NPP-BACKUP/1 <key id>
    <token: the gzip-compressed JSON of every application table>

The key is ``NPP_BACKUP_KEY`` (or the file named by ``NPP_BACKUP_KEY_FILE``, or ``--key-file``),
a Fernet key (``npp keys`` prints one); keep it apart from the backups. A demo instance without
one uses a key derived from its demo secret key. The key id (a keyed
hash of the key, revealing nothing of it) tells a wrong key from a damaged file. Restore goes
into an empty database only, checks the contents and the audit chain, and writes nothing if
anything is wrong. Problems: one line on stderr, exit status 2.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from npp.cli.common import migrate, setup_django

MAGIC = "NPP-BACKUP/1"


def _fail(where: str, problem: str) -> NoReturn:
    print(f"{where}: {problem}", file=sys.stderr)
    raise typer.Exit(2)


def _key(key_file: Path | None) -> bytes:
    if key_file is not None:
        source = "--key-file"
        try:
            raw = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            _fail(source, f"cannot read {str(key_file)!r}: {exc.strerror or exc}")
    elif os.environ.get("NPP_BACKUP_KEY"):
        source, raw = "NPP_BACKUP_KEY", os.environ["NPP_BACKUP_KEY"].strip()
    elif os.environ.get("NPP_BACKUP_KEY_FILE"):
        return _key(Path(os.environ["NPP_BACKUP_KEY_FILE"]))
    else:
        return _demo_key()
    from cryptography.fernet import Fernet

    try:
        Fernet(raw.encode())
    except (ValueError, TypeError):
        _fail(source, "not a Fernet key (32 url-safe base64 bytes); `npp keys` prints one")
    return raw.encode()


def _demo_key() -> bytes:
    """No key given: a demo instance has its own (see ``settings.NPP_DEMO_BACKUP_KEY``)."""
    from npp.cli.web_commands import _django

    _django()
    from django.conf import settings

    if settings.DEMO and settings.NPP_DEMO_BACKUP_KEY:
        return str(settings.NPP_DEMO_BACKUP_KEY).encode()
    _fail("NPP_BACKUP_KEY", "set it (or NPP_BACKUP_KEY_FILE, or --key-file); `npp keys` "
          "prints a fresh key")  # fmt: skip


def key_id(key: bytes) -> str:
    return hmac.new(key, b"npp-backup-key-id", hashlib.sha256).hexdigest()[:16]


def seal(payload: dict[str, Any], key: bytes) -> bytes:
    from cryptography.fernet import Fernet

    body = gzip.compress(json.dumps(payload, separators=(",", ":")).encode(), mtime=0)
    return f"{MAGIC} {key_id(key)}\n".encode() + Fernet(key).encrypt(body) + b"\n"


def unseal(blob: bytes, key: bytes, where: str = "BACKUP") -> dict[str, Any]:
    """The payload, or exit 2: not a backup, wrong key, or altered/damaged."""
    from cryptography.fernet import Fernet, InvalidToken

    head, _, token = blob.partition(b"\n")
    parts = head.decode("ascii", "replace").split(" ")
    if len(parts) != 2 or parts[0] != MAGIC:
        _fail(where, f"not an NPP Navigator backup (it does not start with {MAGIC})")
    if not hmac.compare_digest(parts[1], key_id(key)):
        _fail(where, f"wrong key: the backup was made with key {parts[1]}, this key is "
              f"{key_id(key)}")  # fmt: skip
    # Exactly one token and a newline: base64 decoding would ignore bytes after the padding.
    if not token.endswith(b"\n") or not re.fullmatch(rb"[A-Za-z0-9_=-]+", token[:-1]):
        _fail(where, "the backup has been altered or damaged (unexpected bytes in the file)")
    try:
        body = Fernet(key).decrypt(token[:-1])
    except InvalidToken:
        _fail(where, "the backup has been altered or damaged (its integrity check failed)")
    try:
        payload: dict[str, Any] = json.loads(gzip.decompress(body))
    except (OSError, EOFError, ValueError):
        _fail(where, "the backup is damaged (its contents cannot be read)")
    return payload


def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write")],
    key_file: Annotated[Path | None, typer.Option(help="File holding the backup key")] = None,
) -> None:
    """Write an encrypted, integrity-checked backup of every application table."""
    key = _key(key_file)
    setup_django()
    from npp.web.backup import dump

    payload = dump()
    blob = seal(payload, key)
    tmp = out.with_name(out.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        _fail("OUT", f"cannot write {str(out)!r}: {exc.strerror or exc}")
    audit = payload["audit"]
    print(
        f"backed up {sum(payload['counts'].values())} rows of {len(payload['counts'])} tables "
        f"({payload['database']}); audit log: {audit['entries']} entries, head {audit['head']}"
    )
    if not audit["ok"]:
        print("warning: the audit log does not verify (`npp audit verify`); such a backup "
              "cannot be restored", file=sys.stderr)  # fmt: skip


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `npp backup`")],
    key_file: Annotated[Path | None, typer.Option(help="File holding the backup key")] = None,
) -> None:
    """Restore a backup into an empty database (migrated first); refuses anything else."""
    key = _key(key_file)
    try:
        blob = file.read_bytes()
    except OSError as exc:
        _fail("FILE", f"cannot read {str(file)!r}: {exc.strerror or exc}")
    payload = unseal(blob, key, "FILE")
    setup_django()
    migrate()
    from npp.web.backup import RestoreError, load

    try:
        result = load(payload)
    except RestoreError as exc:
        _fail("FILE", str(exc))
    audit = result["audit"]
    print(
        f"restored {result['rows']} rows of {result['tables']} tables; audit log verified: "
        f"{audit.entries} entries, head {audit.head_hash}"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level ``npp`` app."""
    app.command()(backup)
    app.command()(restore)
