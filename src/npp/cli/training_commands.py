"""``npp training``: list and show scenarios (contract §6), check the catalogue, rewrite the
reviewed keys, print a workbook, and remove expired group sessions.

The catalogue is data (``knowledge/training/``); these commands are thin adapters over
:mod:`npp.training`. Problems: one line each on stderr, exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from npp.errors import NppError, Problem

training_app = typer.Typer(
    help="Training scenarios: practise the decisions, with the law's own answers.",
    no_args_is_help=True,
)


def _fail(problems: list[Problem]) -> NoReturn:
    for p in problems:
        print(str(p), file=sys.stderr)
    raise typer.Exit(2)


def _catalogue() -> Any:
    from npp import engine
    from npp.training import load_training

    try:
        return load_training(engine().kb)
    except NppError as exc:
        _fail(exc.problems)


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _choice(value: str | None, allowed: Any, field: str) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        _fail([Problem(field, f"must be one of {', '.join(allowed)} (got {value!r})")])
    return value


@training_app.command("list")
def training_list(
    role: Annotated[str | None, typer.Option("--role", help="frontline, prosecutor, ...")] = None,
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", help="e.g. TH")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="e.g. identification")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "text",
) -> None:
    """The scenarios, optionally for one role, state and stage (contract §6)."""
    from npp import engine
    from npp.training import ROLES
    from npp.training.practice import summary

    kb = engine().kb
    _choice(format, ("json", "text"), "--format")
    _choice(role, ROLES, "--role")
    cc = _choice(jurisdiction.upper() if jurisdiction else None, kb.vocabulary.jurisdictions,
                 "--jurisdiction")  # fmt: skip
    _choice(stage, kb.vocabulary.stages, "--stage")
    rows = [summary(s) for s in _catalogue().select(role, cc, stage)]
    if format == "json":
        _emit(rows)
        return
    for r in rows:
        print(f"{r['id']}\t{r['jurisdiction']}\t{r['stage']}\t{','.join(r['roles'])}\t{r['title']}")


@training_app.command("show")
def training_show(
    sid: Annotated[str, typer.Argument(metavar="ID", help="Scenario id")],
    role: Annotated[str | None, typer.Option("--role", help="Only this role's questions")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "text",
) -> None:
    """One scenario: narrative, facts, questions and the key the engine gives today."""
    from npp import engine
    from npp.training import ROLES
    from npp.training.practice import scenario_doc

    _choice(format, ("json", "text"), "--format")
    _choice(role, ROLES, "--role")
    cat = _catalogue()
    s = cat.scenarios.get(sid)
    if s is None:
        _fail([Problem("ID", f"no scenario {sid!r} (`npp training list` shows them)")])
    doc = scenario_doc(engine(), cat, s, role)
    if format == "json":
        _emit(doc)
        return
    print(f"{doc['title']} ({doc['jurisdiction']}, {doc['stage']})\n")
    print(doc["narrative"] + "\n")
    for q in doc["questions"]:
        print(f"{q['id']}. {q['prompt']}")
    print("\nKey: " + json.dumps(doc["key"], ensure_ascii=False))


@training_app.command("check")
def training_check() -> None:
    """Validate every scenario, the coverage of states, stages and roles, and the keys."""
    from npp import engine
    from npp.training import keys_differ, read_keys
    from npp.training.practice import all_keys, coverage_problems

    cat = _catalogue()
    problems = [Problem("coverage", p) for p in coverage_problems(engine().kb, cat)]
    stale = keys_differ(all_keys(engine(), cat), read_keys(cat.root / "keys.json"))
    problems += [Problem("keys.json", line + " (review, then `npp training rekey`)")
                 for line in stale]  # fmt: skip
    if problems:
        _fail(problems)
    print(f"ok: {len(cat.scenarios)} scenarios, {len(cat.misconceptions)} misconceptions, "
          "keys reviewed")  # fmt: skip


@training_app.command("rekey")
def training_rekey() -> None:
    """Rewrite keys.json with what the engine gives today; print what changed, to review."""
    from npp import engine
    from npp.training import keys_differ, read_keys, write_keys
    from npp.training.practice import all_keys

    cat = _catalogue()
    path = cat.root / "keys.json"
    current = all_keys(engine(), cat)
    changes = keys_differ(current, read_keys(path))
    write_keys(path, current)
    for line in changes:
        print(line)
    print(f"wrote {path} ({len(current)} keys, {len(changes)} changed)")


@training_app.command("workbook")
def training_workbook(
    role: Annotated[str, typer.Option("--role", help="frontline, prosecutor, ...")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="e.g. TH")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write")],
) -> None:
    """A printable workbook (PDF): scenarios, questions, and the answers at the end."""
    from npp import engine
    from npp.training import ROLES
    from npp.training.workbook import workbook_pdf

    kb = engine().kb
    _choice(role, ROLES, "--role")
    cc = _choice(jurisdiction.upper(), kb.vocabulary.jurisdictions, "--jurisdiction")
    assert cc is not None
    cat = _catalogue()
    if not cat.select(role, cc):
        _fail([Problem("--role", f"no scenario for {role} in {cc}")])
    try:
        out.write_bytes(workbook_pdf(engine(), cat, role, cc))
    except OSError as exc:
        _fail([Problem("--out", f"cannot write {str(out)!r}: {exc.strerror or exc}")])
    print(f"wrote {out}")


@training_app.command("cleanup")
def training_cleanup() -> None:
    """Delete group sessions (and their answers) past their expiry time."""
    from npp.cli.web_commands import _django

    _django()
    from npp.web.training.actions import delete_expired

    n_sessions, n_answers = delete_expired()
    print(f"deleted {n_sessions} expired session(s) and {n_answers} answer(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(training_app, name="training")
