"""Debian's Chromium driven by Playwright: what every browser test shares (tests/web and
tests/verify). The ``browser`` fixture itself is in ``tests/conftest.py``.

A browser test module sets ``pytestmark = [*BROWSER_MARKS, ...]`` (or decorates its one browser
test with ``@browser_test``): the tests are marked ``browser`` and skipped, with the reason,
where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., Any])

CHROMIUM = os.environ.get("NPP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() or shutil.which("chromium")),
        reason=f"Chromium not installed at {CHROMIUM} (Debian: apt-get install chromium)",
    ),
    pytest.mark.skipif(sync_playwright is None, reason="playwright (python) is not installed"),
]


def browser_test(test: F) -> F:
    """:data:`BROWSER_MARKS` on one test, in a module whose other tests need no browser."""
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


def phone(browser: Any, locale: str = "en-GB") -> tuple[Any, list[str]]:
    """A page on a 375 px phone set to ``locale``, and the list that collects its script
    errors and console errors (a test asserts it stays empty)."""
    page = browser.new_context(viewport={"width": 375, "height": 812}, locale=locale).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


# Playwright's sync API runs an event loop in the test's thread; Django's live server runs in
# its own, and the tests' fixtures use the ORM from the test's thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
