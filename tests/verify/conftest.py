"""Adversarial verification (issue #7): fuzzing, authorisation matrix, load, crash, tampering,
backup and restore, accessibility.

Every test here has a short version (the default, run by ``make test`` and ``.ci/run``) and a
full one, selected with ``NPP_VERIFY=full`` (``make verify``). Figures of each run are written
as JSON under ``NPP_VERIFY_OUT`` (default ``out/verify/``).

The web fixtures of ``tests/web/conftest.py`` (organisations, users, cases, tokens, and the
test settings) are reused, not copied.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the load and crash scenarios live there

from web.conftest import case as case  # noqa: E402
from web.conftest import (  # noqa: E402  (sets the test environment and Django up first)
    facts,
    login,
    ngo,
    officer,
    org_factory,
    police,
    th_facts,
    token_for,
    user_factory,
)

FULL = os.environ.get("NPP_VERIFY", "short") == "full"
OUT = Path(os.environ.get("NPP_VERIFY_OUT", str(ROOT / "out" / "verify")))

__all__ = [
    "FULL",
    "facts",
    "login",
    "ngo",
    "officer",
    "org_factory",
    "police",
    "scale",
    "th_facts",
    "token_for",
    "user_factory",
]


def scale(short: int, full: int) -> int:
    """``short`` in ``make test``; ``full`` under ``NPP_VERIFY=full`` (``make verify``)."""
    return full if FULL else short


def report(name: str, figures: dict[str, Any]) -> None:
    """Keep a run's figures (``out/verify/NAME.json``) and print them (``pytest -s``)."""
    OUT.mkdir(parents=True, exist_ok=True)
    figures = {"scale": "full" if FULL else "short", **figures}
    (OUT / f"{name}.json").write_text(json.dumps(figures, indent=1, default=str) + "\n")
    print(f"\n[{name}] " + json.dumps(figures, default=str))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.verify)
