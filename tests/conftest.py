"""Shared fixtures (the real knowledge base, loaded once per test session; Chromium) and the
rule that decides which tests the PostgreSQL run (``make pytest-pg``) repeats.

The rule (docs/development.md, "Tests"): a test is marked ``database`` when it asks pytest-django
for the database (the ``django_db`` marker, or a fixture such as ``db``, ``transactional_db`` or
``live_server``), or when it is marked ``database`` by hand because a process it starts is
given ``DATABASE_URL``. ``make pytest-pg`` runs ``-m database``: the other tests cannot reach
the database, so a second run would prove nothing new. Two checks keep the rule honest on every
run, SQLite included:

- pytest-django refuses database access to a test that did not ask for it;
- a test not marked ``database`` runs with ``DATABASE_URL`` pointing at an address that does
  not exist, and every process it starts must be given an environment without
  ``DATABASE_URL`` (``processes.without_database()``); inheriting the environment, or passing
  ``DATABASE_URL`` on, fails the test. (Processes that libraries start for themselves, such as
  the C compiler ``ctypes`` asks where a library is, are not checked.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from npp.law.knowledge import KnowledgeBase
from npp.law.loader import load_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium (``tests/chromium.py``), one per test, shared by every browser test.

    Not per module or session: Playwright's sync API keeps an event loop running in the
    test's thread while it is open, so a browser outliving its test would leave the loop
    running under the next tests (``asyncio.run`` fails) and Django's connections opened by
    their fixtures would be bound to the loop's context instead of the test's transaction.
    Request it after the fixtures that write to the database. Launching costs ~2 s.
    """
    from chromium import ARGS, CHROMIUM, sync_playwright

    if sync_playwright is None:  # the module's BROWSER_MARKS skip the test first
        pytest.skip("playwright (python) is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


#: pytest-django fixtures through which a test reaches the database (or a server on it).
#: (``django_db_blocker`` is in every test's closure, through pytest-django's autouse
#: fixtures; a test that unblocks the database with it by hand must be marked ``database``.)
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)
#: What a test not marked ``database`` sees as DATABASE_URL: nothing listens there.
NO_DATABASE = "postgresql://database-free-test.invalid:1/none"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


ROOT = Path(__file__).resolve().parents[1]


def _started_by_the_project() -> bool:
    """Whether the code that called ``subprocess`` is the project's (tests, benchmarks, src),
    not a library's: the C compiler ``ctypes.util.find_library`` runs for WeasyPrint, say,
    with a copy of the environment, reaches no database."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == subprocess.__file__:
        frame = frame.f_back  # subprocess.run -> Popen
    if frame is None:
        return False
    where = Path(frame.f_code.co_filename)
    return where.is_relative_to(ROOT) and not where.is_relative_to(ROOT / ".venv")


def _guarded_popen(original: Any) -> Any:
    def popen(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
        env = kwargs["env"] if "env" in kwargs else (rest[9] if len(rest) > 9 else None)
        if (env is None or "DATABASE_URL" in env) and _started_by_the_project():
            pytest.fail(
                "this test is not marked `database` (it is left out of the PostgreSQL run), "
                f"yet it starts {args!r} with "
                + ("the inherited environment" if env is None else "DATABASE_URL")
                + ": give the process processes.without_database(), or mark the test "
                "`pytest.mark.database` (docs/development.md, Tests)",
                pytrace=False,
            )
        original(self, args, *rest, **kwargs)

    return popen


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    """Around a test not marked ``database`` (setup, call and teardown): DATABASE_URL names no
    server, and starting a process that could reach a database fails the test."""
    if item.get_closest_marker("database"):
        return (yield)
    saved = os.environ.get("DATABASE_URL")
    original = subprocess.Popen.__init__
    os.environ["DATABASE_URL"] = NO_DATABASE
    subprocess.Popen.__init__ = _guarded_popen(original)  # type: ignore[method-assign]
    try:
        return (yield)
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved
