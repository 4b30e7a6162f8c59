"""Time the monitoring dashboard over 1,000,000 synthetic cases in PostgreSQL.

    .venv/bin/python benchmarks/dashboard.py [--cases 1000000] [--keep]

Creates a separate database (``npp_bench`` on postgresql://postgres@127.0.0.1:5432, or
``$BENCH_ADMIN_URL``), migrates it, loads synthetic rows into the statistics read model with
COPY (the dashboard reads only those tables; case tables hold encrypted facts and are not
read), then times each dashboard query and the whole page as an analyst sees it (Django test
client: server time, including disclosure control and SVG rendering). Prints figures; not a
test. ``--keep`` leaves the database for inspection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "npp_bench"
STATES = ["TH", "MY", "ID", "PH", "VN", "KH", "MM", "LA", "SG", "BN"]
STATE_W = [25, 15, 15, 12, 8, 7, 7, 5, 3, 3]
STAGES = [
    "identification",
    "arrest_and_charge",
    "prosecution",
    "trial",
    "sentencing",
    "post_conviction",
]
STAGE_W = [30, 25, 18, 12, 10, 5]
SEXES, SEX_W = ["female", "male", "other", "unknown"], [60, 35, 1, 4]
BANDS = ["0-11", "12-15", "16-17", "18-24", "25-34", "35-49", "50+", "unknown"]
BAND_W = [2, 6, 9, 30, 28, 15, 4, 6]
SECTORS = [
    "fishing",
    "online_scam",
    "drug_trade",
    "sex_industry",
    "begging",
    "forced_marriage",
    "forced_criminality",
    "labour",
    "unknown",
]
SECTOR_W = [10, 15, 8, 30, 3, 2, 4, 20, 8]
OFFENCES = {
    "immigration.illegal_entry": "status",
    "immigration.unlawful_stay": "status",
    "document.fraudulent_travel_or_identity": "status",
    "prostitution": "status",
    "labour.work_without_permit": "status",
    "fishing.iuu": "consequential",
    "drugs.trafficking": "consequential",
    "drugs.possession": "consequential",
    "fraud.online_scam": "consequential",
    "property.theft": "consequential",
    "violence.assault": "liberation",
    "trafficking_in_persons": "trafficking",
}
OFF_W = [20, 15, 10, 18, 8, 5, 5, 4, 8, 3, 2, 2]
OUTCOMES = [
    "statutory_bar",
    "conditional",
    "outside_statutory_scope",
    "no_statutory_provision",
    "ministerial_permission_required",
    "not_indicated",
]
PROVINCES = ["Capital", "North", "South", "East", "West", "Border"]


def _setup(n: int) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    base = ADMIN_URL.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{DB}"
    os.environ.setdefault("NPP_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmn")
    os.environ.setdefault("NPP_ENCRYPTION_KEY", "q6Z0wB2uX8hYbQm3kM8v1xJcH0yqTn7pV9Rk1sLd2aE=")
    os.environ.setdefault("NPP_HTTPS", "0")
    os.environ.setdefault("NPP_DATA_DIR", "/tmp/npp-bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "npp.web.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)


DIMS = [
    "jurisdiction",
    "province",
    "month",
    "year",
    "stage",
    "sex",
    "age_band",
    "nationality",
    "sector",
    "typology",
    "potential_victim",
]


def load(n: int, seed: int = 5) -> dict[str, int]:
    rnd = random.Random(seed)
    ch = rnd.choices
    juris = ch(STATES, STATE_W, k=n)
    stages = ch(STAGES, STAGE_W, k=n)
    sexes = ch(SEXES, SEX_W, k=n)
    bands = ch(BANDS, BAND_W, k=n)
    sectors = ch(SECTORS, SECTOR_W, k=n)
    off1 = ch(list(OFFENCES), OFF_W, k=n)
    start = dt.date(2019, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    case_rows, off_rows, dec_rows = [], [], []
    for i in range(n):
        cc = juris[i]
        opened = dt.date.fromordinal(start + rnd.randrange(span))
        month = opened.replace(day=1)
        nat = cc if rnd.random() < 0.45 else rnd.choice([*STATES, "CN", "IN", "unknown"])
        offs = [off1[i]] + ([rnd.choice(list(OFFENCES))] if rnd.random() < 0.3 else [])
        offs = list(dict.fromkeys(offs))
        typ = next(
            (
                t
                for t in ("trafficking", "liberation", "consequential", "status")
                if t in {OFFENCES[o] for o in offs}
            ),
            "unknown",
        )
        potential = rnd.random() < 0.6
        identified = potential and rnd.random() < 0.35
        days = rnd.choice([0, 1, 3, 7, 14, 30, 60, 120, 400]) if identified else None
        charged = rnd.random() < 0.35
        protected = rnd.random() < (0.35 if potential else 0.1)
        punished = potential and charged and rnd.random() < 0.7
        after_charge = identified and charged and rnd.random() < 0.3
        refs = rnd.choice([0, 0, 0, 1, 1, 2]) if potential else 0
        done = min(refs, rnd.choice([0, 1]))
        opened_refs = refs - done
        due = opened + dt.timedelta(days=rnd.randrange(5, 60)) if opened_refs else None
        dims = (
            cc,
            rnd.choice(PROVINCES),
            month,
            opened.year,
            stages[i],
            sexes[i],
            bands[i],
            nat,
            sectors[i],
            typ,
            potential,
        )
        case_rows.append(
            (
                *dims,
                i + 1,
                opened,
                ";".join(sorted(offs)),
                opened if potential else None,
                identified,
                opened + dt.timedelta(days=days) if days is not None else None,
                charged,
                charged and rnd.random() < 0.6,
                charged and rnd.random() < 0.3,
                protected,
                punished,
                after_charge,
                days,
                refs,
                done,
                opened_refs,
                due,
                rnd.random() < 0.2,
            )
        )
        for pos, o in enumerate(offs):
            off_rows.append(
                (
                    *dims[:9],
                    OFFENCES[o],
                    potential,
                    i + 1,
                    pos,
                    o,
                    rnd.choice(OUTCOMES),
                    charged,
                    protected,
                    punished,
                )
            )
        decided = []
        if charged:
            decided.append(("charged", "arrest_and_charge"))
        if protected:
            decided.append(
                rnd.choice(
                    [
                        ("not_charged", "arrest_and_charge"),
                        ("charge_withdrawn", "prosecution"),
                        ("acquitted", "trial"),
                        ("record_cleared", "post_conviction"),
                    ]
                )
            )
        if identified:
            decided.append(("identified_as_victim", "identification"))
        if punished and rnd.random() < 0.4:
            decided.append(("convicted", "trial"))
        for d, st in decided:
            dec_rows.append(
                (*dims, i + 1, d, st, opened + dt.timedelta(days=rnd.randrange(0, 90)), potential)
            )
    case_cols = [
        *DIMS,
        "case_id",
        "opened_on",
        "offences",
        "flagged_on",
        "identified",
        "identified_on",
        "charged",
        "prosecuted",
        "convicted",
        "protected",
        "punished",
        "identified_after_charge",
        "days_to_identification",
        "referrals",
        "referrals_completed",
        "referrals_open",
        "next_due",
        "closed",
    ]
    _copy("monitoring_casefact", case_cols, case_rows)
    _copy(
        "monitoring_offencefact",
        [*DIMS, "case_id", "position", "category", "outcome", "charged", "protected", "punished"],
        off_rows,
    )
    _copy(
        "monitoring_decisionfact",
        [*DIMS, "case_id", "decision", "decision_stage", "occurred_on", "after_flag"],
        dec_rows,
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE monitoring_casefact")
        cur.execute("VACUUM ANALYZE monitoring_offencefact")
        cur.execute("VACUUM ANALYZE monitoring_decisionfact")
    return {"cases": len(case_rows), "offences": len(off_rows), "decisions": len(dec_rows)}


def timed(fn: Callable[[], Any], runs: int = 5) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    _setup(args.cases)
    counts = load(args.cases)
    print(f"loaded {counts} in {time.perf_counter() - t0:.1f} s (COPY, then VACUUM ANALYZE)")

    from django.db import connection
    from django.test import Client

    from npp.web.accounts.actions import do_create_organisation, do_create_user
    from npp.web.monitoring import queries

    with connection.cursor() as cur:
        cur.execute("SHOW max_parallel_workers_per_gather")
        print(
            f"PostgreSQL {connection.pg_version}, "
            f"max_parallel_workers_per_gather={cur.fetchone()[0]}"
        )
    org = do_create_organisation(
        None, code="bench-region", name="Bench", kind="regional_body", jurisdiction="ID"
    )
    user = do_create_user(
        None,
        username="bench-analyst",
        password="a-long-bench-password",
        role="analyst",
        organisation=org,
        totp_secret=None,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    s = client.session
    s["npp_2fa"] = True
    s.save()

    pol = queries.policy_from()
    f_all = queries.Filters()
    f_th = queries.Filters({"jurisdiction": "TH", "year_from": 2023})
    print(f"\n{'what':58} {'median':>9} {'best':>9}")
    rows: list[tuple[str, Callable[[], Any]]] = [
        ("query: headline figures + time buckets + median", lambda: queries.kpis(f_all, pol)),
        ("query: trend by year", lambda: queries.trend(f_all, pol, "year")),
        ("query: trend by month", lambda: queries.trend(f_all, pol, "month")),
        ("query: breakdown by state", lambda: queries.breakdown(f_all, pol, "jurisdiction")),
        (
            "query: breakdown by offence (offence table)",
            lambda: queries.breakdown(f_all, pol, "offence"),
        ),
        ("query: breakdown by nationality", lambda: queries.breakdown(f_all, pol, "nationality")),
        ("query: decisions by stage", lambda: queries.decisions(f_all, pol)),
        (
            "PAGE /monitoring/ (all states, by state, by year)",
            lambda: _ok(client.get("/monitoring/")),
        ),
        (
            "PAGE /monitoring/?by=offence&period=month",
            lambda: _ok(client.get("/monitoring/?by=offence&period=month")),
        ),
        (
            "PAGE /monitoring/?jurisdiction=TH&year_from=2023&by=sex",
            lambda: _ok(client.get("/monitoring/?jurisdiction=TH&year_from=2023&by=sex")),
        ),
        (
            "PAGE /monitoring/?offence=fraud.online_scam&by=nationality",
            lambda: _ok(client.get("/monitoring/?offence=fraud.online_scam&by=nationality")),
        ),
        (
            "CSV  /monitoring/download/breakdown.csv?by=age_band",
            lambda: _ok(client.get("/monitoring/download/breakdown.csv?by=age_band")),
        ),
        (
            "query: dashboard() TH since 2023",
            lambda: queries.dashboard(f_th, pol, by="sex", period="month"),
        ),
    ]
    results = {}
    for name, fn in rows:
        med, best = timed(fn, args.runs)
        results[name] = med
        print(f"{name:58} {med * 1000:8.0f}ms {best * 1000:8.0f}ms")
    main_page = results["PAGE /monitoring/ (all states, by state, by year)"]
    print(
        f"\nmain page server time (median of {args.runs}): {main_page * 1000:.0f} ms; "
        f"target <= 1000 ms: {'met' if main_page <= 1 else 'NOT met'}"
    )
    connection.close()
    if not args.keep:
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB}")


def _ok(r: Any) -> Any:
    if r.status_code != 200:
        raise SystemExit(f"unexpected status {r.status_code}")
    return r


if __name__ == "__main__":
    main()
