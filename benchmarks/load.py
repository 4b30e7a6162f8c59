"""Load: virtual users assess, read and edit cases through the API of a real server.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--json out.json]

Starts a throwaway deployment (``npp serve``: gunicorn, 2 workers x 4 threads, on 127.0.0.1;
SQLite, or a fresh PostgreSQL database when ``DATABASE_URL`` is set), prepares users and
seed cases, then runs ``--users`` asyncio users (httpx, one keep-alive connection each) for
``--seconds``. Each user loops: 40 % assessments (``POST /api/v1/assessments``), 35 % case
reads (``GET /api/v1/cases/{ref}``), 25 % edits — decisions, new facts, new personal details,
new cases — most of them on two "hot" cases that every user edits at once, so that
concurrent edits collide.

Then it stops the server and checks the database against the users' records: every
acknowledged write is there exactly once, each case's version is its first version plus its
acknowledged writes (so no write was lost or silently overwritten), nothing is half-written,
and ``npp audit verify`` passes. Prints (and with ``--json`` writes) the figures: requests,
p50/p95/p99 per operation, errors, 409 conflicts. Exit status 0 only if there were no errors
and every check passed. Requests go to 127.0.0.1 only; the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Deployment
from scenario import (
    Client,
    Stats,
    check_acknowledged,
    check_integrity,
    check_versions,
    prepare,
    run_users,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=0.05, help="mean pause between requests (s)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)

    with Deployment() as dep:
        dep.migrate()
        dep.django()
        world = prepare(n_users=min(args.users, 6), n_cases=20)
        refs = list(world["cases"])
        hot = refs[:2]
        dep.start(workers=args.workers, threads=args.threads)
        stats = Stats()
        tokens = world["tokens"]
        clients = [
            Client(dep.base_url, tokens[n % len(tokens)], stats, f"u{n}") for n in range(args.users)
        ]

        async def step(c: Client) -> None:
            r = rng.random()
            if r < 0.40:
                await c.assess()
            elif r < 0.75:
                await c.read(rng.choice(refs))
            elif r < 0.77:
                await c.create()
            else:
                ref = rng.choice(hot) if rng.random() < 0.6 else rng.choice(refs)
                kind = rng.choices(["decision", "facts", "person"], [5, 3, 2])[0]
                await c.write(kind, ref)
            await asyncio.sleep(rng.uniform(0, 2 * args.think))

        async def run() -> float:
            try:
                return await run_users(clients, args.seconds, step)
            finally:
                await asyncio.gather(*(c.close() for c in clients))

        elapsed = asyncio.run(run())
        dep.stop()
        figures: dict[str, Any] = {
            "database": dep.vendor,
            "users": args.users,
            "seconds": round(elapsed, 1),
            "server": f"gunicorn {args.workers} workers x {args.threads} threads",
            **stats.summary(elapsed),
        }
        problems = check_acknowledged(stats.acks) + check_versions(stats.acks, world["cases"])
        counts, integrity = check_integrity()
        audit = dep.npp("audit", "verify", check=False)
        figures["checks"] = {
            **counts,
            "acknowledged_writes_missing_or_duplicated": problems[:20],
            "half_written": integrity[:20],
            "audit_verify": audit.stdout.strip() or audit.stderr.strip()[-500:],
            "audit_verify_exit": audit.returncode,
        }
    ok = not figures["errors"] and not problems and not integrity and audit.returncode == 0
    figures["ok"] = ok
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
