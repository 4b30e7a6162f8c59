"""One bulk row ↔ one case's facts (contract §1), for checking and explaining, never for speed.

Why it exists: bulk review promises the same answers as ``npp assess`` for the same facts.
The property test turns random facts into rows with :func:`facts_to_row`; the benchmark and
anyone wanting the full explanation of one reviewed row turn it back into facts with
:func:`row_to_facts` and give them to the single-case engine. Bulk review itself never calls
either: it reads columns, not rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from npp.bulk.columns import EMPTY_LIST, FACTS, FALSE_WORDS, LIST_SEPARATOR, TRUE_WORDS

__all__ = ["facts_to_row", "row_to_facts"]

_PERSON = (
    "age",
    "age_disputed",
    "sex",
    "nationality",
    "victim_status",
    "identified_by",
    "age_now",
)
_LISTS = ("acts", "means", "purposes")
_TRAFFICKING_BOOLS = ("compelled", "direct_consequence", "under_control_at_offence")
_OFFENCE = (
    "category",
    "description",
    "compelled",
    "direct_consequence",
    "repeated",
    "within_provision",
)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value) if value else EMPTY_LIST
    return str(value)


def facts_to_row(facts: Mapping[str, Any], offence: int = 0) -> dict[str, str | None]:
    """The bulk row (text cells, ``None`` = empty) for one offence of a case."""
    row: dict[str, str | None] = {
        "jurisdiction": _cell(facts.get("jurisdiction")),
        "offence_date": _cell(facts.get("offence_date")),
        "stage": _cell(facts.get("stage")),
    }
    person = facts.get("person") or {}
    for k in _PERSON:
        row[f"person.{k}"] = _cell(person.get(k))
    off = facts["offences"][offence]
    for k in _OFFENCE:
        row[f"offence.{k}"] = _cell(off.get(k))
    t = facts.get("trafficking") or {}
    for k in (*_LISTS, *_TRAFFICKING_BOOLS):
        row[f"trafficking.{k}"] = _cell(t.get(k))
    codes = facts.get("indicators") or []
    row["indicators"] = LIST_SEPARATOR.join(codes) if codes else None
    return row


def _value(name: str, cell: Any) -> Any:
    """A cell as a JSON value; a cell that cannot be read stays text, for the validator."""
    if cell is None:
        return None
    kind = FACTS[name].kind
    if kind == "text":
        return str(cell) or None
    s = str(cell).strip()
    if not s:
        return None
    if kind == "bool":
        low = s.lower()
        return True if low in TRUE_WORDS else False if low in FALSE_WORDS else s
    if kind == "age":
        try:
            num = float(s)
        except ValueError:
            return s
        return int(num) if num.is_integer() else num
    if kind == "list":
        items = [i.strip() for i in s.split(LIST_SEPARATOR) if i.strip()]
        return [] if items == [EMPTY_LIST] else items
    return s


def row_to_facts(row: Mapping[str, Any], jurisdiction: str | None = None) -> dict[str, Any]:
    """The case facts (contract §1) one bulk row states; unknown columns are left out."""

    def get(name: str) -> Any:
        return _value(name, row.get(name))

    facts: dict[str, Any] = {"jurisdiction": get("jurisdiction") or jurisdiction}
    for k in ("offence_date", "stage"):
        if get(k) is not None:
            facts[k] = get(k)
    person = {k: get(f"person.{k}") for k in _PERSON if get(f"person.{k}") is not None}
    if person:
        facts["person"] = person
    offence = {k: get(f"offence.{k}") for k in _OFFENCE if get(f"offence.{k}") is not None}
    facts["offences"] = [offence]
    t = {
        k: get(f"trafficking.{k}")
        for k in (*_LISTS, *_TRAFFICKING_BOOLS)
        if get(f"trafficking.{k}") is not None
    }
    if t:
        facts["trafficking"] = t
    facts["indicators"] = get("indicators") or []
    return facts
