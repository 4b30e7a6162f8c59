"""Load and crash on a real server (``npp serve``: gunicorn), through the API.

The scenarios are ``benchmarks/load.py`` and ``benchmarks/crash.py``, run here as their own
processes on a throwaway deployment: SQLite, or a fresh PostgreSQL database when
``DATABASE_URL`` is set (``make pytest-pg``). Short: 10 users for 10 s, one crash cycle;
full (``NPP_VERIFY=full``): 50 users for 60 s, five crash cycles.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from .conftest import OUT, ROOT, report, scale

# A real deployment on DATABASE_URL's server: PostgreSQL in make pytest-pg.
pytestmark = pytest.mark.database


def _run(script: str, name: str, *args: str) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"{name}.json"
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--json", str(out)],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )  # fmt: skip
    assert out.exists(), r.stdout[-3000:] + r.stderr[-3000:]
    figures: dict[str, Any] = json.loads(out.read_text())
    report(name, figures)
    assert r.returncode == 0, json.dumps(figures, indent=1)[-4000:]
    return figures


def test_load_has_no_errors_and_loses_no_update() -> None:
    users, seconds = scale(10, 50), scale(10, 60)
    f = _run("load.py", "load", "--users", str(users), "--seconds", str(seconds))
    assert f["errors"] == 0, f["error_samples"]
    assert f["conflicts_409"] > 0, "concurrent edits of one case should have collided"
    assert not f["checks"]["acknowledged_writes_missing_or_duplicated"]
    assert not f["checks"]["half_written"]
    assert f["checks"]["audit_verify_exit"] == 0
    for op in ("assess", "read case", "edit (decision)", "edit (facts)"):
        assert f["by_operation"][op]["requests"] > 0, op


def test_sigkill_during_writes_loses_nothing_acknowledged() -> None:
    f = _run("crash.py", "crash", "--cycles", str(scale(1, 5)))
    assert f["acknowledged_writes"] > 0
    assert not f["acknowledged_but_missing"]
    assert not f["half_written"]
    assert not f["unreachable_after_restart"]
    assert f["audit_verify_exit"] == 0
