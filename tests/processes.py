"""Environments for the processes tests start (see the ``database`` rule in tests/conftest.py)."""

from __future__ import annotations

import os


def without_database(**changes: str) -> dict[str, str]:
    """This process's environment without ``DATABASE_URL``, plus ``changes``: for a process
    that needs no database, or must use the SQLite database of its own data directory."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(changes)
    return env
