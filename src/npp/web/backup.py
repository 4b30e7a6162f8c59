"""Backup and restore of every application table, database-agnostic (SQLite <-> PostgreSQL).

:func:`dump` reads every row of the application's models (accounts, audit, cases, monitoring)
in one transaction — a consistent snapshot — through the ORM, so encrypted fields come out
decrypted: the caller must encrypt the result (``npp backup`` does, with ``NPP_BACKUP_KEY``).
Sessions are left out (everyone signs in again); content types and permissions are
recreated by the migrations.

:func:`load` writes such a dump into an empty, migrated database in one transaction,
re-encrypting personal data with this deployment's ``NPP_ENCRYPTION_KEY``, then checks the row
counts and the audit chain; on any problem nothing is written.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader

FORMAT = "npp-backup/1"
APPS = ("accounts", "audit", "cases", "monitoring")


class RestoreError(Exception):
    """The dump cannot be restored here; nothing was written."""


def backed_up_models() -> list[type[models.Model]]:
    """The models to save, parents before the rows that refer to them."""
    todo = [
        m
        for label in APPS
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    ordered: list[type[models.Model]] = []
    while todo:
        for m in todo:
            deps = {
                f.related_model
                for f in m._meta.concrete_fields
                if f.is_relation and f.related_model is not m
            }
            if not any(d in todo for d in deps):
                ordered.append(m)
                todo.remove(m)
                break
        else:  # pragma: no cover - a cycle of foreign keys; keep the remaining order
            ordered += todo
            break
    return ordered


def _json_default(o: Any) -> Any:
    if isinstance(o, dt.datetime | dt.date | dt.time):
        return o.isoformat()  # full precision: the audit chain hashes microseconds
    if isinstance(o, decimal.Decimal):
        return str(o)
    raise TypeError(f"cannot back up a value of type {type(o).__name__}")


def schema_state() -> dict[str, str]:
    """The latest migration of each backed-up app (a dump restores only into the same)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes()
    return {app: name for app, name in sorted(leaves) if app in APPS}


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_json_default).encode()


def dump() -> dict[str, Any]:
    """Every row of every backed-up table, with counts, a checksum and the audit head."""
    from npp.web.audit.log import verify

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:  # one snapshot for every table
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        data = {
            m._meta.label: list(m._base_manager.order_by("pk").values()) for m in backed_up_models()
        }
        report = verify()
    body = canonical(data)
    return {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": connection.vendor,
        "schema": schema_state(),
        "counts": {label: len(rows) for label, rows in data.items()},
        "audit": {"entries": report.entries, "head": report.head_hash, "ok": report.ok},
        "sha256": hashlib.sha256(body).hexdigest(),
        "data": json.loads(body),
    }


def _rows_in_database() -> dict[str, int]:
    from npp.web.audit.models import AuditHead

    counts = {}
    for m in backed_up_models():
        qs = m._base_manager.all()
        if m is AuditHead:
            qs = qs.exclude(seq=0)  # the empty chain's head, made by the migrations
        n = qs.count()
        if n:
            counts[m._meta.label] = n
    return counts


def load(payload: dict[str, Any]) -> dict[str, Any]:
    """Restore ``payload`` (from :func:`dump`) into this empty database; raises
    :class:`RestoreError` (and writes nothing) if it cannot."""
    from npp.web.audit.log import verify
    from npp.web.audit.models import AuditHead

    if payload.get("format") != FORMAT:
        raise RestoreError(f"not a {FORMAT} backup (format {payload.get('format')!r})")
    data = payload["data"]
    if hashlib.sha256(canonical(data)).hexdigest() != payload.get("sha256"):
        raise RestoreError("the backup's checksum does not match its contents (damaged)")
    here = schema_state()
    if payload.get("schema") != here:
        raise RestoreError(
            f"the backup was made with database schema {payload.get('schema')}, this "
            f"installation has {here}: restore with the version of NPP Navigator that made it"
        )
    present = _rows_in_database()
    if present:
        shown = ", ".join(f"{n} {label}" for label, n in present.items())
        raise RestoreError(f"the database is not empty ({shown}); restore into a new database")
    by_label = {m._meta.label: m for m in backed_up_models()}
    unknown = sorted(set(data) - set(by_label))
    if unknown:
        raise RestoreError(f"the backup holds tables this installation does not have: {unknown}")
    with transaction.atomic():
        AuditHead.objects.filter(seq=0).delete()
        restored: list[type[models.Model]] = []
        for label, model in by_label.items():
            rows = data.get(label, [])
            model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
            restored.append(model)
        with connection.cursor() as cur:  # PostgreSQL: new rows must not reuse restored ids
            for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                cur.execute(sql)
        counts = {m._meta.label: m._base_manager.count() for m in restored}
        expected = {label: payload["counts"].get(label, 0) for label in by_label}
        if counts != expected:
            raise RestoreError(f"row counts differ after loading: {counts} != {expected}")
        report = verify()
        if not report.ok:
            raise RestoreError(
                "the audit log does not verify after loading (restore with the NPP_AUDIT_KEY, "
                "or NPP_SECRET_KEY, of the deployment that made the backup): "
                + "; ".join(report.problems[:5])
            )
    return {"rows": sum(counts.values()), "tables": len(counts), "audit": report}
