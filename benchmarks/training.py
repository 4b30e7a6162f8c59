"""Benchmark of the training catalogue: loading and validating every scenario, computing every
key, and building a workbook.

    .venv/bin/python benchmarks/training.py [--role frontline --jurisdiction TH] [--pdf]

Prints the time to load and validate the catalogue (strict YAML, case facts, questions,
misconceptions), to compute all keys with the engine, and to build the workbook HTML (and,
with ``--pdf``, the PDF). The web process does the first two once, on its first training page.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", default="frontline")
    ap.add_argument("--jurisdiction", default="TH")
    ap.add_argument("--pdf", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    import npp
    from npp.training import load_training
    from npp.training.practice import all_keys
    from npp.training.workbook import workbook_html, workbook_pdf

    engine = npp.engine()
    t1 = time.perf_counter()
    cat = load_training(engine.kb)
    t2 = time.perf_counter()
    keys = all_keys(engine, cat)
    t3 = time.perf_counter()
    html = workbook_html(engine, cat, args.role, args.jurisdiction)
    t4 = time.perf_counter()
    print(f"knowledge base and engine: {t1 - t0:.2f} s")
    print(f"load and validate {len(cat.scenarios)} scenarios: {t2 - t1:.2f} s")
    print(f"compute {len(keys)} keys: {t3 - t2:.2f} s ({(t3 - t2) / len(keys) * 1000:.0f} ms each)")
    print(f"workbook HTML ({args.role}, {args.jurisdiction}): {t4 - t3:.3f} s, {len(html)} chars")
    if args.pdf:
        pdf = workbook_pdf(engine, cat, args.role, args.jurisdiction)
        print(f"workbook PDF: {time.perf_counter() - t4:.2f} s, {len(pdf)} bytes")


if __name__ == "__main__":
    main()
