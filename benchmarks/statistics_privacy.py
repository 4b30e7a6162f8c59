"""How many published cells are suppressed or perturbed, before and after issue 15's defence.

    .venv/bin/python benchmarks/statistics_privacy.py [--cases 20000] [--source synthetic|demo]

``--source synthetic`` (default) loads the read model with the dashboard benchmark's
generator (benchmarks/dashboard.py, COPY into a PostgreSQL database of its own,
``npp_privacy_bench``); ``--source demo`` loads the web demo (src/npp/web/demo.py, every case
written through the actions and assessed; slow: minutes per thousand cases) into a
temporary SQLite database. Then, for the views an analyst opens first — all ten states, and
each state alone — it publishes the headline figures and the breakdown by every dimension
(plus the trend, decisions and time tables),
and prints, per table family and view, how many count cells are published and the share
of them suppressed (a table withheld under a filter publishes no cells). Run it once as is
("after") and once with ``--src /path/to/main/src`` for the code before issue 15
("before"). Not a test; prints figures.
The target (issue 15): at most a quarter of headline and breakdown cells suppressed at k=11
on a 20,000-case demo.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def _synthetic(n: int) -> None:
    """The dashboard benchmark's generator, in a database of our own (its ``_setup`` would
    put this checkout's src/ first on the path, which ``--src`` must be able to override)."""
    import dashboard
    import psycopg

    db = "npp_privacy_bench"  # never the dashboard benchmark's own database
    with psycopg.connect(dashboard.ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db}")
        conn.execute(f"CREATE DATABASE {db}")
    os.environ["DATABASE_URL"] = f"{dashboard.ADMIN_URL.rsplit('/', 1)[0]}/{db}"
    os.environ.setdefault("NPP_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmn")
    os.environ.setdefault("NPP_ENCRYPTION_KEY", "q6Z0wB2uX8hYbQm3kM8v1xJcH0yqTn7pV9Rk1sLd2aE=")
    os.environ.setdefault("NPP_HTTPS", "0")
    os.environ.setdefault("NPP_DATA_DIR", tempfile.mkdtemp(prefix="npp-privacy-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "npp.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("loaded", dashboard.load(n))


def _demo(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="npp-privacy-bench-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ["NPP_DATA_DIR"] = str(tmp)
    os.environ["NPP_DEMO"] = "1"
    os.environ.setdefault("NPP_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmn")
    os.environ.setdefault("NPP_ENCRYPTION_KEY", "q6Z0wB2uX8hYbQm3kM8v1xJcH0yqTn7pV9Rk1sLd2aE=")
    os.environ.setdefault("NPP_HTTPS", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "npp.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from npp.web import demo

    t = time.perf_counter()
    print("loaded", demo.load(n_cases=n), f"in {time.perf_counter() - t:.0f} s")


def _cells(out: dict[Any, Any], where: tuple[Any, ...], frame: Any, first: str,
           columns: list[str]) -> None:  # fmt: skip
    for row in frame.iter_rows(named=True):
        for c in columns:
            out[(*where, str(row[first]), c)] = row[c]


#: The views measured in each scope: no filter, and two an analyst often sets.
VIEWS: list[dict[str, Any]] = [{}, {"sex": "female"}, {"year_from": 2024, "year_to": 2024}]


def measure(policy: Any, scopes: list[tuple[str, ...] | None]) -> dict[Any, Any]:
    """Every published count cell, keyed by (family, scope, view, table, row, column)."""
    from npp.web.monitoring import queries

    out: dict[Any, Any] = {}
    for scope in scopes:
        for n, view in enumerate(VIEWS):
            f = queries.Filters(dict(view), scope)
            k = queries.kpis(f, policy)
            for name, v in k["figures"].items():
                if not name.startswith(("share", "median")):
                    out[("headline", scope, n, "", name, "")] = v
            frame = k["time_to_identification"].frame
            _cells(out, ("time", scope, n, ""), frame, "bucket", ["persons"])
            for by in queries.DIMENSIONS:
                if by == "jurisdiction" and scope is not None:
                    continue
                b = queries.breakdown(f, policy, by)
                measures = queries.OFFENCE_MEASURES if by == "offence" else queries.CASE_MEASURES
                _cells(out, ("breakdown", scope, n, by), b.frame, "group", list(measures))
            t = queries.trend(f, policy, "year")
            cols = ["persons", "potential", "identified", "protected", "punished"]
            _cells(out, ("trend", scope, n, ""), t.frame, "period", cols)
            d = queries.decisions(f, policy)
            _cells(out, ("decisions", scope, n, ""), d.frame, "decision", ["persons", "after_flag"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--source", choices=["synthetic", "demo"], default="synthetic")
    ap.add_argument("--k", type=int, default=11)
    ap.add_argument("--src", help="measure another checkout's src/ (e.g. main, for 'before')")
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, str(Path(args.src).resolve()))
    os.environ["NPP_STATISTICS_K"] = str(args.k)
    (_synthetic if args.source == "synthetic" else _demo)(args.cases)

    import npp
    from npp.web.monitoring import queries
    from npp.web.monitoring.models import CaseFact

    policy = queries.policy_from()
    states = sorted(set(CaseFact.objects.values_list("jurisdiction", flat=True)))
    scopes: list[tuple[str, ...] | None] = [None, *[(s,) for s in states]]
    cells = measure(policy, scopes)
    print(f"code: {Path(npp.__file__).parents[1]}")
    print(
        f"{CaseFact.objects.count()} persons; scopes: all states + each of {len(states)}, "
        f"each with {len(VIEWS)} views (no filter, sex=female, year 2024); "
        f"k={policy.k}, rounding {policy.base}, noise bound {getattr(policy, 'noise', 0)}"
    )
    print(f"{'cells':<34}{'published':>10}{'suppressed':>12}  (views with the table)")
    groups = {
        "headline": ["headline"],
        "breakdown": ["breakdown"],
        "headline+breakdown": ["headline", "breakdown"],
        "trend": ["trend"],
        "decisions": ["decisions"],
        "time": ["time"],
    }
    for view, view_label in ((None, "all views"), (0, "no filter"), (1, "sex=female"),
                             (2, "year 2024")):  # fmt: skip
        for label, families in groups.items():
            c = [v for key, v in cells.items() if key[0] in families
                 and (view is None or key[2] == view)]  # fmt: skip
            views = {key[1:3] for key in cells if key[0] in families
                     and (view is None or key[2] == view)}  # fmt: skip
            share = sum(v is None for v in c) / max(len(c), 1)
            print(f"{view_label + ': ' + label:<34}{len(c):>10}{share:>12.1%}  ({len(views)})")
    c = [v for key, v in cells.items() if key[0] in {"headline", "breakdown"}
         and key[1] is None and key[2] == 0]  # fmt: skip
    print(f"default view (all states, no filter), headline+breakdown: {len(c)} cells, "
          f"{sum(v is None for v in c) / max(len(c), 1):.1%} suppressed")  # fmt: skip


if __name__ == "__main__":
    main()
