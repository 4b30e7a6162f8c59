"""Append to the audit chain (inside the caller's transaction) and verify it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from npp.web.audit.models import AuditEntry, AuditHead
from npp.web.fastinsert import insert

GENESIS = "0" * 64


def _content(
    seq: int,
    at: dt.datetime,
    event: str,
    actor: str,
    organisation: str,
    target_type: str,
    target: str,
    details: dict[str, Any],
) -> str:
    return json.dumps(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "event": event,
            "actor": actor,
            "organisation": organisation,
            "target_type": target_type,
            "target": target,
            "details": details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def chain_hash(prev_hash: str, content: str) -> str:
    """HMAC-SHA256 over the previous hash and this entry's content, keyed with
    ``NPP_AUDIT_KEY`` (never stored in the database): a plain hash could be recomputed by
    whoever rewrote an entry, so the rewritten chain would verify."""
    message = f"{prev_hash}\n{content}".encode()
    return hmac.new(settings.NPP_AUDIT_KEY, message, hashlib.sha256).hexdigest()


def _actor(user: Any) -> tuple[str, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system", ""
    org = user.organisation.code if getattr(user, "organisation", None) else ""
    return str(user.get_username()), org


def record(
    event: Any,  # an Event member
    *,
    user: Any = None,
    actor: str | None = None,
    target: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the write it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    name, org = _actor(user)
    if actor is not None:
        name = actor
    target_type, target_id = "", ""
    if target is not None:
        target_type = target._meta.model_name
        target_id = str(getattr(target, "reference", None) or target.pk)
    details = details or {}
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
    seq = head.seq + 1
    at = timezone.now()
    content = _content(seq, at, str(event), name, org, target_type, target_id, details)
    digest = chain_hash(head.hash, content)
    entry = AuditEntry.objects.create(
        seq=seq,
        at=at,
        event=str(event),
        actor=name,
        organisation=org,
        target_type=target_type,
        target=target_id,
        details=details,
        prev_hash=head.hash,
        hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return entry


@dataclass(frozen=True)
class Pending:
    """One entry for :func:`record_many`: what :func:`record` takes, with the actor resolved."""

    event: Any
    actor: str = "system"
    organisation: str = ""
    target_type: str = ""
    target: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def pending(event: Any, target: Any, details: dict[str, Any], *, user: Any = None) -> Pending:
    """A :class:`Pending` entry about ``target`` by ``user``, named as :func:`record` names it."""
    name, org = _actor(user)
    return Pending(
        event=event,
        actor=name,
        organisation=org,
        target_type=target._meta.model_name,
        target=str(getattr(target, "reference", None) or target.pk),
        details=details,
    )


def record_many(entries: Iterable[Pending]) -> int:
    """Append many entries at once (bulk writers: the demo loader). The chain is the same as
    :func:`record` would make one entry at a time: each entry's HMAC covers the previous hash,
    the head is locked once and moved once. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic()")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
    seq, prev = head.seq, head.hash
    at = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for e in entries:
        seq += 1
        event = str(e.event)
        content = _content(
            seq, at, event, e.actor, e.organisation, e.target_type, e.target, e.details
        )
        digest = chain_hash(prev, content)
        rows.append(
            (
                seq,
                at,
                event,
                e.actor,
                e.organisation,
                e.target_type,
                e.target,
                e.details,
                prev,
                digest,
            )
        )
        prev = digest
    insert(AuditEntry, AUDIT_COLUMNS, rows)
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return len(rows)


AUDIT_COLUMNS = (
    "seq",
    "at",
    "event",
    "actor",
    "organisation",
    "target_type",
    "target",
    "details",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class Report:
    entries: int
    head_hash: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> Report:
    """Walk the chain: every changed, inserted or deleted entry is reported."""
    problems: list[str] = []
    prev = GENESIS
    expected = 1
    n = 0
    with transaction.atomic():
        head = AuditHead.objects.filter(pk=1).first()
        for e in _entries():
            n += 1
            if e.seq != expected:
                if e.seq > expected:
                    problems.append(
                        f"entries {expected}..{e.seq - 1} are missing (deleted)"
                        if e.seq - 1 > expected
                        else f"entry {expected} is missing (deleted)"
                    )
                else:
                    problems.append(f"entry {e.seq} is out of sequence (inserted)")
            if e.prev_hash != prev:
                problems.append(f"entry {e.seq}: does not follow the previous entry in the chain")
            content = _content(
                e.seq, e.at, e.event, e.actor, e.organisation, e.target_type, e.target, e.details
            )
            if chain_hash(e.prev_hash, content) != e.hash:
                problems.append(f"entry {e.seq}: content does not match its hash (changed)")
            prev = e.hash
            expected = e.seq + 1
        if head is None:
            if n:
                problems.append("the chain head is missing")
        else:
            if head.seq != expected - 1 or head.hash != prev:
                problems.append(
                    f"the chain ends at entry {expected - 1} but its head records entry "
                    f"{head.seq} (entries deleted from the end, or the head changed)"
                )
    return Report(n, prev, problems)
