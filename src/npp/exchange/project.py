"""HTCDS records <-> the project's record of a case, both ways, driven by ``mapping.yaml``.

The project's record (a plain dict, no database) is::

    facts         contract §1 case facts (offences may be empty: nothing charged yet)
    identity      full_name, aliases, date_of_birth, document_numbers, contact
    case          reference, source_reference, province, first_contact, closed, owner,
                  potential_victim, outcomes, risk_flags
    organisation  code, name, kind, country, state (the organisation holding the case)
    referral      the latest referral (to_name, purpose, created, note), for the flat fields
    decisions     [{on, stage, decision, offence, decided_by}]
    referrals     [{to, to_name, purpose, due, status, created}]
    stored        the standard's fields exactly as a file gave them (kept with the case)

Why ``stored``: HTCDS can say more than the project (forty methods of control, consent, the
person's address...) and some of its values have no exact counterpart. Those are kept
verbatim and exported again; a field whose project value has not changed since the import is
exported exactly as it was read, so export(import(x)) == x. Once the project's value changes,
the export says what the project now holds, plus the kept values it has no counterpart for.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from npp.exchange.mapping import Mapped, mapping
from npp.exchange.records import Record
from npp.exchange.standard import standard

__all__ = ["LIST_PATHS", "NAME_FIELDS", "empty_project", "from_project", "to_project"]

LIST_PATHS = frozenset(
    {
        "facts.trafficking.acts",
        "facts.trafficking.means",
        "facts.trafficking.purposes",
        "facts.indicators",
        "case.outcomes",
        "case.risk_flags",
    }
)
NAME_FIELDS = ("prs_FirstName", "prs_MiddleName", "prs_SecondName")
_NAME_PATH = "identity.full_name"


def empty_project(jurisdiction: str = "") -> dict[str, Any]:
    """A record where everything is not known."""
    return {
        "facts": {
            "jurisdiction": jurisdiction,
            "offence_date": None,
            "stage": None,
            "person": {
                "age": None,
                "age_disputed": None,
                "sex": None,
                "nationality": None,
                "victim_status": None,
                "identified_by": None,
            },
            "offences": [],
            "trafficking": {
                "acts": None,
                "means": None,
                "purposes": None,
                "compelled": None,
                "direct_consequence": None,
                "under_control_at_offence": None,
            },
            "indicators": [],
        },
        "identity": {},
        "case": {"closed": False},
        "organisation": {},
        "referral": {},
        "decisions": [],
        "referrals": [],
        "stored": {},
    }


def get(record: dict[str, Any], path: str) -> Any:
    node: Any = record
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def put(record: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = record
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def _norm(path: str, value: Any) -> Any:
    """Compare like with like: an empty list and not known are the same for a list."""
    if path in LIST_PATHS:
        return list(value or [])
    return None if value in ("", []) else value


# --------------------------------------------------------------------------- import


def effect(m: Mapped, value: Any) -> Any:
    """What an HTCDS value means for the project's field (exact counterparts only)."""
    values = value if isinstance(value, list) else [value]
    codes = [c for c in (m.counterpart(v) for v in values) if c is not None]
    if m.path in LIST_PATHS:
        return codes
    return codes[0] if codes else None


def _full_name(record: Record) -> str:
    return " ".join(str(record[f]) for f in NAME_FIELDS if record.get(f))


def _age(birth: str | None, on: str | None) -> int | None:
    if not birth or not on:
        return None
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(on)
    age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
    return age if 0 <= age <= 120 else None


def to_project(record: Record, *, jurisdiction: str = "") -> dict[str, Any]:
    """The project's record of a checked HTCDS record (see :func:`records.parse_row`)."""
    m = mapping()
    p = empty_project(jurisdiction)
    for f in m.fields.values():
        if f.imports and f.name in record and f.path != _NAME_PATH:
            value = effect(f, record[f.name])
            put(p, f.path, value if value != [] else None)  # no counterpart: not known
    if any(record.get(f) for f in NAME_FIELDS):
        put(p, _NAME_PATH, _full_name(record))
    for e in m.extension.values():
        if not e.imports or e.name not in record:
            continue
        value = record[e.name]
        if e.name == "npp_CaseReference":
            put(p, "case.source_reference", value)
        elif e.name == "npp_OffencesCharged":
            p["facts"]["offences"] = [{"category": c} for c in value]
        elif e.name in {"npp_OffenceDescriptions", "npp_WithinProvision"}:
            continue  # below, once the offences are known
        elif e.type == "int":
            put(p, e.path, int(value))
        elif e.type == "bool":
            put(p, e.path, value == "true")
        else:
            put(p, e.path, value)
    for offence, text in zip(
        p["facts"]["offences"], record.get("npp_OffenceDescriptions") or [], strict=False
    ):
        if isinstance(text, str) and text:
            offence["description"] = text
    for offence, answer in zip(
        p["facts"]["offences"], record.get("npp_WithinProvision") or [], strict=False
    ):
        if answer in {"true", "false"}:
            offence["within_provision"] = answer == "true"
    person = p["facts"]["person"]
    if person["age"] is None:
        person["age"] = _age(p["identity"].get("date_of_birth"), p["facts"]["offence_date"])
    p["stored"] = {k: _copy(v) for k, v in record.items() if k in m.fields}
    return p


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


# --------------------------------------------------------------------------- export


def _exported(f: Mapped, value: Any) -> Any:
    if not (f.values or f.export):
        return value if isinstance(value, str) else str(value)
    return f.export.get(value)


def derive(f: Mapped, p: dict[str, Any]) -> Any:
    """The HTCDS value of the project's own data for this field (None: nothing to say)."""
    if not f.path:
        return None
    if f.path == _NAME_PATH:
        name = get(p, _NAME_PATH)
        return name if f.name == "prs_FirstName" and name else None
    value = get(p, f.path)
    if value is None or value == "" or value == []:
        return None
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        v = _exported(f, item)
        if f.field.kind == "country" and v not in standard().countries:
            continue  # only codes of the standard's list leave (npp_Nationality has it)
        if v is not None and v not in out:
            out.append(v)
    if not out:
        return None
    return out if f.field.multi else out[0]


def _merge(f: Mapped, derived: Any, kept: Any) -> Any:
    """The project's value, plus the kept values the project has no counterpart for."""
    if f.field.multi:
        values = list(derived or [])
        values += [v for v in kept if f.counterpart(v) is None and v not in values]
        return values or None
    if derived is not None:
        return derived
    return kept if f.counterpart(kept) is None else None


def _standard_fields(p: dict[str, Any], identity: bool) -> Record:
    m = mapping()
    stored: Record = p.get("stored") or {}
    out: Record = {}
    names_kept = _full_name(stored) == (get(p, _NAME_PATH) or "")
    blank = empty_project()
    for f in m.fields.values():
        if f.personal and not identity:
            continue
        derived = derive(f, p)
        if f.name not in stored:
            if f.path == _NAME_PATH and any(stored.get(n) for n in NAME_FIELDS) and names_kept:
                value = None
            elif (
                stored
                and f.imports
                and _norm(f.path, get(p, f.path)) == _norm(f.path, get(blank, f.path))
            ):
                value = None  # the file said nothing and the project has learnt nothing since
            else:
                value = derived
        elif not f.imports or (f.path == _NAME_PATH and names_kept):
            value = stored[f.name]
        elif f.path == _NAME_PATH:
            value = derived
        elif effect(f, stored[f.name]) == _norm(f.path, get(p, f.path)):
            value = stored[f.name]  # the project still holds what the file said
        else:
            value = _merge(f, derived, stored[f.name])
        if value not in (None, "", []):
            out[f.name] = copy.deepcopy(value)
    return out


def _extension_fields(p: dict[str, Any], identity: bool) -> Record:
    out: Record = {}
    offences = p["facts"].get("offences") or []
    for e in mapping().extension.values():
        if e.personal and not identity:
            continue
        if e.name == "npp_OffencesCharged":
            value: Any = [o["category"] for o in offences] or None
        elif e.name == "npp_OffenceDescriptions":
            texts = [o.get("description") or "" for o in offences]
            value = texts if any(texts) else None
        elif e.name == "npp_WithinProvision":
            answers = [o.get("within_provision") for o in offences]
            value = (
                [{True: "true", False: "false"}.get(a, "unknown") for a in answers]
                if any(a is not None for a in answers)
                else None
            )
        else:
            value = get(p, e.path)
        if value is None or value == "" or value == []:
            continue
        if e.type == "bool":
            value = "true" if value else "false"
        elif e.type in {"int", "text", "date"}:
            value = str(value)
        elif e.type == "list":
            value = [str(v) for v in value]
        out[e.name] = copy.deepcopy(value)
    return out


def from_project(p: dict[str, Any], *, identity: bool = False) -> Record:
    """The HTCDS record of the project's record; personal fields only with ``identity``."""
    return {**_standard_fields(p, identity), **_extension_fields(p, identity)}


def described(stored: Record, *, personal: bool) -> list[tuple[str, str, str]]:
    """The kept standard fields of a case for a page: (label, field, value as text), either
    the identifying ones (``personal``) or the others, in the standard's order."""
    m = mapping()
    out = []
    for name, f in m.fields.items():
        if name in stored and f.personal == personal:
            value = stored[name]
            labels = dict(zip(f.field.values, f.field.labels, strict=False))
            items = value if isinstance(value, list) else [value]
            text = "; ".join(labels.get(str(v), str(v)) for v in items)
            out.append((f.field.label or name, name, text))
    return out
