"""Synthetic person–offence records for demonstrations, tests and benchmarks. Nothing real.

Why pools: drawing twenty columns of a million rows one Python call at a time would take
longer than reviewing them. Instead, a few thousand *profiles* are drawn in Python, where the
correlations that make the data plausible are easy to write (who is charged with
prostitution, who is found on fishing boats, which nationalities are prosecuted where, that
a formally identified victim's record names acts, means and purposes), and each batch of
rows is sampled from those pools by Polars. Every draw is seeded: the same arguments give
the same file.

The shares are plausible for the region, not statistics of it: they are not drawn from any
data set and must never be cited as findings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import polars as pl

from npp.bulk.columns import FACT_COLUMNS, RECORD_ID
from npp.bulk.io import atomic_path, format_of, sink
from npp.law.knowledge import KnowledgeBase

__all__ = ["BAD_CELLS", "COLUMNS", "batches", "write_demo"]

T = TypeVar("T")
BATCH = 200_000
POOL = 20_000
#: The contract's columns (§3), in its order; the per-offence extensions are left out.
COLUMNS = [RECORD_ID, *(c.name for c in FACT_COLUMNS[:18])]

STATES = {"TH": 18, "MY": 16, "ID": 12, "PH": 10, "VN": 9, "KH": 9, "MM": 9, "LA": 6,
          "SG": 6, "BN": 5}  # fmt: skip
NATIONALITIES = {
    "TH": {"TH": 35, "MM": 30, "LA": 15, "KH": 15, "VN": 3, "CN": 2},
    "MY": {"MY": 20, "ID": 30, "MM": 12, "BD": 12, "PH": 8, "VN": 6, "NP": 6, "TH": 3, "CN": 3},
    "ID": {"ID": 92, "MY": 3, "PH": 3, "CN": 2},
    "PH": {"PH": 95, "CN": 3, "VN": 2},
    "VN": {"VN": 92, "KH": 3, "LA": 3, "CN": 2},
    "KH": {"KH": 88, "VN": 7, "TH": 3, "CN": 2},
    "MM": {"MM": 92, "CN": 4, "TH": 4},
    "LA": {"LA": 90, "VN": 5, "TH": 3, "CN": 2},
    "SG": {"SG": 15, "MY": 20, "ID": 15, "PH": 15, "CN": 15, "BD": 10, "IN": 10},
    "BN": {"BN": 15, "ID": 30, "PH": 25, "MY": 10, "BD": 10, "TH": 10},
}
# offence: (weight, purposes it suggests, share female, description)
OFFENCES: dict[str, tuple[float, tuple[str, ...], float, str]] = {
    "immigration.illegal_entry": (16, ("forced_labour", "sexual_exploitation"), 0.45,
                                  "crossed the border without documents"),
    "immigration.unlawful_stay": (9, ("forced_labour", "servitude"), 0.5, "overstayed a visa"),
    "immigration.illegal_exit": (3, ("forced_labour",), 0.5, "left without exit clearance"),
    "document.fraudulent_travel_or_identity": (7, ("forced_labour", "sexual_exploitation"), 0.5,
                                               "carried a passport in another name"),
    "document.false_statement": (2, ("forced_labour",), 0.5, "gave a false age to officials"),
    "prostitution": (12, ("sexual_exploitation",), 0.9, "found in a venue during a raid"),
    "labour.work_without_permit": (9, ("forced_labour", "servitude"), 0.4,
                                   "worked on a plantation without a permit"),
    "fishing.iuu": (4, ("forced_labour",), 0.03, "crew of an unlicensed fishing vessel"),
    "drugs.possession": (5, ("forced_criminality",), 0.4, "small quantity found on the person"),
    "drugs.trafficking": (3, ("forced_criminality",), 0.45, "sold pills in a karaoke bar"),
    "drugs.transport": (4, ("forced_criminality",), 0.45, "carried a package across a border"),
    "property.theft": (3, ("forced_criminality",), 0.4, "theft in a market"),
    "fraud.online_scam": (10, ("forced_criminality", "forced_labour"), 0.45,
                          "worked in a scam compound"),
    "begging": (4, ("forced_begging",), 0.55, "begging at a transport hub"),
    "violence.assault": (2, ("forced_labour", "sexual_exploitation"), 0.4,
                         "struck a supervisor while escaping"),
    "violence.homicide": (0.5, ("sexual_exploitation", "forced_marriage"), 0.6,
                          "death of the person who held them"),
    "trafficking_in_persons": (3, ("sexual_exploitation", "forced_labour"), 0.6,
                               "recruited others for the same employer"),
    "terrorism": (0.2, ("forced_criminality",), 0.3, "held with an armed group"),
    "defamation": (0.3, ("forced_labour",), 0.5, "posted about an employer online"),
    "other": (3, ("forced_labour",), 0.5, ""),
}  # fmt: skip
CASE_COLUMNS = [
    "offence.category",
    "offence.description",
    "person.sex",
    "person.victim_status",
    "trafficking.acts",
    "trafficking.means",
    "trafficking.purposes",
    "trafficking.compelled",
    "trafficking.direct_consequence",
    "trafficking.under_control_at_offence",
    "indicators",
]
STAGES = {"post_conviction": 45, "sentencing": 15, "trial": 10, "prosecution": 15,
          "arrest_and_charge": 10, "identification": 5}  # fmt: skip
STATUS = {"none": 65, "potential": 25, "formal": 10}
ACTS = ("recruitment", "transportation", "transfer", "harbouring", "receipt")
MEANS = ("deception", "debt_bondage", "coercion", "threat", "abuse_of_vulnerability", "force",
         "fraud", "psychological_manipulation")  # fmt: skip
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
#: (column, value) pairs used to spoil ``--bad-rows`` of the rows, one cell per bad row.
BAD_CELLS: tuple[tuple[str, str | None], ...] = (
    ("person.age", "-4"),
    ("person.age", "about 30"),
    ("offence.category", "jaywalking"),
    ("offence.category", None),
    ("offence_date", "31/12/2019"),
    ("person.age_disputed", "yes"),
    ("person.nationality", "Lao"),
    ("jurisdiction", "XX"),
    ("stage", "appeal"),
    ("trafficking.means", "magic"),
    ("indicators", "no.such.indicator"),
)


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _some(rng: random.Random, items: Sequence[T], k_max: int) -> list[T]:
    return rng.sample(list(items), rng.randint(1, min(k_max, len(items))))


def _maybe_bool(rng: random.Random, p_known: float, p_true: float) -> str | None:
    if rng.random() >= p_known:
        return None
    return "true" if rng.random() < p_true else "false"


def _pools(kb: KnowledgeBase, seed: int) -> dict[str, pl.DataFrame]:
    rng = random.Random(seed)
    indicators = sorted(kb.indicators)
    place = []
    for _ in range(POOL // 4):
        cc = _pick(rng, STATES)
        nat = _pick(rng, NATIONALITIES[cc])
        r = rng.random()
        ident = cc if r < 0.10 else (nat if r < 0.13 else ("NGO shelter" if r < 0.16 else None))
        place.append((cc, nat if rng.random() > 0.03 else None, ident))
    person = []
    for _ in range(POOL // 4):
        r = rng.random()
        age = (
            None
            if r < 0.08
            else (rng.randint(13, 17) if r < 0.23 else int(rng.triangular(18, 60, 24)))
        )
        disputed = "true" if (age is not None and age < 25 and rng.random() < 0.3) else None
        if disputed is None and rng.random() < 0.2:
            disputed = "false"
        person.append((None if age is None else str(age), disputed))
    cases = []
    weights = {k: v[0] for k, v in OFFENCES.items()}
    for _ in range(POOL):
        cat = _pick(rng, weights)
        _, purposes, female, desc = OFFENCES[cat]
        r = rng.random()
        sex: str | None = "female" if r < female else ("male" if r < 0.98 else "other")
        if rng.random() < 0.02:
            sex = None
        status = _pick(rng, STATUS)
        known = status != "none" or rng.random() < 0.3
        acts = means = purp = None
        if known:
            acts = ";".join(_some(rng, ACTS, 2)) if rng.random() < 0.85 else "none"
            means = ";".join(_some(rng, MEANS, 2)) if rng.random() < 0.7 else "none"
            purp = ";".join(_some(rng, purposes, 2)) if rng.random() < 0.85 else "none"
            if status == "none" and rng.random() < 0.7:
                acts = means = purp = "none"
        flagged = status != "none"
        codes = _some(rng, indicators, 5) if flagged and rng.random() < 0.7 else []
        if not flagged and rng.random() < 0.1:
            codes = _some(rng, indicators, 1)
        cases.append(
            (
                cat,
                desc if desc and rng.random() < 0.3 else None,
                sex,
                status if rng.random() > 0.05 else None,
                acts,
                means,
                purp,
                _maybe_bool(rng, 0.5 if flagged else 0.1, 0.8),
                _maybe_bool(rng, 0.5 if flagged else 0.1, 0.8),
                _maybe_bool(rng, 0.4 if flagged else 0.05, 0.7),
                ";".join(codes) or None,
            )
        )
    stage = [_pick(rng, STAGES) for _ in range(POOL // 4)]
    days = (LAST_DAY - FIRST_DAY).days + 1
    return {
        "place": pl.DataFrame(
            place,
            schema=["jurisdiction", "person.nationality", "person.identified_by"],
            orient="row",
        ),
        "person": pl.DataFrame(person, schema=["person.age", "person.age_disputed"], orient="row"),
        "case": pl.DataFrame(
            cases,
            schema=CASE_COLUMNS,
            orient="row",
        ),
        "stage": pl.DataFrame({"stage": stage}),
        "day": pl.DataFrame(
            {"offence_date": [(FIRST_DAY + dt.timedelta(d)).isoformat() for d in range(days)]}
        ),
    }


def batches(
    kb: KnowledgeBase, rows: int, *, bad_rows: float = 0.0, seed: int = 0, batch: int = BATCH
) -> Iterator[pl.DataFrame]:
    """``rows`` synthetic records in batches, all text columns in the contract's order."""
    pools = _pools(kb, seed)
    done = 0
    while done < rows:
        n = min(batch, rows - done)
        s = seed * 1_000_003 + done
        parts = [
            p.sample(n, with_replacement=True, seed=s + i) for i, p in enumerate(pools.values())
        ]
        ids = pl.int_range(done + 1, done + n + 1, eager=True).cast(pl.String).str.zfill(8)
        frame = pl.concat([pl.DataFrame({RECORD_ID: "R" + ids}), *parts], how="horizontal")
        if bad_rows > 0:
            frame = _spoil(frame, bad_rows, s)
        yield frame.select(COLUMNS)
        done += n


def _spoil(frame: pl.DataFrame, share: float, seed: int) -> pl.DataFrame:
    """Spoil one cell in about ``share`` of the rows, each with one of :data:`BAD_CELLS`."""
    n = frame.height
    scale = 1_000_000
    draw = pl.int_range(0, scale, eager=True).sample(n, with_replacement=True, seed=seed)
    kind = pl.int_range(0, len(BAD_CELLS), eager=True).sample(
        n, with_replacement=True, seed=seed + 7
    )
    frame = frame.with_columns(draw.alias("__draw"), kind.alias("__kind"))
    bad = pl.col("__draw") < int(share * scale)
    for i, (col, value) in enumerate(BAD_CELLS):
        frame = frame.with_columns(
            pl.when(bad & (pl.col("__kind") == i))
            .then(pl.lit(value, dtype=pl.String))
            .otherwise(pl.col(col))
            .alias(col)
        )
    return frame.drop("__draw", "__kind")


def write_demo(
    kb: KnowledgeBase, rows: int, out: Path, *, bad_rows: float = 0.0, seed: int = 0
) -> None:
    """Stream ``rows`` synthetic records to ``out`` (CSV or Parquet by extension)."""
    kind = format_of(out, "--out")
    schema: dict[str, pl.DataType] = dict.fromkeys(COLUMNS, pl.String())
    with atomic_path(out) as tmp:
        sink(lambda: batches(kb, rows, bad_rows=bad_rows, seed=seed), schema, tmp, kind)
