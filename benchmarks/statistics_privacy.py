"""How many published cells are suppressed or perturbed, before and after issue 15's defence.

    .venv/bin/python benchmarks/statistics_privacy.py [--cases 20000] [--source synthetic|demo]

``--source synthetic`` (default) loads the read model with the dashboard benchmark's
generator (benchmarks/dashboard.py, COPY into a PostgreSQL database of its own,
``npp_privacy_bench``); ``--source demo`` loads the web demo (src/npp/web/demo.py, every case
written through the actions and assessed; slow: minutes per thousand cases) into a
temporary SQLite database. Then, for the views an analyst opens first — all ten states, and
each state alone — it publishes the headline figures and the breakdown by every dimension
(plus the trend, decisions and time tables) twice:

- **before**: ``Policy(k, base)`` as before issue 15 (suppression below k, complementary
  suppression, rounding; zeros shown);
- **after**: the application's policy (``policy_from()``: also cell-key perturbation of at
  most ``NPP_STATISTICS_NOISE``, zeros hidden, no complementary suppression),

and prints, per table family, the share of count cells suppressed, and the share of cells
published in both whose value the perturbation changed. Not a test; prints figures.
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
    import dashboard

    dashboard.DB = "npp_privacy_bench"  # never the dashboard benchmark's own database
    dashboard._setup(n)
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
VIEWS: list[dict[str, Any]] = [{}, {"sex": "female"}, {"year_from": 2023, "year_to": 2024}]


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
    args = ap.parse_args()
    os.environ["NPP_STATISTICS_K"] = str(args.k)
    (_synthetic if args.source == "synthetic" else _demo)(args.cases)

    from npp.analytics.disclosure import Policy
    from npp.web.monitoring import queries
    from npp.web.monitoring.models import CaseFact

    after = queries.policy_from()
    before = Policy(k=after.k, base=after.base)
    states = sorted(set(CaseFact.objects.values_list("jurisdiction", flat=True)))
    scopes: list[tuple[str, ...] | None] = [None, *[(s,) for s in states]]
    old, new = measure(before, scopes), measure(after, scopes)
    print(
        f"{CaseFact.objects.count()} persons; scopes: all states + each of {len(states)}, "
        f"each with {len(VIEWS)} views (no filter, sex=female, years 2023-2024); "
        f"k={after.k}, rounding {after.base}, noise bound {after.noise}"
    )
    print(f"{'table':<20}{'cells before':>13}{'after':>7}{'suppressed before':>19}"
          f"{'after':>8}{'changed by noise':>18}")  # fmt: skip
    groups = {
        "headline": ["headline"],
        "breakdown": ["breakdown"],
        "headline+breakdown": ["headline", "breakdown"],
        "trend": ["trend"],
        "decisions": ["decisions"],
        "time": ["time"],
    }
    default = {"default view: headline+breakdown": ["headline", "breakdown"]}
    for label, families in {**groups, **default}.items():
        first = label.startswith("default")  # all states (regional analyst), no filter
        o = {key: v for key, v in old.items() if key[0] in families}
        n = {key: v for key, v in new.items() if key[0] in families}
        if first:
            o = {key: v for key, v in o.items() if key[1] is None and key[2] == 0}
            n = {key: v for key, v in n.items() if key[1] is None and key[2] == 0}
        both = [key for key in o if key in n and o[key] is not None and n[key] is not None]
        changed = sum(1 for key in both if o[key] != n[key])
        head = f"{label}\n{'':<20}" if first else f"{label:<20}"
        print(
            f"{head}{len(o):>13}{len(n):>7}"
            f"{sum(v is None for v in o.values()) / max(len(o), 1):>19.1%}"
            f"{sum(v is None for v in n.values()) / max(len(n), 1):>8.1%}"
            f"{changed / max(len(both), 1):>18.1%}"
        )
    print("before: zeros shown, groups without persons in a filtered view left out;")
    print("after: every group of the scope listed, zeros suppressed, values perturbed.")
    print("'changed by noise': share of cells published by both whose value differs.")


if __name__ == "__main__":
    main()
