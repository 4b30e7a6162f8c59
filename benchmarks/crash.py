"""Crash: SIGKILL the server in the middle of a write load, restart it, and check the data.

    .venv/bin/python benchmarks/crash.py [--cycles 5] [--writers 16] [--json out.json]

On a throwaway deployment (SQLite, or a fresh PostgreSQL database when ``DATABASE_URL`` is
set), each cycle starts ``npp serve`` (gunicorn), runs ``--writers`` concurrent API clients
that only write — new cases, decisions, new facts on shared cases, so that writes collide —
and, at a random moment, kills the server's whole process group with SIGKILL (the master and
every worker, requests in flight included). Only writes whose 2xx answer had arrived count as
acknowledged.

After the last cycle the server is started once more and:

- every acknowledged write is in the database, exactly once;
- nothing is half-written: every case has its personal-details row, its "opened" event and
  its ``case.created`` audit entry; its assessments are numbered 1..n and match the audited
  facts changes; its version is 1 + its audited writes; its decisions match their audit
  entries; its offence rows and facts match its latest assessment;
- ``npp audit verify`` passes (the chain is whole: no entry lost or half-appended);
- the restarted server answers for every acknowledged case.

Exit status 0 only if every check passed. Requests go to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Deployment
from scenario import Client, Stats, check_acknowledged, check_integrity, prepare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--writers", type=int, default=16)
    ap.add_argument("--kill-after", type=float, nargs=2, default=(1.5, 4.0),
                    metavar=("MIN", "MAX"), help="seconds of load before the SIGKILL")  # fmt: skip
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    acks: list[dict[str, Any]] = []
    cycles: list[dict[str, Any]] = []

    with Deployment() as dep:
        dep.migrate()
        dep.django()
        world = prepare(n_users=4, n_cases=6)
        refs = list(world["cases"])
        for n in range(args.cycles):
            dep.start()
            stats = Stats()
            clients = [
                Client(dep.base_url, world["tokens"][i % 4], stats, f"c{n}w{i}")
                for i in range(args.writers)
            ]
            kill_at = rng.uniform(*args.kill_after)

            async def writer(c: Client) -> None:
                while True:
                    r = rng.random()
                    try:
                        if r < 0.25:
                            await c.create()
                        elif r < 0.7:
                            await c.write("decision", rng.choice(refs))
                        else:
                            await c.write("facts", rng.choice(refs))
                    except Exception:
                        return  # the server is gone

            async def cycle(clients: list[Client] = clients, kill_at: float = kill_at) -> None:
                tasks = [asyncio.create_task(writer(c)) for c in clients]
                await asyncio.sleep(kill_at)
                dep.kill()  # SIGKILL, mid-write
                t0 = time.perf_counter()
                await asyncio.wait(tasks, timeout=30)
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
                assert time.perf_counter() - t0 < 30, "writers did not notice the crash"

            asyncio.run(cycle())
            acks += stats.acks
            cycles.append(
                {
                    "killed_after_s": round(kill_at, 2),
                    "acknowledged_writes": len(stats.acks),
                    "conflicts_409": stats.conflicts,
                    "requests_cut_by_the_crash": len(stats.errors),
                }
            )
        # Restart once more: the server must come up on what the crash left.
        dep.start()
        import httpx

        unreachable = []
        with httpx.Client(
            base_url=dep.base_url, headers={"Authorization": f"Token {world['tokens'][0]}"}
        ) as http:
            for ref in sorted({a["ref"] for a in acks}):
                if http.get(f"/api/v1/cases/{ref}").status_code != 200:
                    unreachable.append(ref)
        dep.stop()
        missing = check_acknowledged(acks)
        counts, half = check_integrity()
        audit = dep.npp("audit", "verify", check=False)
        figures = {
            "database": dep.vendor,
            "cycles": len(cycles),
            "writers": args.writers,
            "per_cycle": cycles,
            "acknowledged_writes": len(acks),
            **counts,
            "acknowledged_but_missing": missing[:20],
            "half_written": half[:20],
            "unreachable_after_restart": unreachable[:20],
            "audit_verify": audit.stdout.strip() or audit.stderr.strip()[-500:],
            "audit_verify_exit": audit.returncode,
        }
    ok = not missing and not half and not unreachable and audit.returncode == 0 and bool(acks)
    figures["ok"] = ok
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
