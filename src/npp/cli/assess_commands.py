"""``npp assess``: one case's facts in, the engine's assessment out (JSON or text)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from npp.cli.common import Fmt, emit_json, fail
from npp.errors import NppError, Problem


def register(app: typer.Typer) -> None:
    """Add this module's command to the top-level ``npp`` app."""
    app.command()(assess)


def _json_or_fail(raw: bytes) -> Any:
    """UTF-8 JSON (a byte-order mark is allowed), or exit 2 saying why it is not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail([Problem("(top level)", f"not UTF-8 text (byte {exc.start + 1} cannot be read)")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail([Problem("(top level)", f"not valid JSON: {exc.msg} at line {exc.lineno}")])
    except RecursionError:
        fail([Problem("(top level)", "not valid JSON: nested too deeply")])


def assess(
    case: Annotated[str, typer.Argument(help="Case facts JSON file (contract §1), or - for stdin")],
    format: Annotated[Fmt, typer.Option("--format", "-f", help="json or text")] = Fmt.json,
) -> None:
    """Assess one case: potential victim, outcome per offence, risks, actions, citations."""
    try:
        raw = sys.stdin.buffer.read() if case == "-" else Path(case).read_bytes()
    except OSError as exc:
        fail([Problem("CASE", f"cannot read {case!r}: {exc.strerror or exc}")])
    data = _json_or_fail(raw)
    from npp import engine

    try:
        result = engine().assess_data(data)
    except NppError as exc:
        fail(exc.problems)
    if format is Fmt.text:
        from npp.assessment.render_text import render_text

        sys.stdout.write(render_text(result.document))
    else:
        emit_json(result.document)
