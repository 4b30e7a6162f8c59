"""docs/htcds.md shows the mapping the code uses: the table is regenerated from mapping.yaml."""

from __future__ import annotations

from pathlib import Path

from npp.exchange.docs import BEGIN, END, render

DOC = Path(__file__).parents[2] / "docs" / "htcds.md"


def test_the_mapping_table_in_the_docs_is_the_one_the_code_reads() -> None:
    text = DOC.read_text("utf-8")
    table = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert table == render(), "stale: run python -m npp.exchange.docs docs/htcds.md"


def test_every_standard_field_is_in_the_docs_by_its_own_name() -> None:
    from npp.exchange import standard

    text = DOC.read_text("utf-8")
    assert all(f"| `{name}` |" in text for name in standard().fields)
