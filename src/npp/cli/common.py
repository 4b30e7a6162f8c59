"""What every ``npp`` command module shares: reporting problems, parsing common options,
loading the knowledge base and setting Django up.

The command modules import this one and :mod:`npp.cli.main` imports them to assemble the
app, so imports flow one way. Problems are one line each on stderr and exit status 2 (the
developers' guide); heavy modules are imported only inside the helpers that need them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from enum import StrEnum
from typing import Any, NoReturn

import typer

from npp.errors import NppError, Problem

#: Exit status for input a person must correct (one line per problem on stderr).
EXIT_USAGE = 2


class Fmt(StrEnum):
    """Output of the commands that print one document."""

    json = "json"
    text = "text"


def fail(problems: list[Problem] | str, code: int = EXIT_USAGE) -> NoReturn:
    """Print each problem on its own line on stderr and exit with ``code``."""
    if isinstance(problems, str):
        problems = [Problem("", problems)]
    for p in problems:
        print(str(p), file=sys.stderr)
    raise typer.Exit(code)


def parse_day(value: str | None, field: str = "--date") -> dt.date:
    """An ISO date option (today when omitted), or exit 2 naming the option."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail([Problem(field, f"must be a date in the form YYYY-MM-DD (got {value!r})")])


def kb_or_fail() -> Any:
    """The knowledge base, or its problems on stderr and exit 2."""
    from npp.law.loader import load_knowledge

    try:
        return load_knowledge()
    except NppError as exc:
        fail(exc.problems)


def jurisdiction_or_fail(kb: Any, cc: str) -> str:
    """The upper-case jurisdiction code, or exit 2 listing the valid ones."""
    code = cc.upper()
    if code not in kb.vocabulary.jurisdictions:
        fail(
            [Problem("CC", f"must be one of {', '.join(kb.vocabulary.jurisdictions)} (got {cc!r})")]
        )
    return code


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def setup_django(demo: bool | None = None) -> None:
    """Set Django up for the commands that use the database; ``demo`` sets demo mode.

    A configuration error (a missing key, say) becomes one line on stderr and exit 2.
    """
    if demo:
        os.environ["NPP_DEMO"] = "1"
    from django.core.exceptions import ImproperlyConfigured

    from npp.web import setup

    try:
        setup()
    except ImproperlyConfigured as exc:
        fail([Problem("configuration", str(exc))])


def migrate(verbosity: int = 0) -> None:
    """Apply the database migrations (after :func:`setup_django`)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def progress_bar(console: Any, label: str, *, disable: bool = False) -> Any:
    """The commands' one progress bar (Rich, on ``console``, gone when done): ``label``, the
    bar, done/total, elapsed and remaining time. ``label`` may use ``{task.description}``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=disable,
    )
