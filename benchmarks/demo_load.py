"""Benchmark of the demo's first start: ``npp serve --demo`` on a fresh data directory
(migrate, load ``NPP_DEMO_CASES`` synthetic cases, serve), as ``make run`` does.

    .venv/bin/python benchmarks/demo_load.py [--cases 20000] [--keep DIR]

Prints the time until the demo data is loaded and until the server answers, the CPU time
that took (on a shared machine, the wall-clock time depends on the other processes), the
cases loaded per second, the database's size, the time ``npp audit verify`` takes over the
demo's chain, and the share of suppressed cells on the demo analysts' dashboards (headline
figures and the breakdown by state — the dashboard's first view — then by each dimension).
Target: serving within 60 s for 20,000 cases; at most 25 % of cells suppressed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

NPP = str(Path(sys.executable).with_name("npp"))
ANALYSTS = ("demo-analyst", "demo-analyst-regional")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_start(data_dir: str, cases: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NPP_")}
    env.update(NPP_DATA_DIR=data_dir, NPP_DEMO_CASES=str(cases))
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [NPP, "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out: dict[str, float] = {}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            print("  server:", line.rstrip())
            if line.startswith("demo data:"):
                out["loaded"] = time.perf_counter() - start
                m = re.search(r"\((\d+) s\)", line)
                out["load_only"] = float(m.group(1)) if m else out["loaded"]
            if line.startswith("NPP Navigator on"):
                break
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    raise SystemExit("the server stopped") from None
                time.sleep(0.2)
        out["serving"] = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = usage.ru_utime + usage.ru_stime
    return out


def shares(data_dir: str) -> None:
    os.environ.update(NPP_DATA_DIR=data_dir, NPP_DEMO="1")
    from npp.web import setup

    setup()
    from npp.web.accounts.models import User
    from npp.web.demo.disclosure import suppressed
    from npp.web.monitoring.queries import DIMENSIONS

    for name in ANALYSTS:
        user = User.objects.get(username=name)
        s = suppressed(user)
        print(
            f"{name}: {s.suppressed}/{s.cells} headline and breakdown cells suppressed "
            f"({100 * s.ratio:.1f} %)"
        )
        for by in DIMENSIONS:
            b = suppressed(user, by, headline=False)
            print(f"    by {by:<13} {b.suppressed:>4}/{b.cells:<4} ({100 * b.ratio:.1f} %)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--keep", help="use (and keep) this data directory instead of a temporary one")
    args = ap.parse_args()
    data_dir = args.keep or tempfile.mkdtemp(prefix="npp-demo-bench-")
    if args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
        os.makedirs(data_dir)
    try:
        t = first_start(data_dir, args.cases)
        size = sum(p.stat().st_size for p in Path(data_dir).glob("npp.sqlite3*"))
        print(f"cases: {args.cases}")
        print(f"migrate + load: {t['loaded']:.1f} s (load alone {t['load_only']:.0f} s)")
        print(f"cases/s: {args.cases / max(t['load_only'], 1e-9):.0f}")
        print(f"first start to serving: {t['serving']:.1f} s (target 60 s)")
        print(
            f"CPU time of the server process: {t['cpu']:.1f} s (the time it would take on an "
            "otherwise idle core)"
        )
        print(f"database: {size / 1e6:.0f} MB")
        env = {**os.environ, "NPP_DATA_DIR": data_dir, "NPP_DEMO": "1"}
        v = time.perf_counter()
        done = subprocess.run([NPP, "audit", "verify"], env=env, capture_output=True, text=True)
        print(f"npp audit verify: exit {done.returncode} in {time.perf_counter() - v:.1f} s")
        shares(data_dir)
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
