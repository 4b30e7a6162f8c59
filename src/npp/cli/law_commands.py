"""``npp law ...``: the legal knowledge base (check, list, show, cite, search, matrix, gaps).

Rich and the comparison modules are imported inside the commands, so ``npp law ...`` starts
fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from npp.cli.common import Fmt, emit_json, fail, jurisdiction_or_fail, kb_or_fail, parse_day
from npp.errors import NppError, Problem

law_app = typer.Typer(help="The legal knowledge base.", no_args_is_help=True)


class TableFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def register(app: typer.Typer) -> None:
    """Add the ``law`` command group to the top-level ``npp`` app."""
    app.add_typer(law_app, name="law")


@law_app.command("check")
def law_check() -> None:
    """Validate the whole knowledge base (schema, codes, citations). CI runs this."""
    from npp.law.loader import load_knowledge

    try:
        kb = load_knowledge(use_cache=False)
    except NppError as exc:
        fail(exc.problems)
    n_prov = len(kb.provisions)
    print(
        f"ok: {len(kb.instruments)} instruments, {n_prov} provisions, {len(kb.profiles)} state "
        f"profiles, {len(kb.sources)} sources, {len(kb.recommendations)} recommendations, "
        f"{len(kb.indicators)} indicators"
    )


@law_app.command("list")
def law_list(
    format: Annotated[TableFmt, typer.Option("--format", "-f")] = TableFmt.table,
) -> None:
    """List every instrument: domestic, regional, international."""
    kb = kb_or_fail()
    rows = [
        {
            "id": i.id,
            "level": i.level,
            "jurisdiction": i.jurisdiction or "",
            "title": i.short_title,
            "in_force_from": i.in_force_from.isoformat() if i.in_force_from else "",
            "in_force_to": i.in_force_to.isoformat() if i.in_force_to else "",
            "verified": i.evidence.verified,
        }
        for i in sorted(
            kb.instruments.values(), key=lambda i: (i.level, i.jurisdiction or "", i.id)
        )
    ]
    _table(rows, format, "Instruments")


@law_app.command("show")
def law_show(
    cc: Annotated[str, typer.Argument(help="Jurisdiction code, e.g. TH")],
    date: Annotated[str | None, typer.Option("--date", help="Law in force on (YYYY-MM-DD)")] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
) -> None:
    """A state's law in force on a date: provision, penalties, defences, identification."""
    kb = kb_or_fail()
    code = jurisdiction_or_fail(kb, cc)
    day = parse_day(date)
    from npp.law.show import show_state

    doc = show_state(kb, code, day)
    if format is Fmt.json:
        emit_json(doc)
    else:
        from npp.law.show import render_state

        sys.stdout.write(render_state(doc))


@law_app.command("cite")
def law_cite(
    cid: Annotated[str, typer.Argument(help="Provision, instrument or source id")],
) -> None:
    """Resolve a citation id to its instrument, provision, text and sources."""
    kb = kb_or_fail()
    try:
        c = kb.cite(cid)
    except NppError as exc:
        fail(exc.problems)
    emit_json(c.as_dict())


@law_app.command("search")
def law_search(text: Annotated[str, typer.Argument(help="Words to find (all must match)")]) -> None:
    """Search instruments, provisions, recommendations, offences and agreements."""
    if not text.strip():
        fail([Problem("TEXT", "must not be empty")])
    kb = kb_or_fail()
    hits = list(kb.search(text))
    if not hits:
        print(f"no match for {text!r}", file=sys.stderr)
        raise typer.Exit(1)
    for cid, kind, snippet in hits:
        print(f"{cid}\t{kind}\t{snippet}")


@law_app.command("matrix")
def law_matrix(
    date: Annotated[str | None, typer.Option("--date", help="Law in force on (YYYY-MM-DD)")] = None,
    format: Annotated[TableFmt, typer.Option("--format", "-f")] = TableFmt.table,
) -> None:
    """The comparative table of the ten states (contract §2)."""
    kb = kb_or_fail()
    day = parse_day(date)
    from npp.law.compare import matrix

    rows = matrix(kb, day)
    if format is TableFmt.json:
        emit_json(rows)
        return
    flat = [
        {
            "jurisdiction": r["jurisdiction"],
            "has_provision": r["has_provision"],
            "model": r["model"],
            "instrument": r["instrument"] or "",
            "section": r["section"] or "",
            "offences": r["offences"]
            if isinstance(r["offences"], str)
            else ";".join(r["offences"]),
            "victims": r["victims"] or "",
            "verified": "" if r["verified"] is None else r["verified"],
            "citation": r["citation"],
        }
        for r in rows
    ]
    _table(flat, format, f"Non-punishment provisions in force on {day}")


@law_app.command("gaps")
def law_gaps(
    cc: Annotated[str | None, typer.Argument(help="Jurisdiction code; all ten if omitted")] = None,
    date: Annotated[str | None, typer.Option("--date")] = None,
    format: Annotated[TableFmt, typer.Option("--format", "-f")] = TableFmt.table,
) -> None:
    """Each state's law against recommendations 10, 16, 19, 25 and ACTIP art. 14(7)."""
    kb = kb_or_fail()
    day = parse_day(date)
    codes = [jurisdiction_or_fail(kb, cc)] if cc else list(kb.vocabulary.jurisdictions)
    from npp.law.compare import gaps

    rows = [g.as_dict() for c in codes for g in gaps(kb, c, day)]
    if format is TableFmt.json:
        emit_json(rows)
        return
    for r in rows:
        r["citations"] = "; ".join(r["citations"])
    _table(rows, format, f"Gaps against the study's recommendations ({day})")


def _table(rows: list[dict[str, Any]], fmt: TableFmt, title: str) -> None:
    if fmt is TableFmt.json:
        emit_json(rows)
        return
    if fmt is TableFmt.csv:
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        w.writeheader()
        w.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    for k in rows[0] if rows else []:
        t.add_column(k)
    for r in rows:
        t.add_row(*(str(v) for v in r.values()))
    Console().print(t)
