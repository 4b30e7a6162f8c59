"""Monitoring and data-exchange commands: ``npp export``, ``npp import``, ``npp guide`` and
``npp monitor rebuild``. Django, Polars and WeasyPrint are imported inside the commands, so
``npp law ...`` stays fast."""

from __future__ import annotations

import getpass
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from npp.cli.common import fail as _fail
from npp.cli.common import jurisdiction_or_fail, kb_or_fail, parse_day, progress_bar
from npp.cli.common import setup_django as _django
from npp.errors import Problem


class ExportFormat(StrEnum):
    htcds = "htcds"
    deidentified = "deidentified"


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="htcds or deidentified")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (.csv, .json; htcds also .xlsx)")
    ],
    k: Annotated[int, typer.Option("--k", help="k-anonymity threshold (deidentified)")] = 11,
    identity: Annotated[
        bool, typer.Option("--identity", help="htcds: include names, birth dates, documents")
    ] = False,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="Only this state (code, e.g. TH)")
    ] = None,
) -> None:
    """Export cases from the configured database (audited)."""
    if k < 2:
        _fail([Problem("--k", f"must be at least 2 (got {k})")])
    allowed = {".csv", ".json", ".xlsx"} if format is ExportFormat.htcds else {".csv", ".json"}
    if out.suffix.lower() not in allowed:
        _fail([Problem("--out", f"must end in {', '.join(sorted(allowed))}")])
    _django()
    from npp.web.cases.models import Case
    from npp.web.monitoring import exchange

    code = jurisdiction.upper() if jurisdiction else None
    fmt = out.suffix.lower().lstrip(".")
    try:
        if format is ExportFormat.htcds:
            cases = Case.objects.all()
            if code:
                cases = cases.filter(jurisdiction=code)
            with out.open("wb") as fh:
                n = exchange.export_htcds(
                    cases, fh, fmt=fmt, with_identity=identity, actor=_actor()
                )
            print(f"wrote {n} case(s) to {out}", file=sys.stderr)
            return
        frame, report = exchange.export_deidentified((code,) if code else None, k=k, actor=_actor())
    except OSError as exc:
        _fail([Problem("--out", f"cannot write {str(out)!r}: {exc.strerror or exc}")])
        return
    if fmt == "json":
        out.write_text(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1), "utf-8")
    else:
        out.write_text(exchange.frame_to_csv(frame), encoding="utf-8")
    rep = out.with_name(out.name + ".report.json")
    rep.write_text(json.dumps(report.as_dict(), indent=1), encoding="utf-8")
    for line in report.lines():
        print(line, file=sys.stderr)
    print(f"wrote {report.rows_out} row(s) to {out}; report in {rep}", file=sys.stderr)


def import_(
    file: Annotated[Path, typer.Argument(help="HTCDS v2.0 file (.csv, .json or .xlsx)")],
    user: Annotated[
        str,
        typer.Option("--user", "-u", help="Supervisor whose organisation receives the cases"),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; import nothing")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the import report (JSON) here")
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)"),
    ] = None,
) -> None:
    """Import HTCDS records, all or nothing: every problem is reported (exit 3), none written."""
    from npp.exchange import FileError, read_file

    try:
        data = file.read_bytes()
        table = read_file(data, file.name)
    except OSError as exc:
        _fail([Problem("FILE", f"cannot read {str(file)!r}: {exc.strerror or exc}")])
        return
    except FileError as exc:
        _fail([Problem("FILE", str(exc))])
        return
    _django()
    from django.contrib.auth import get_user_model

    from npp.web.monitoring import exchange

    account: Any = get_user_model().objects.filter(username=user).first()
    if account is None:
        _fail([Problem("--user", f"no user {user!r}")])
    if not exchange.may_exchange_cases(account):
        _fail([Problem("--user", f"{user!r} is not an active supervisor in an organisation")])
    result = _import_with_progress(exchange, table, account, dry_run, progress)
    if report is not None:
        report.write_text(json.dumps(result.as_dict(), indent=1), encoding="utf-8")
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if result.problems:
        for p in result.problems:
            print(str(p), file=sys.stderr)
        print(f"nothing imported: {len(result.problems)} problem(s)", file=sys.stderr)
        raise typer.Exit(3)
    for name in result.organisations:
        verb = "would be recorded" if dry_run else "recorded"
        print(f"external organisation {verb}: {name}", file=sys.stderr)
    if dry_run:
        print(f"{result.rows} record(s) checked; all can be imported", file=sys.stderr)
        return
    for ref in result.created:
        print(ref)
    print(f"imported {len(result.created)} case(s)", file=sys.stderr)


def _import_with_progress(
    exchange: Any, table: Any, account: Any, dry_run: bool, show: bool | None
) -> Any:
    """Two Rich progress bars on standard error, records checked then records written
    (by default only on a terminal)."""
    from rich.console import Console

    console = Console(stderr=True)
    visible = console.is_terminal if show is None else show
    with progress_bar(console, "records {task.description:<8}", disable=not visible) as bar:
        tasks: dict[str, Any] = {}

        def step(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done)

        return exchange.import_htcds(table, account, dry_run=dry_run, progress=step)


def guide(
    cc: Annotated[str, typer.Argument(help="Jurisdiction code, e.g. TH")],
    stage: Annotated[str, typer.Option("--stage", "-s", help="Criminal-justice stage code")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PDF file to write")],
    date: Annotated[str | None, typer.Option("--date", help="Law in force on (YYYY-MM-DD)")] = None,
) -> None:
    """A printable pocket guide (PDF) for one state and stage."""
    kb = kb_or_fail()
    code = jurisdiction_or_fail(kb, cc)
    if stage not in kb.vocabulary.stages:
        _fail([Problem("--stage", f"must be one of {', '.join(kb.vocabulary.stages)}")])
    day = parse_day(date)
    from npp.guides.content import guide as build
    from npp.guides.render import render_pdf

    try:
        out.write_bytes(render_pdf(build(kb, code, stage, day)))
    except OSError as exc:
        _fail([Problem("--out", f"cannot write {str(out)!r}: {exc.strerror or exc}")])
    print(f"wrote {out}", file=sys.stderr)


monitor_app = typer.Typer(help="The statistics read model.", no_args_is_help=True)


@monitor_app.command("rebuild")
def rebuild() -> None:
    """Recompute the de-identified statistics tables from the case tables."""
    _django()
    from npp.web.monitoring.facts import rebuild as run

    n = run()
    print(f"rebuilt statistics for {n} case(s)", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level ``npp`` app."""
    app.command("export")(export)
    app.command("import")(import_)
    app.command("guide")(guide)
    app.add_typer(monitor_app, name="monitor")
