"""The audit log: written in the transaction of each write, append-only, hash-chained, and
`npp audit verify` detects a changed, inserted or deleted entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from typer.testing import CliRunner

from npp.cli.main import app as cli
from npp.web.audit.log import GENESIS, chain_hash, record, verify
from npp.web.audit.models import AuditEntry, AuditHead, Event
from npp.web.cases import actions

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[Any] | None = None) -> None:
    """Tamper with the table as an attacker with database access would."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")  # bypass the trigger
        cur.execute(sql, params or [])


@pytest.fixture
def chain(officer: Any, case: Any) -> list[AuditEntry]:
    actions.do_record_decision(officer, case, "not_charged", case.version, decided_by="Inspector")
    actions.do_view_case(officer, case)
    actions.do_view_person(officer, case)
    return list(AuditEntry.objects.order_by("seq"))


def test_chain_is_intact(chain: list[AuditEntry]) -> None:
    report = verify()
    assert report.ok, report.problems
    assert report.entries == len(chain) >= 6
    prev = GENESIS
    for e in chain:
        assert e.prev_hash == prev
        prev = e.hash
    assert AuditHead.objects.get(pk=1).hash == prev


def test_changed_entry_is_detected(chain: list[AuditEntry]) -> None:
    victim = chain[2]
    _raw("UPDATE audit_auditentry SET actor = %s WHERE seq = %s", ["someone-else", victim.seq])
    report = verify()
    assert not report.ok
    assert any(f"entry {victim.seq}: content does not match" in p for p in report.problems)


def test_deleted_entry_is_detected(chain: list[AuditEntry]) -> None:
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [chain[3].seq])
    problems = verify().problems
    assert any(f"entry {chain[3].seq} is missing" in p for p in problems)


def test_deleted_tail_is_detected(chain: list[AuditEntry]) -> None:
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [chain[-1].seq])
    problems = verify().problems
    assert any("head records entry" in p for p in problems)


def test_inserted_entry_is_detected(chain: list[AuditEntry]) -> None:
    # Shift the tail up by one and forge an entry in the gap, with a plausible hash.
    last = chain[-1]
    _raw("UPDATE audit_auditentry SET seq = seq + 1000 WHERE seq >= %s", [chain[2].seq])
    forged_hash = chain_hash(chain[1].hash, "{}")
    _raw(
        "INSERT INTO audit_auditentry (seq, at, event, actor, organisation, target_type, "
        "target, details, prev_hash, hash) "
        "VALUES (%s, %s, 'case.viewed', 'intruder', '', '', '', '{}', %s, %s)",
        [chain[2].seq, dt.datetime.now(dt.UTC), chain[1].hash, forged_hash],
    )
    report = verify()
    assert not report.ok
    assert report.entries == len(chain) + 1
    assert any(
        "content does not match" in p
        or "does not follow" in p
        or "out of sequence" in p
        or "missing" in p
        for p in report.problems
    )
    assert last.seq  # (for readability of a failure)


def test_model_refuses_update_and_delete(chain: list[AuditEntry]) -> None:
    e = AuditEntry.objects.first()
    assert e is not None
    e.actor = "x"
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_database_refuses_update_and_delete_on_postgresql(chain: list[AuditEntry]) -> None:
    from django.db import DatabaseError

    for sql in ("UPDATE audit_auditentry SET actor = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_record_needs_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        record(Event.CASE_VIEWED)
    with transaction.atomic():
        record(Event.CASE_VIEWED)
    assert verify().ok


def test_a_failed_write_leaves_no_audit_entry(officer: Any, case: Any) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(actions.Conflict):
        actions.do_record_decision(officer, case, "not_charged", case.version - 1, decided_by="x")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        actions.do_view_case(officer, case)
        raise RuntimeError("the request failed after the audit entry was written")
    assert AuditEntry.objects.count() == before


def test_audit_holds_no_personal_data(officer: Any, case: Any) -> None:
    actions.do_update_person(
        officer, case, {"full_name": "Secret Name Zeta", "contact": "+66 99 999"}, case.version
    )
    blob = " ".join(str(e.details) + e.actor + e.target for e in AuditEntry.objects.all())
    assert "Secret Name Zeta" not in blob and "+66" not in blob and "Test Person Alpha" not in blob
    assert "full_name" in blob  # the name of the changed field, not its value


def test_cli_verify(chain: list[AuditEntry]) -> None:
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0 and result.output.startswith("ok:")
    _raw("UPDATE audit_auditentry SET details = %s WHERE seq = %s", ['{"x": 1}', chain[1].seq])
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {chain[1].seq}" in result.output


def test_record_many_continues_the_chain(chain: list[AuditEntry]) -> None:
    """A bulk append (the demo loader's) makes the same chain as one entry at a time: it
    verifies, follows the last entry, and a later single entry follows it in turn."""
    from npp.web.audit.log import Pending, record_many

    with transaction.atomic():
        n = record_many(
            Pending(
                Event.CASE_CREATED,
                actor="loader",
                target_type="case",
                target=f"TH-{i}",
                details={"synthetic": True, "i": i},
            )
            for i in range(250)
        )
    assert n == 250
    with transaction.atomic():
        record(Event.DEMO_LOADED, details={"cases": 250})
    report = verify()
    assert report.ok, report.problems
    assert report.entries == len(chain) + 251
    bulk = AuditEntry.objects.filter(actor="loader").order_by("seq")
    assert bulk.first().prev_hash == chain[-1].hash
    assert AuditHead.objects.get(pk=1).seq == len(chain) + 251


@pytest.mark.django_db(transaction=True)
def test_record_many_needs_a_transaction() -> None:
    from npp.web.audit.log import Pending, record_many

    with pytest.raises(RuntimeError, match="transaction"):
        record_many([Pending(Event.DEMO_LOADED)])
