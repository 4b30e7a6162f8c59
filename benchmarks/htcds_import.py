"""Time the HTCDS import of a large file (target: 100,000 records in under a minute).

    .venv/bin/python benchmarks/htcds_import.py [--records 100000] [--format csv|json|xlsx]
                                                [--offences] [--cli] [--keep]

Makes a fresh instance (its own keys and SQLite database in a temporary directory, or a new
PostgreSQL database when ``DATABASE_URL`` names a server), writes a file of synthetic records
from the standard's own field table (names, gender, citizenship, trafficking status, methods of
control, exploitation, industry, consent, case status, referring organisations...; with
``--offences`` also ``npp_`` offences charged, so each case is assessed), then imports it as
``npp import`` does and prints records per second for reading, checking and writing. With
``--cli`` it runs the command itself, ``npp import FILE --user ...``, as a user would (a new
process: start-up, reading the file, checking, writing) and prints its wall-clock and CPU
time. Not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _environment(tmp: Path) -> str | None:
    """Configure this process as a fresh instance; returns a PostgreSQL database to drop."""
    os.environ.update(
        NPP_DEMO="1",
        NPP_DATA_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="npp.web.settings",
    )
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"npp_bench_htcds_{secrets.token_hex(3)}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
        return name
    os.environ.pop("DATABASE_URL", None)
    return None


def records(n: int, offences: bool, seed: int = 12) -> list[dict[str, Any]]:
    """Synthetic records using the standard's value lists (no real person)."""
    from npp.exchange import standard

    f = standard().fields
    rng = random.Random(seed)
    given = ["Zaw", "Ma", "Nguyen", "Siti", "Somchai", "Aye", "Maria", "Dara", "Lina", "Ko"]
    family = ["Min Oo", "Hla", "Thi Lan", "Rahman", "Chai", "Santos", "Sok", "Phan", "Lim", ""]
    orgs = [f"Partner organisation {i}" for i in range(20)]
    out = []
    for _ in range(n):
        rec: dict[str, Any] = {
            "prs_FirstName": rng.choice(given),
            "prs_SecondName": rng.choice(family),
            "prs_Gender": rng.choice(f["prs_Gender"].values),
            "prs_Citizenship": [rng.choice(["MM", "LA", "KH", "VN", "TH", "ID", "PH"])],
            "prs_Birthdate": f"{rng.randint(1960, 2010)}-{rng.randint(1, 12):02d}-15",
            "vic_TraffickingStatus": rng.choice(f["vic_TraffickingStatus"].values),
            "vic_MethodsOfControl": rng.sample(f["vic_MethodsOfControl"].values, 3),
            "vic_TypeOfExploitation": rng.sample(f["vic_TypeOfExploitation"].values, 2),
            "vic_MethodOfRecruitment": rng.sample(f["vic_MethodOfRecruitment"].values, 1),
            "vic_ForcedLabourIndustry": rng.choice(f["vic_ForcedLabourIndustry"].values),
            "con_Consent": rng.choice(["true", "false"]),
            "cas_Status": rng.choice(f["cas_Status"].values),
            "cas_ReferringOrganisation": rng.choice(orgs),
            "cas_IncomingReferralDate": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "cas_ReasonForIncomingReferral": rng.choice(f["cas_ReasonForIncomingReferral"].values),
        }
        if offences:
            rec["npp_OffencesCharged"] = [
                rng.choice(["immigration.unlawful_stay", "prostitution", "fishing.iuu"])
            ]
            rec["npp_OffenceDate"] = "2024-03-01"
        out.append(rec)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
    ap.add_argument("--offences", action="store_true", help="also charge offences (assessed)")
    ap.add_argument("--cli", action="store_true", help="time the npp import command itself")
    ap.add_argument("--keep", action="store_true", help="keep the temporary instance")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="npp-bench-htcds-"))
    pg = _environment(tmp)
    try:
        run(args, tmp)
    finally:
        if pg:
            import psycopg

            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
            from django.db import connections

            connections.close_all()
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg}"')  # type: ignore[arg-type]
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    from npp.web import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from npp.exchange import mapping, read_file
    from npp.exchange.formats import write_records
    from npp.web.accounts.actions import do_create_organisation, do_create_user
    from npp.web.monitoring.exchange import import_htcds

    org = do_create_organisation(
        None, code="th-dsdw", name="Shelter service", kind="ngo", jurisdiction="TH"
    )
    user = do_create_user(
        None,
        username="bench-supervisor",
        password=secrets.token_urlsafe(16),
        role="supervisor",
        organisation=org,
    )
    buf = io.BytesIO()
    write_records(records(args.records, args.offences), list(mapping().columns), args.format, buf)
    data = buf.getvalue()
    print(f"file: {args.records:,} records, {len(data) / 1e6:.1f} MB {args.format}")
    if args.cli:
        _run_command(tmp, data, args.format, args.records)
        return
    marks = {"start": time.perf_counter()}
    cpu = time.process_time()

    def progress(phase: str, done: int, total: int) -> None:
        if done == total:
            marks[phase] = time.perf_counter()

    table = read_file(data, f"bench.{args.format}")
    marks["read"] = time.perf_counter()
    result = import_htcds(table, user, progress=progress)
    marks["end"] = time.perf_counter()
    cpu = time.process_time() - cpu
    if not result.ok:
        print("\n".join(str(p) for p in result.problems[:10]), file=sys.stderr)
        raise SystemExit(1)
    n = len(result.created)
    total = marks["end"] - marks["start"]
    vendor = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"database: {vendor}; external organisations recorded: {len(result.organisations)}")
    print(f"read:    {marks['read'] - marks['start']:7.1f} s")
    if "checked" in marks:
        print(f"checked: {marks['checked'] - marks['read']:7.1f} s")
    print(f"total:   {total:7.1f} s for {n:,} cases = {n / total:,.0f} records/s")
    print(f"CPU:     {cpu:7.1f} s of this process = {n / cpu:,.0f} records per CPU second")


def _run_command(tmp: Path, data: bytes, fmt: str, records: int) -> None:
    """``npp import`` in a new process, as a user runs it; wall-clock and CPU time."""
    import resource
    import subprocess

    from django.db import connections

    path = tmp / f"bench.{fmt}"
    path.write_bytes(data)
    connections.close_all()
    npp = Path(sys.executable).with_name("npp")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(npp), "import", str(path), "--user", "bench-supervisor"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(1)
    n = done.stdout.count("\n")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    vendor = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"database: {vendor}; command: npp import {path.name} --user bench-supervisor")
    print(f"total:   {wall:7.1f} s for {n:,} cases = {n / wall:,.0f} records/s (wall clock)")
    print(f"CPU:     {cpu:7.1f} s of the command = {n / cpu:,.0f} records per CPU second")
    if n != records:
        raise SystemExit(f"expected {records:,} cases, the command printed {n:,}")


if __name__ == "__main__":
    main()
