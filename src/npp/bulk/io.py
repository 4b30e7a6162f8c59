"""Files in and out of bulk review: CSV or Parquet by extension, streamed in batches.

Why streaming: ten years of convictions can be tens of millions of rows. The input is read
in batches (``collect_batches``), each batch is assessed, and the results are handed to a
Polars sink through a Python source (``register_io_source``), so memory stays bounded by a
few batches whatever the file size, and Polars writes CSV or Parquet in parallel.

Why the temporary file: a run that fails half-way (a malformed line near the end) must not
leave a half-written OUTPUT that looks complete; the result is renamed into place only once
it is whole.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from polars.io.plugins import register_io_source

from npp.errors import NppError, Problem

__all__ = ["FORMATS", "Source", "atomic_path", "first_line", "format_of", "sink"]

FORMATS = {".csv": "csv", ".parquet": "parquet"}


def format_of(path: Path, what: str) -> str:
    """``csv`` or ``parquet`` from the file's extension, or a problem naming ``what``."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise NppError(
            [Problem(what, f"{str(path)!r} must end in .csv or .parquet (got {path.suffix!r})")]
        )
    return kind


@dataclass
class Source:
    """An input file, opened lazily: its columns are known before any row is read."""

    path: Path
    kind: str
    frame: pl.LazyFrame
    schema: dict[str, pl.DataType]

    @classmethod
    def open(cls, path: Path) -> Source:
        kind = format_of(path, "INPUT")
        if not path.is_file():
            raise NppError([Problem("INPUT", f"{str(path)!r} is not a readable file")])
        try:
            frame = (
                pl.scan_csv(path, infer_schema=False, encoding="utf8")
                if kind == "csv"
                else pl.scan_parquet(path)
            )
            schema = dict(frame.collect_schema())
        except (pl.exceptions.PolarsError, OSError) as exc:
            problem = Problem("INPUT", f"cannot read {str(path)!r}: {first_line(exc)}")
            raise NppError([problem]) from None
        return cls(path, kind, frame, schema)

    def count(self) -> int | None:
        """Number of rows (cheap: Parquet metadata, or Polars' fast line count for CSV)."""
        try:
            return int(self.frame.select(pl.len()).collect().item())
        except (pl.exceptions.PolarsError, OSError):
            return None

    def batches(self, size: int) -> Iterator[pl.DataFrame]:
        try:
            yield from self.frame.collect_batches(chunk_size=size)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise NppError(
                [Problem("INPUT", f"cannot read {str(self.path)!r}: {first_line(exc)}")]
            ) from None


def sink(
    produce: Callable[[], Iterator[pl.DataFrame]],
    schema: dict[str, pl.DataType],
    path: Path,
    kind: str,
) -> None:
    """Stream the frames ``produce()`` yields into one CSV or Parquet file at ``path``."""

    def source(
        with_columns: list[str] | None, predicate: Any, n_rows: int | None, batch_size: int | None
    ) -> Iterator[pl.DataFrame]:
        for frame in produce():
            yield frame.select(with_columns) if with_columns else frame

    lazy = register_io_source(source, schema=schema)
    if kind == "csv":
        lazy.sink_csv(path, check_extension=False)
    else:
        lazy.sink_parquet(path)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it only if the block succeeds."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def first_line(exc: BaseException) -> str:
    """The first line of an error's message: enough for a one-line problem."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
