"""Bulk-review commands (``npp review``, ``npp demo-data``). Heavy imports stay inside.

Exit status of ``npp review`` (contract §3): 0 every row assessed; 3 some rows rejected
(they are in ``OUTPUT.rejects.csv``); 2 unusable arguments or files (one line per problem
on stderr, never a traceback).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from npp.cli.common import fail, kb_or_fail, progress_bar
from npp.errors import NppError, Problem

if TYPE_CHECKING:
    from rich.console import Console

    from npp.bulk.review import Summary

EXIT_REJECTED = 3


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level ``npp`` app."""
    app.command("review")(review)
    app.command("demo-data")(demo_data)


def review(
    input: Annotated[Path, typer.Argument(help="Records to review: .csv or .parquet (§3)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results: .csv or .parquet")],
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="State for rows that name none")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Law in force on (YYYY-MM-DD) for rows without offence_date"),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)"),
    ] = None,
) -> None:
    """Review many past cases at once: outcome, risks and a review priority per row.

    Each row is one person–offence record (columns as in contract §3). Writes every row
    plus outcome, potential_victim, risk_flags, review_priority and reason; rows that
    cannot be read go to OUT.rejects.csv. Exit status 3 when any row was rejected.
    """
    kb = kb_or_fail()
    from rich.console import Console

    from npp.bulk.io import Source, format_of
    from npp.bulk.review import review as run

    # Every problem with the arguments at once, one line each.
    problems: list[Problem] = []
    day = dt.date.today()
    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            problems.append(
                Problem("--date", f"must be a date in the form YYYY-MM-DD (got {date!r})")
            )
    cc = jurisdiction.strip().upper() if jurisdiction is not None else None
    if cc is not None and cc not in kb.vocabulary.jurisdictions:
        states = ", ".join(kb.vocabulary.jurisdictions)
        problems.append(
            Problem("--jurisdiction", f"must be one of {states} (got {jurisdiction!r})")
        )
    source: Source | None = None
    try:
        source = Source.open(input)
    except NppError as exc:
        problems.extend(exc.problems)
    try:
        format_of(out, "--out")
    except NppError as exc:
        problems.extend(exc.problems)
    if problems or source is None:
        fail(problems)
    err = Console(stderr=True)
    show = err.is_terminal if progress is None else progress
    try:
        if show:

            def work(tick: Callable[[int], None]) -> Summary:
                return run(kb, input, out, jurisdiction=cc, date=day, progress=tick, source=source)

            summary = _with_progress(err, work, source.count())
        else:
            summary = run(kb, input, out, jurisdiction=cc, date=day, source=source)
    except NppError as exc:
        fail(exc.problems)
    for w in summary.warnings:
        print(f"warning: {w}", file=sys.stderr)
    _print_summary(Console(), summary)
    if summary.rejected_rows:
        print(
            f"{summary.rejected_rows} row(s) rejected ({summary.problems} problem(s)): "
            f"see {summary.rejects}",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_REJECTED)


def _with_progress(
    err: Console, work: Callable[[Callable[[int], None]], Summary], total: int | None
) -> Summary:
    with progress_bar(err, "reviewing") as bar:
        task = bar.add_task("review", total=total)

        def tick(n: int) -> None:
            bar.advance(task, n)

        return work(tick)


def _print_summary(console: Console, s: Summary) -> None:
    """Counts by state (rows) and outcome (columns), then rejected rows and the total.

    Headers are the outcome codes with spaces, so a narrow terminal wraps them rather
    than cutting the numbers.
    """
    from rich import box
    from rich.table import Table

    from npp.assessment.rules import OUTCOMES

    counts: dict[tuple[str | None, str | None], int] = {
        (r[0], r[1]): int(r[2]) for r in s.counts.iter_rows()
    }
    states = sorted({k[0] for k in counts}, key=lambda st: (st is None, st or ""))
    keys: list[str | None] = [o for o in OUTCOMES if any(k[1] == o for k in counts)]
    keys.append(None)  # rejected
    t = Table(
        title=f"{s.rows:,} rows reviewed: outcome by state",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        show_footer=True,
    )
    t.add_column("state", footer="all")
    for o in keys:
        total = sum(n for k, n in counts.items() if k[1] == o)
        name = "rejected" if o is None else o.replace("_", " ")
        t.add_column(name, justify="right", footer=str(total), min_width=len(str(total)),
                     overflow="fold")  # fmt: skip
    t.add_column("rows", justify="right", footer=str(s.rows), min_width=len(str(s.rows)))
    for st in states:
        row = [counts.get((st, o), 0) for o in keys]
        t.add_row(st or "?", *(str(n) for n in row), str(sum(row)))
    console.print(t)
    console.print(
        f"Results: {s.output}   Rejects: {s.rejects} ({s.rejected_rows} rows)",
        highlight=False,
    )


def demo_data(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .csv or .parquet")],
    rows: Annotated[int, typer.Option("--rows", "-n", help="Number of records")] = 1000,
    bad_rows: Annotated[
        float, typer.Option("--bad-rows", help="Share of deliberately invalid rows, 0-1")
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same file")] = 0,
) -> None:
    """Write synthetic person–offence records for `npp review` (nothing real)."""
    problems = []
    if rows < 0:
        problems.append(Problem("--rows", "must be 0 or more"))
    if not 0.0 <= bad_rows <= 1.0:
        problems.append(Problem("--bad-rows", "must be between 0 and 1"))
    if not out.parent.is_dir():
        problems.append(Problem("--out", f"directory {str(out.parent)!r} does not exist"))
    if problems:
        fail(problems)
    kb = kb_or_fail()
    from npp.bulk.demo import write_demo

    try:
        write_demo(kb, rows, out, bad_rows=bad_rows, seed=seed)
    except NppError as exc:
        fail(exc.problems)
    except OSError as exc:
        fail([Problem("--out", f"cannot write {str(out)!r}: {exc.strerror or exc}")])
    print(f"wrote {rows:,} synthetic records to {out}", file=sys.stderr)
