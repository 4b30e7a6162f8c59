"""The HTCDS v2.0 field table, read from the standard's own data (no field is typed in here).

``htcds-v2-fields.json`` beside this module is extracted from IOM's Human Trafficking Case
Data Standard (github.com/UNMigration/HTCDS, ``HTCDS Field Standards 2.0.ods``), licensed CC BY
4.0. It gives every field's name, type and value list, the value labels the Excel toolkit uses
and the toolkit's header quirks; this module turns it into :class:`Field` objects and the
look-ups a reader needs (labels to names, misspelt toolkit headers to names).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

__all__ = ["Field", "Standard", "standard"]

#: Field types of the table, by how a value is read.
_TEXT_TYPES = {"Text", "Long Text", "Lookup [to organisation]", "Lookup [to user]"}
_TEXT_TYPES |= {"Lookup [to person]", "(not given)", "Picklist or Text"}


def _key(text: str) -> str:
    """Labels compared as the toolkit writes them: case, spaces and punctuation ignored."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass(frozen=True)
class Field:
    """One field of the standard."""

    name: str
    section: str
    label: str
    type: str
    values: tuple[str, ...]  # the value names (empty: no closed list)
    labels: tuple[str, ...]  # the toolkit's labels for them, same order
    core: bool
    status: str
    rule: str  # "allowed_values_rule", e.g. ISO 3166

    @cached_property
    def multi(self) -> bool:
        return self.type == "Multiselect Picklist"

    @cached_property
    def kind(self) -> str:
        """How a value is read: picklist, country, date, number, checkbox or text."""
        if self.values:
            return "picklist"
        if "ISO 3166" in self.rule and "Picklist" in self.type and "Text" not in self.type:
            return "country"
        if self.type == "Date":
            return "date"
        if self.type in {"Number", "Geolocation"}:
            return "number"
        if self.type == "Checkbox":
            return "checkbox"
        return "text"

    def value_of(self, text: str) -> str | None:
        """The value name for a name or a toolkit label (any case, spacing); None if neither."""
        index = self._value_index
        return index.get(text) or index.get(_key(text))

    @cached_property
    def _value_index(self) -> dict[str, str]:
        """Names as they are (the common case: one look-up), then normalised names and
        labels. Computed once per field: an import asks hundreds of thousands of times."""
        index = {_key(label): name for name, label in zip(self.values, self.labels, strict=False)}
        index.update({_key(name): name for name in self.values})
        index.update({name: name for name in self.values})
        return index


@dataclass(frozen=True)
class Standard:
    """The field table, the toolkit's header row and the country codes."""

    version: str
    fields: dict[str, Field]
    toolkit_columns: tuple[str, ...]
    countries: frozenset[str]
    header_aliases: dict[str, str]  # a misspelt toolkit header -> the field name
    label_columns: dict[str, str]  # a toolkit label (row 2) -> field, for unnamed columns

    def field_by_header(self, header: str, label: str = "") -> str | None:
        """The field a column holds, from its header (or, where the toolkit left the header
        empty, from the label under it)."""
        h = header.strip()
        if h in self.fields:
            return h
        if h in self.header_aliases:
            return self.header_aliases[h]
        if (not h or h.startswith("(column ")) and label:
            return self.label_columns.get(_key(label))
        return None


def _fields(raw: list[dict[str, Any]]) -> dict[str, Field]:
    out = {}
    for r in raw:
        out[r["field"]] = Field(
            name=r["field"],
            section=r["section"],
            label=r.get("label") or "",
            type=r["type"],
            values=tuple(r.get("allowed_values") or ()),
            labels=tuple(r.get("value_labels") or r.get("allowed_values") or ()),
            core=bool(r.get("core")),
            status=r.get("status") or "",
            rule=r.get("allowed_values_rule") or "",
        )
    return out


@cache
def standard() -> Standard:
    """The HTCDS v2.0 table shipped with the package (read once)."""
    raw = json.loads(
        resources.files("npp.exchange").joinpath("htcds-v2-fields.json").read_text("utf-8")
    )
    fields = _fields(raw["fields"])
    columns = tuple(raw["excel_toolkit_v2_columns"])
    aliases: dict[str, str] = {}
    labels: dict[str, str] = {}
    for col in columns:
        if col in fields:
            continue
        unnamed = re.match(r"\(no header; label '(.+)'\)", col)
        if unnamed:
            by_label = [f.name for f in fields.values() if f.label == unnamed.group(1)]
            labels[_key(unnamed.group(1))] = by_label[0]
            continue
        # A misspelt header (the toolkit writes vic_TraffickinStatusDecisionMakingOrg).
        near = [f for f in fields if _key(f).replace("g", "") == _key(col).replace("g", "")]
        if len(near) == 1:
            aliases[col] = near[0]
    return Standard(
        version=str(raw["source"]["standard_version"]).split()[0],
        fields=fields,
        toolkit_columns=columns,
        countries=frozenset(raw["iso3166_alpha2_codes_in_toolkit"]),
        header_aliases=aliases,
        label_columns=labels,
    )
