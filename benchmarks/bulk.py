"""Bulk review speed and memory: prints the figures issue #6 asks for.

    .venv/bin/python benchmarks/bulk.py                     # 1,000,000 rows
    .venv/bin/python benchmarks/bulk.py --memory-rows 10000000

Figures:
- rows/s of ``npp review`` on a synthetic CSV (``npp demo-data``), end to end (read, validate,
  assess, write) but without loading the knowledge base;
- ratio to a bare Polars read + write of the same file, both eager (``read_csv`` +
  ``write_csv``) and streaming (``scan_csv`` + ``sink_csv``, the fastest Polars can copy it);
- ratio to calling the single-case engine once per row, on a random sample of rows;
- peak memory (maximum resident set size) of ``npp review`` run as its own process on the
  1M-row file and, with ``--memory-rows``, on a larger file (the issue asks 10M in ≤ 2 GB).

Each timed step runs ``--repeat`` times, interleaved; the best time of each is reported
(the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

import npp
from npp.bulk.convert import row_to_facts
from npp.bulk.demo import write_demo
from npp.bulk.review import review

TODAY = dt.date(2026, 11, 28)


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def eager_copy(src: Path, dst: Path) -> None:
    pl.read_csv(src, infer_schema=False).write_csv(dst)


def stream_copy(src: Path, dst: Path) -> None:
    pl.scan_csv(src, infer_schema=False).sink_csv(dst)


def peak_rss_of_review(src: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak resident memory in MiB) of ``npp review`` as a fresh process."""
    cmd = [sys.executable, "-m", "npp.cli.main", "review", str(src), "--out", str(out),
           "--date", TODAY.isoformat(), "--no-progress"]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"npp review failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def per_row_engine(src: Path, sample: int) -> float:
    """Rows per second of ``npp.engine().assess_data`` on a random sample of the file."""
    frame = pl.read_csv(src, infer_schema=False)
    rows = frame.sample(min(sample, frame.height), seed=1).to_dicts()
    facts = [row_to_facts(r) for r in rows]
    engine = npp.engine()
    engine.assess_data(facts[0], today=TODAY)  # warm the law cache, as bulk review does
    t0 = time.perf_counter()
    for f in facts:
        engine.assess_data(f, today=TODAY)
    return len(facts) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=2_000, help="rows for the per-row engine")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-rows", type=int, default=0, help="also measure a larger file")
    ap.add_argument("--dir", type=Path, default=None, help="work here (default: a temp dir)")
    args = ap.parse_args()
    random.seed(1)
    kb = npp.load_knowledge()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        src = work / "records.csv"
        t_gen = best(1, lambda: write_demo(kb, args.rows, src))
        size = src.stat().st_size / 2**20
        print(f"input: {args.rows:,} rows, {size:,.0f} MiB CSV (demo-data in {t_gen:.2f} s)")

        # Interleaved, so that a burst of load on a shared machine hits all three alike.
        runs: dict[str, list[float]] = {"eager": [], "stream": [], "review": []}
        for _ in range(args.repeat):
            runs["eager"].append(best(1, lambda: eager_copy(src, work / "copy.csv")))
            runs["stream"].append(best(1, lambda: stream_copy(src, work / "copy2.csv")))
            runs["review"].append(best(1, lambda: review(kb, src, work / "out.csv", date=TODAY)))
        t_eager, t_stream, t_review = (min(runs[k]) for k in ("eager", "stream", "review"))
        rate = args.rows / t_review
        print(f"bare read+write, eager (read_csv + write_csv):   {t_eager:6.2f} s")
        print(f"bare read+write, streaming (scan_csv + sink_csv): {t_stream:6.2f} s")
        print(f"npp review:                                      {t_review:6.2f} s")
        print(f"  rows/s:                          {rate:12,.0f}   (target >= 500,000)")
        print(f"  ratio to bare eager read+write:  {t_review / t_eager:12.2f} x (target <= 3)")
        print(f"  ratio to bare streaming copy:    {t_review / t_stream:12.2f} x")

        engine_rate = per_row_engine(src, args.sample)
        print(f"single-case engine per row:      {engine_rate:12,.0f} rows/s "
              f"(sample of {args.sample:,})")  # fmt: skip
        print(f"  bulk / per-row engine:           {rate / engine_rate:12,.0f} x (target >= 50)")

        secs, rss = peak_rss_of_review(src, work / "out-proc.csv")
        print(f"npp review as a process, {args.rows:,} rows: {secs:.2f} s wall "
              f"(with start-up), peak RSS {rss:,.0f} MiB")  # fmt: skip
        if args.memory_rows:
            big = work / "big.csv"
            write_demo(kb, args.memory_rows, big)
            (work / "copy.csv").unlink(missing_ok=True)
            size = big.stat().st_size / 2**20
            secs, rss = peak_rss_of_review(big, work / "big-out.csv")
            print(f"npp review as a process, {args.memory_rows:,} rows ({size:,.0f} MiB): "
                  f"{secs:.2f} s, {args.memory_rows / secs:,.0f} rows/s, peak RSS {rss:,.0f} MiB "
                  "(target <= 2048)")  # fmt: skip


if __name__ == "__main__":
    main()
