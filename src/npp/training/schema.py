"""JSON Schemas of the training files (``knowledge/training/schema/``), generated from the
models so that an editor can check a trainer's scenario as it is typed. Never edited by hand;
a test fails when they are stale. Regenerate with ``python -m npp.training.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from npp.training.loader import training_dir
from npp.training.model import MisconceptionFile, Scenario

SCHEMAS: dict[str, type[BaseModel]] = {
    "scenario": Scenario,
    "misconceptions": MisconceptionFile,
}


def render() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
        + "\n"
        for name, model in SCHEMAS.items()
    }


def write(root: Path | None = None) -> list[Path]:
    out = (root or training_dir()) / "schema"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write():
        print(p)
