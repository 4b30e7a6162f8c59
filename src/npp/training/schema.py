"""JSON Schemas of the training files (``knowledge/training/schema/``), generated from the
models so that an editor can check a trainer's scenario as it is typed. Never edited by hand;
a test fails when they are stale. Regenerate with ``python -m npp.training.schema``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from npp.law import schema as law_schema
from npp.training.loader import training_dir
from npp.training.model import MisconceptionFile, Scenario

SCHEMAS: dict[str, type[BaseModel]] = {
    "scenario": Scenario,
    "misconceptions": MisconceptionFile,
}


def render() -> dict[str, str]:
    return law_schema.render(SCHEMAS)


def write(root: Path | None = None) -> list[Path]:
    return law_schema.write(root or training_dir(), SCHEMAS)


if __name__ == "__main__":
    for p in write():
        print(p)
