"""Read one row of a file into a checked HTCDS record, and say precisely what is wrong.

A *record* is a dict from field name (standard or ``npp_``) to its value in one canonical
form, whatever the file format: a picklist value by its name (``FollowUp``, never the label
``Follow up``), a multi-value field as a list, a date as ``YYYY-MM-DD``, a checkbox as
``true``/``false``, a number as its text, an ``npp_`` JSON field as a list. Empty values are
absent. Labels and spacing are normalised to the standard's names (that is the same value
written another way); a value that is in no list is a problem, never a neighbouring value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from npp.exchange.mapping import Extension, mapping
from npp.exchange.standard import Field, standard

__all__ = ["Columns", "Record", "RowProblem", "parse_row", "resolve_columns"]

Record = dict[str, Any]
Vocab = Mapping[str, Collection[str]]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n"}
PREFIXES = ("org_", "prs_", "vic_", "per_", "cas_", "cco_", "hte_", "spl_", "con_")


@dataclass(frozen=True)
class RowProblem:
    """One problem: the row of the file (the header is row 1), the field, what is wrong."""

    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.problem}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "problem": self.problem}


@dataclass(frozen=True)
class Columns:
    """What each column of a file holds: a field name, or None (not imported)."""

    fields: dict[str, str | None]
    problems: list[RowProblem]
    warnings: list[str]


def known_fields() -> tuple[str, ...]:
    return mapping().columns


def resolve_columns(headers: Iterable[str], labels: Mapping[str, str] | None = None) -> Columns:
    """Map a file's headers to fields. A header that looks like a misspelt field is an error
    with a suggestion; the Excel toolkit's own quirks are read as the fields they mean; any
    other column is not imported (a warning says so)."""
    std = standard()
    known = set(known_fields())
    out: dict[str, str | None] = {}
    problems: list[RowProblem] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for h in headers:
        label = (labels or {}).get(h, "")
        name = h.strip() if h.strip() in known else std.field_by_header(h, label)
        if name is None:
            out[h] = None
            near = difflib.get_close_matches(h.strip(), list(known), n=1, cutoff=0.8)
            if near or h.strip().startswith((*PREFIXES, "npp_")):
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(
                    RowProblem(1, h, f"is not a field of HTCDS {std.version} or npp_{hint}")
                )
            elif h.strip() and not h.startswith("(column "):
                warnings.append(f"column {h!r} is not an HTCDS {std.version} field: not imported")
            continue
        if name in seen:
            problems.append(RowProblem(1, h, f"the same field as column {seen[name]!r}"))
            continue
        seen[name] = h
        out[h] = name
    return Columns(out, problems, warnings)


# --------------------------------------------------------------------------- cells


def _text(cell: Any) -> str:
    """A cell as text: spreadsheet numbers without a spurious ``.0``, dates as ISO."""
    if type(cell) is str:
        return cell.strip()  # CSV and most JSON cells: the rest are spreadsheet values
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time(0) else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def _items(cell: Any) -> list[str]:
    if isinstance(cell, list | tuple):
        return [t for t in (_text(c) for c in cell) if t]
    return [t.strip() for t in _text(cell).split(";") if t.strip()]


def _date(text: str) -> str | None:
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    return None


def _checkbox(text: str) -> str | None:
    low = text.lower()
    return "true" if low in _TRUE else "false" if low in _FALSE else None


def _standard_value(f: Field, cell: Any, n: int, out: list[RowProblem]) -> Any:
    kind = f.kind
    if kind in {"picklist", "country"}:
        if f.multi:
            items = _items(cell)
        else:
            one = _text(cell)
            items = [one] if one else []
        values = []
        for item in items:
            value = _country(item) if kind == "country" else f.value_of(item)
            if value is None:
                allowed = (
                    "ISO 3166-1 alpha-2 codes"
                    if kind == "country"
                    else "one of " + ", ".join(f.values)
                )
                out.append(RowProblem(n, f.name, f"{item!r} is not in the list ({allowed})"))
            elif value not in values:
                values.append(value)
        if not values:
            return None
        return values if f.multi else values[0]
    text = _text(cell)
    if not text:
        return None
    if kind == "date":
        day = _date(text)
        if day is None:
            out.append(RowProblem(n, f.name, f"{text!r} is not a date (YYYY-MM-DD)"))
        return day
    if kind == "number":
        if not _NUMBER.match(text):
            out.append(RowProblem(n, f.name, f"{text!r} is not a number"))
            return None
        return text
    if kind == "checkbox":
        value = _checkbox(text)
        if value is None:
            out.append(RowProblem(n, f.name, f"{text!r} is not true or false"))
        return value
    return _text(cell) if not isinstance(cell, str) else cell.strip()


def _country(text: str) -> str | None:
    code = text.strip().upper()
    return code if code in standard().countries else None


def _extension_value(e: Extension, cell: Any, n: int, vocab: Vocab, out: list[RowProblem]) -> Any:
    allowed: Collection[str] = e.choices or (vocab.get(e.vocabulary, ()) if e.vocabulary else ())
    if e.type == "json":
        if cell in (None, ""):
            return None
        data = cell
        if isinstance(cell, str):
            try:
                data = json.loads(cell)
            except json.JSONDecodeError as exc:
                out.append(RowProblem(n, e.name, f"is not valid JSON: {exc.msg}"))
                return None
        if not isinstance(data, list):
            out.append(RowProblem(n, e.name, "must be a JSON array"))
            return None
        return data or None
    if e.type == "list":
        items = _items(cell)
        for item in items:
            if allowed and item not in allowed:
                out.append(RowProblem(n, e.name, f"unknown code {item!r}{_hint(item, allowed)}"))
        return items or None
    text = _text(cell)
    if not text:
        return None
    if e.type == "date":
        day = _date(text)
        if day is None:
            out.append(RowProblem(n, e.name, f"{text!r} is not a date (YYYY-MM-DD)"))
        return day
    if e.type == "int":
        if not text.isdigit():
            out.append(RowProblem(n, e.name, f"{text!r} is not a whole number"))
            return None
        return str(int(text))
    if e.type == "bool":
        value = _checkbox(text)
        if value is None:
            out.append(RowProblem(n, e.name, f"{text!r} is not true, false or empty"))
        return value
    if allowed and text not in allowed:
        out.append(RowProblem(n, e.name, f"unknown code {text!r}{_hint(text, allowed)}"))
        return None
    return text


def _hint(value: str, allowed: Collection[str]) -> str:
    near = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.7)
    if near:
        return f"; did you mean {near[0]!r}?"
    return f" (one of {', '.join(sorted(allowed))})" if len(allowed) <= 12 else ""


def parse_row(raw: Mapping[str, Any], n: int, vocab: Vocab) -> tuple[Record, list[RowProblem]]:
    """One row, whose keys are already field names (see :func:`resolve_columns`)."""
    m = mapping()
    out: list[RowProblem] = []
    record: Record = {}
    for name, cell in raw.items():
        if cell is None or cell == "" or cell == []:
            continue  # most cells of a wide file are empty: nothing to check
        if name in m.fields:
            value = _standard_value(m.fields[name].field, cell, n, out)
        elif name in m.extension:
            value = _extension_value(m.extension[name], cell, n, vocab, out)
        else:
            continue
        if value not in (None, "", []):
            record[name] = value
    return record, out
