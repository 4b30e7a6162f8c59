"""Assess one batch of person–offence rows with the core rules, vectorised.

Why this is short: everything legal lives elsewhere. :mod:`npp.bulk.validate` reads the
facts exactly as ``npp assess`` would; :class:`~npp.bulk.lawtable.LawTable` holds the
core's answers about the law; :func:`npp.assessment.rules.derive` — the same function the
single-case engine calls — decides, here over Polars expressions (:class:`PolarsOps`).
This module wires them together and turns problems into reject rows.

Why in stages: ``derive`` returns one expression per result, and they share most of their
sub-expressions. The decisions are computed in one lazy query (Polars then evaluates each
shared sub-expression once) and materialised; the presentation (flags joined, priority,
reason) is then computed from those columns, not from the expressions again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from npp.assessment.rules import OUTCOMES, RISK_FLAG_ORDER, derive, minority
from npp.bulk.columns import FACT_COLUMNS, OUTPUT_COLUMNS
from npp.bulk.lawtable import LAW_TYPES, LawTable
from npp.bulk.ops import PolarsOps
from npp.bulk.priority import priority, reason
from npp.bulk.validate import PROBLEM, Validator
from npp.law.knowledge import KnowledgeBase

__all__ = ["Batch", "BatchAssessor", "empty_rejects"]

_OPS = PolarsOps(OUTCOMES)
_OUTCOME_TEXT = pl.Series("outcome", OUTCOMES, dtype=pl.String)
_PROBLEMS = [PROBLEM + c.name for c in FACT_COLUMNS]
#: Every subset of the risk flags, ``;``-joined in the vocabulary's order, by bit mask.
_FLAG_SETS = pl.Series(
    [
        ";".join(f for i, f in enumerate(RISK_FLAG_ORDER) if mask >> i & 1)
        for mask in range(1 << len(RISK_FLAG_ORDER))
    ],
    dtype=pl.String,
)


@dataclass(frozen=True)
class Batch:
    """One assessed batch: the rows with results, their rejects, counts for the summary."""

    rows: pl.DataFrame
    rejects: pl.DataFrame
    counts: pl.DataFrame  # jurisdiction, outcome, n (outcome null for rejected rows)


def _facts_for_rules() -> dict[str, pl.Expr]:
    """The values ``derive`` reads, named as the single-case engine names them."""
    col = pl.col
    return {
        "age": col("age"),
        "age_disputed": col("person.age_disputed"),
        "age_now": col("age_now"),
        "sex": col("person.sex"),
        "years_low": col("years_low"),
        "years_high": col("years_high"),
        "within_provision": col("offence.within_provision"),
        "status": col("person.victim_status"),
        "nationality": col("person.nationality"),
        "identified_state": col("identified_state"),
        "jurisdiction": col("j"),
        "acts_n": col("acts_n"),
        "means_n": col("means_n"),
        "purposes_n": col("purposes_n"),
        # As npp.assessment.engine.offence_columns: the offence's answer, else the case's.
        "compelled": pl.coalesce(col("offence.compelled"), col("trafficking.compelled")),
        "direct_consequence": pl.coalesce(
            col("offence.direct_consequence"), col("trafficking.direct_consequence")
        ),
        "repeated": col("offence.repeated"),
        "under_control": col("trafficking.under_control_at_offence"),
        "indicators_positive": col("ind_positive"),
        "indicators_any": col("ind_n") > 0,
        **{k: col(k) for k in LAW_TYPES},
    }


class BatchAssessor:
    """Holds what a whole review shares: the validator (with its memo) and the law table."""

    def __init__(
        self,
        kb: KnowledgeBase,
        default_jurisdiction: str | None = None,
        default_date: dt.date | None = None,
    ) -> None:
        now = default_date or dt.date.today()
        self.validator = Validator(kb, default_jurisdiction, now)
        self.law = LawTable(kb, now)
        d = derive(_OPS, _facts_for_rules())
        self._decisions = [
            d.outcome.alias("outcome"),
            _OPS.is_true(d.potential_victim).alias("potential_victim"),
            *(_OPS.is_true(v).alias("flag." + k) for k, v in d.flags.items()),
        ]

    def assess(self, raw: pl.DataFrame, first_row: int = 1) -> Batch:
        """Results for every row of ``raw``; ``first_row`` numbers its first row in rejects."""
        facts = self.validator.facts(raw)
        problems = [c for c in facts.columns if c.startswith(PROBLEM)]
        position = self.law.position(pl.col("j_idx"), pl.col("day"), pl.col("c_idx"))
        _, child = minority(_OPS, pl.col("age"), pl.col("person.age_disputed"))
        decided = (
            facts.lazy()
            .with_columns(position.alias("#law"), child.alias("child"))
            .with_columns(*self.law.columns(pl.col("#law")))
            .with_columns(
                pl.when(pl.col("child"))
                .then(pl.col("ind_pos_child"))
                .otherwise(pl.col("ind_pos_adult"))
                .alias("ind_positive")
            )
            .select(*self._decisions, "child", "j")
            .collect()
        )
        rejects = self._rejects(raw, facts.select(problems), first_row)
        presentation = self._presentation(
            decided.schema["outcome"], facts.select(problems) if problems else None
        )
        out = decided.select(presentation)
        rows = raw.with_columns(out.get_column(c) for c in OUTPUT_COLUMNS)
        counts = out.group_by("jurisdiction", "outcome").len("n")
        return Batch(rows, rejects, counts)

    def _presentation(
        self, outcome_type: pl.DataType, problems: pl.DataFrame | None
    ) -> list[pl.Expr]:
        """The output columns from the materialised decisions (and problems, if any)."""
        col = pl.col
        if outcome_type == pl.Enum(OUTCOMES):
            code = col("outcome").to_physical()
            outcome = pl.lit(_OUTCOME_TEXT).gather(code)  # cheaper than a cast to text
        else:  # a future outcome the vocabulary does not list yet: the rules chose text
            code = col("outcome").replace_strict(OUTCOMES, range(len(OUTCOMES)), default=None)
            outcome = col("outcome")
        flags = {k: col("flag." + k) for k in RISK_FLAG_ORDER}
        mask = pl.sum_horizontal(
            [flags[f].cast(pl.UInt8) * (1 << i) for i, f in enumerate(RISK_FLAG_ORDER)]
        )
        tier = priority(col("outcome"), col("potential_victim"), flags)
        results = {
            "outcome": outcome,
            "potential_victim": col("potential_victim"),
            "risk_flags": pl.lit(_FLAG_SETS).gather(mask),
            "review_priority": tier,
            "reason": reason(tier, code, col("child")),
        }
        exprs = [col("j").alias("jurisdiction")]
        if problems is None:
            return exprs + [e.alias(k) for k, e in results.items()]
        # Some rows have problems: their results are empty; their reason names the first.
        valid = pl.lit(problems.select(pl.all_horizontal(pl.all().is_null())).to_series())
        first = pl.lit(
            problems.select(
                pl.coalesce(
                    [
                        pl.concat_str(pl.lit(p[len(PROBLEM) :] + ": "), col(p))
                        for p in problems.columns
                    ]
                )
            ).to_series()
        )
        for k, e in results.items():
            e = pl.when(valid).then(e)
            if k == "reason":
                e = e.otherwise(pl.concat_str(pl.lit("rejected: "), first))
            exprs.append(e.alias(k))
        return exprs

    def _rejects(self, raw: pl.DataFrame, problems: pl.DataFrame, first_row: int) -> pl.DataFrame:
        """One row per problem: ``row`` (1 = the first data row), ``field``, ``problem``,
        ``value`` (the cell as written), in row order, then the order of the columns."""
        parts = []
        rows = pl.int_range(first_row, first_row + raw.height, eager=True, dtype=pl.Int64)
        for p in _PROBLEMS:
            if p not in problems.columns:
                continue
            name = p[len(PROBLEM) :]
            value = (
                raw.get_column(name).cast(pl.String)
                if name in raw.columns
                else pl.repeat(None, raw.height, dtype=pl.String, eager=True)
            )
            frame = pl.DataFrame({"row": rows, "problem": problems.get_column(p), "value": value})
            parts.append(
                frame.filter(pl.col("problem").is_not_null()).select(
                    "row", pl.lit(name).alias("field"), "problem", "value"
                )
            )
        if not parts:
            return empty_rejects()
        return pl.concat(parts).sort("row", maintain_order=True)


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"row": pl.Int64, "field": pl.String, "problem": pl.String, "value": pl.String}
    )
