"""The mapping table (``mapping.yaml``), loaded and checked against the standard.

The table is data so that one file says what maps to what, for the code and for the docs;
this module refuses a table that names a field or a value the standard does not have, so a
typo in the table cannot silently export a value outside the standard's lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from npp.exchange.standard import Field, standard

__all__ = ["Extension", "Mapped", "Mapping", "mapping"]

EXTENSION_TYPES = ("text", "date", "int", "bool", "list", "json")


@dataclass(frozen=True)
class Mapped:
    """One standard field and its counterpart in the project (if any)."""

    field: Field
    path: str  # "" = no counterpart: kept verbatim
    imports: bool  # a value read from a file changes the project's record
    values: dict[str, Any]  # HTCDS value -> project code (exact counterparts)
    export: dict[Any, str]  # project code -> HTCDS value
    personal: bool
    note: str

    @property
    def name(self) -> str:
        return self.field.name

    def counterpart(self, value: str) -> Any:
        """The project code for an HTCDS value; None when there is no exact counterpart."""
        if not self.values:
            return value
        return self.values.get(value)


@dataclass(frozen=True)
class Extension:
    """One ``npp_`` field."""

    name: str
    path: str
    type: str
    imports: bool
    personal: bool
    vocabulary: str  # a knowledge-base vocabulary list the values must be in ("" = none)
    choices: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Mapping:
    fields: dict[str, Mapped]
    extension: dict[str, Extension]
    columns: tuple[str, ...] = field(default=())

    @property
    def personal(self) -> frozenset[str]:
        return frozenset(
            [m.name for m in self.fields.values() if m.personal]
            + [e.name for e in self.extension.values() if e.personal]
        )


class MappingError(ValueError):
    """The mapping table contradicts the standard (a bug in mapping.yaml, not in a file)."""


def _mapped(name: str, spec: dict[str, Any]) -> Mapped:
    std = standard()
    if name not in std.fields:
        raise MappingError(f"mapping.yaml: {name}: not a field of HTCDS {std.version}")
    f = std.fields[name]
    values = dict(spec.get("values") or {})
    export = dict(spec.get("export") or {}) or {v: k for k, v in values.items()}
    for v in [*values, *export.values()]:
        if f.values and v not in f.values:
            raise MappingError(f"mapping.yaml: {name}: {v!r} is not in the standard's list")
    return Mapped(
        field=f,
        path=str(spec.get("path") or ""),
        imports=bool(spec.get("import", True)) and bool(spec.get("path")),
        values=values,
        export=export,
        personal=bool(spec.get("personal", False)),
        note=" ".join(str(spec.get("note") or "").split()),
    )


def _extension(name: str, spec: dict[str, Any]) -> Extension:
    if not name.startswith("npp_") or spec.get("type") not in EXTENSION_TYPES:
        raise MappingError(f"mapping.yaml: {name}: an npp_ field with a type is expected")
    return Extension(
        name=name,
        path=str(spec["path"]),
        type=str(spec["type"]),
        imports=bool(spec.get("import", True)),
        personal=bool(spec.get("personal", False)),
        vocabulary=str(spec.get("vocabulary") or ""),
        choices=tuple(spec.get("choices") or ()),
        note=" ".join(str(spec.get("note") or "").split()),
    )


@cache
def mapping() -> Mapping:
    """The table shipped with the package; every standard field must be in it, in order."""
    raw = yaml.safe_load(
        resources.files("npp.exchange").joinpath("mapping.yaml").read_text("utf-8")
    )
    fields = {name: _mapped(name, spec or {}) for name, spec in raw["fields"].items()}
    missing = [f for f in standard().fields if f not in fields]
    if missing:
        raise MappingError(f"mapping.yaml: fields of the standard not mapped: {missing}")
    ext = {name: _extension(name, spec or {}) for name, spec in raw["extension"].items()}
    return Mapping(fields=fields, extension=ext, columns=(*fields, *ext))
