"""``npp review``: a whole file of person–offence records, assessed and ranked (contract §3).

Why a plain function with a progress callback: the CLI draws a Rich progress bar and a
summary table, the benchmark times it bare, tests call it directly; none of that belongs
here. Every input row reaches OUTPUT (rejected rows with empty results and a reason naming
their first problem) and every problem reaches ``OUTPUT.rejects.csv``: no row vanishes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from npp.bulk.assess import Batch, BatchAssessor
from npp.bulk.columns import FACTS, OUTPUT_COLUMNS, RECORD_ID, REJECT_COLUMNS
from npp.bulk.io import Source, atomic_path, first_line, format_of, sink
from npp.errors import NppError, Problem
from npp.law.knowledge import KnowledgeBase

__all__ = ["OUTPUT_TYPES", "Summary", "rejects_path", "review"]

BATCH_ROWS = 250_000
OUTPUT_TYPES: dict[str, pl.DataType] = {
    "outcome": pl.String(),
    "potential_victim": pl.Boolean(),
    "risk_flags": pl.String(),
    "review_priority": pl.Int8(),
    "reason": pl.String(),
}
_PREFIXES = ("person.", "offence.", "trafficking.")


@dataclass
class Summary:
    """What a review did: counts for the summary table, and where the files went."""

    output: Path
    rejects: Path
    rows: int = 0
    rejected_rows: int = 0
    problems: int = 0
    counts: pl.DataFrame = field(default_factory=pl.DataFrame)  # jurisdiction, outcome, n
    warnings: list[str] = field(default_factory=list)

    @property
    def assessed(self) -> int:
        return self.rows - self.rejected_rows


def rejects_path(output: Path) -> Path:
    """``OUTPUT.rejects.csv``, beside OUTPUT (contract §3)."""
    return output.with_name(output.name + ".rejects.csv")


def review(
    kb: KnowledgeBase,
    input_path: Path,
    output_path: Path,
    *,
    jurisdiction: str | None = None,
    date: dt.date | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[int], None] | None = None,
    source: Source | None = None,
) -> Summary:
    """Assess every row of ``input_path`` into ``output_path``; raises :class:`NppError`
    (one problem per line, exit status 2) when the arguments or files cannot be used."""
    src = source or Source.open(input_path)
    out_kind = format_of(output_path, "--out")
    summary = Summary(output_path, rejects_path(output_path))
    summary.warnings = _check_columns(src, output_path, jurisdiction)
    assessor = BatchAssessor(kb, jurisdiction, date)
    flatten = _flatten_for_csv(src.schema) if out_kind == "csv" else []
    schema = {**src.schema, **OUTPUT_TYPES}
    schema.update({e.meta.output_name(): pl.String() for e in flatten})
    counts: list[pl.DataFrame] = []

    try:
        with (
            atomic_path(summary.rejects) as rej_tmp,
            rej_tmp.open("wb") as rej_fh,
            atomic_path(output_path) as out_tmp,
        ):
            rej_fh.write((",".join(REJECT_COLUMNS) + "\n").encode())

            def produce() -> Iterator[pl.DataFrame]:
                for raw in src.batches(batch_rows):
                    batch = _assess(assessor, raw, summary.rows + 1)
                    summary.rows += raw.height
                    if batch.rejects.height:
                        batch.rejects.write_csv(rej_fh, include_header=False)
                        summary.problems += batch.rejects.height
                        summary.rejected_rows += batch.rejects.get_column("row").n_unique()
                    counts.append(batch.counts)
                    if progress is not None:
                        progress(raw.height)
                    yield batch.rows.with_columns(flatten) if flatten else batch.rows

            sink(produce, schema, out_tmp, out_kind)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise NppError(
            [Problem("--out", f"cannot write {str(output_path)!r}: {first_line(exc)}")]
        ) from None
    summary.counts = (
        pl.concat(counts).group_by("jurisdiction", "outcome").agg(pl.col("n").sum())
        if counts
        else pl.DataFrame(schema={"jurisdiction": pl.String, "outcome": pl.String, "n": pl.UInt32})
    )
    return summary


def _assess(assessor: BatchAssessor, raw: pl.DataFrame, first_row: int) -> Batch:
    """One batch; a failure here is a bug, said so rather than blamed on the output file."""
    try:
        return assessor.assess(raw, first_row)
    except pl.exceptions.PolarsError as exc:
        last = first_row + raw.height - 1
        raise NppError(
            [
                Problem(
                    "INPUT",
                    f"rows {first_row}-{last} could not be assessed ({first_line(exc)}): "
                    "this is a bug in NPP Navigator, please report it",
                )
            ]
        ) from exc


def _flatten_for_csv(schema: dict[str, pl.DataType]) -> list[pl.Expr]:
    """CSV cannot hold a list: a list column of a Parquet input is written ``;``-joined, as
    the contract writes lists. Other nested columns (structs) cannot be written."""
    out = []
    for name, dtype in schema.items():
        if isinstance(dtype, pl.List | pl.Array) and not dtype.inner.is_nested():
            out.append(pl.col(name).cast(pl.List(pl.String)).list.join(";").alias(name))
        elif dtype.is_nested():
            raise NppError(
                [Problem("--out", f"column {name!r} holds nested data: write .parquet, not .csv")]
            )
    return out


def _check_columns(src: Source, output: Path, jurisdiction: str | None) -> list[str]:
    """Problems that make the file unusable (raised) and warnings worth a line on stderr."""
    cols = list(src.schema)
    problems = []
    if "offence.category" not in cols:
        problems.append(Problem("INPUT", "has no column 'offence.category' (required)"))
    if "jurisdiction" not in cols and jurisdiction is None:
        problems.append(
            Problem("INPUT", "has no column 'jurisdiction': add one or give --jurisdiction")
        )
    for c in cols:
        # Polars renames a repeated CSV header; which of the two holds the facts is unknowable.
        m = re.fullmatch(r"(.+)_duplicated_\d+", c)
        if m and m.group(1) in cols:
            problems.append(Problem("INPUT", f"has the column {m.group(1)!r} more than once"))
    if output.resolve() == src.path.resolve():
        problems.append(Problem("--out", "must not be the input file"))
    if not output.parent.is_dir():
        problems.append(Problem("--out", f"directory {str(output.parent)!r} does not exist"))
    if problems:
        raise NppError(problems)
    warnings = []
    known = [*FACTS, RECORD_ID]
    for c in cols:
        if c.startswith(_PREFIXES) and c not in FACTS:
            close = difflib.get_close_matches(c, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            warnings.append(f"{c}: not a case-facts column; carried through, not read{hint}")
        if c in OUTPUT_COLUMNS:
            warnings.append(f"{c}: the input's column is replaced by this review's result")
    return warnings
