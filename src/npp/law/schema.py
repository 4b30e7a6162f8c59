"""JSON Schemas of the knowledge files, generated from the models (``knowledge/schema/``).

Editors that understand JSON Schema (VS Code's YAML extension, for one) then complete and
check a researcher's file as they type. The files are generated, never edited; a test fails
when they are stale. Regenerate with ``python -m npp.law.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from npp.law.loader import default_knowledge_dir
from npp.law.model import (
    BilateralFile,
    IndicatorSet,
    Instrument,
    OffenceTaxonomy,
    Profile,
    Recommendations,
    SourceRegister,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "instrument": Instrument,
    "profile": Profile,
    "bilateral": BilateralFile,
    "offences": OffenceTaxonomy,
    "recommendations": Recommendations,
    "indicator-set": IndicatorSet,
    "sources": SourceRegister,
}


def render(schemas: dict[str, type[BaseModel]] | None = None) -> dict[str, str]:
    """Each model's JSON Schema, by file name (other data folders pass their own models)."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
        + "\n"
        for name, model in (SCHEMAS if schemas is None else schemas).items()
    }


def write(
    root: Path | None = None, schemas: dict[str, type[BaseModel]] | None = None
) -> list[Path]:
    out = (root or default_knowledge_dir()) / "schema"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(schemas).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write():
        print(p)
