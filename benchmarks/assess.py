"""Assessment throughput in-process and whole-process time of `npp assess` / `npp law`.

Targets (issue 3): >= 5,000 assessments/s on one core; `npp assess` <= 0.5 s median
whole-process; (issue 2) any `npp law` command <= 0.5 s whole-process.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import npp  # noqa: E402


def in_process(seconds: float = 3.0) -> float:
    facts = json.loads((ROOT / "examples" / "th-raid-minor.json").read_text())
    e = npp.engine()
    e.assess_data(facts)  # warm the law cache
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        e.assess_data(facts)
        n += 1
    return n / (time.perf_counter() - start)


def whole_process(args: list[str], runs: int = 7) -> float:
    npp_bin = ROOT / ".venv" / "bin" / "npp"
    subprocess.run([str(npp_bin), *args], capture_output=True, check=True)  # warm caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(npp_bin), *args], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    print(f"assessments/s in-process (one core): {in_process():,.0f}")
    print(
        f"npp assess, median whole-process: "
        f"{whole_process(['assess', 'examples/th-raid-minor.json']):.3f} s"
    )
    print(f"npp law matrix, median whole-process: {whole_process(['law', 'matrix']):.3f} s")
    print(f"npp law show TH, median whole-process: {whole_process(['law', 'show', 'TH']):.3f} s")


if __name__ == "__main__":
    main()
