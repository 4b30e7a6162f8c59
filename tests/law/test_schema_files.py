"""The generated JSON Schemas in knowledge/schema must match the models (docs that cannot drift)."""

from __future__ import annotations

from npp.law.loader import default_knowledge_dir
from npp.law.schema import render


def test_schema_files_are_current() -> None:
    folder = default_knowledge_dir() / "schema"
    for name, text in render().items():
        path = folder / name
        assert path.exists(), f"{name} missing: run python -m npp.law.schema"
        assert path.read_text(encoding="utf-8") == text, (
            f"{name} stale: run python -m npp.law.schema"
        )
