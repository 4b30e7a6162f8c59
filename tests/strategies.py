"""Hypothesis strategies for case facts (contract §1), valid and invalid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import strategies as st

from npp.law.loader import default_knowledge_dir

VOCAB = yaml.safe_load((default_knowledge_dir() / "vocabulary.yaml").read_text(encoding="utf-8"))
JURISDICTIONS = sorted(VOCAB["jurisdictions"])
OFFENCES = sorted(VOCAB["offence_categories"])
STAGES = list(VOCAB["stages"])
tri = st.sampled_from([True, False, None])


def maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


def valid_facts(
    indicator_codes: list[str] | None = None, max_offences: int = 3
) -> st.SearchStrategy[dict[str, Any]]:
    indicators = (
        st.lists(st.sampled_from(indicator_codes), max_size=6, unique=True)
        if indicator_codes
        else st.just([])
    )
    person = st.fixed_dictionaries(
        {},
        optional={
            "age": maybe(st.integers(0, 120)),
            "age_disputed": tri,
            "sex": maybe(st.sampled_from(["female", "male", "other"])),
            "nationality": maybe(st.sampled_from([*JURISDICTIONS, "CN", "IN", "BD"])),
            "victim_status": maybe(st.sampled_from(["none", "potential", "formal"])),
            "identified_by": maybe(st.sampled_from([*JURISDICTIONS, "NGO shelter"])),
        },
    )
    trafficking = st.fixed_dictionaries(
        {},
        optional={
            "acts": maybe(
                st.lists(st.sampled_from(VOCAB["trafficking_acts"]), max_size=3, unique=True)
            ),
            "means": maybe(
                st.lists(st.sampled_from(VOCAB["trafficking_means"]), max_size=3, unique=True)
            ),
            "purposes": maybe(
                st.lists(st.sampled_from(VOCAB["exploitation_purposes"]), max_size=2, unique=True)
            ),
            "compelled": tri,
            "direct_consequence": tri,
            "under_control_at_offence": tri,
        },
    )
    offence = st.fixed_dictionaries(
        {"category": st.sampled_from(OFFENCES)},
        optional={"description": st.text(max_size=40), "repeated": tri, "within_provision": tri},
    )
    return st.fixed_dictionaries(
        {
            "jurisdiction": st.sampled_from(JURISDICTIONS),
            "offences": st.lists(offence, min_size=1, max_size=max_offences),
        },
        optional={
            "offence_date": maybe(
                st.dates(dt.date(2004, 1, 1), dt.date(2026, 11, 1)).map(dt.date.isoformat)
            ),
            "stage": maybe(st.sampled_from(STAGES)),
            "person": person,
            "trafficking": trafficking,
            "indicators": indicators,
        },
    )


def invalid_facts() -> st.SearchStrategy[dict[str, Any]]:
    """Valid facts with exactly one field broken; returns (facts, expected JSON path)."""
    breakers = [
        ("jurisdiction", lambda f: {**f, "jurisdiction": "XX"}),
        ("jurisdiction", lambda f: {k: v for k, v in f.items() if k != "jurisdiction"}),
        ("offences", lambda f: {**f, "offences": []}),
        ("offences[0].category", lambda f: {**f, "offences": [{"category": "jaywalking"}]}),
        ("person.age", lambda f: {**f, "person": {"age": -1}}),
        ("person.age", lambda f: {**f, "person": {"age": 121}}),
        ("person.age_disputed", lambda f: {**f, "person": {"age_disputed": "maybe"}}),
        ("person.nationality", lambda f: {**f, "person": {"nationality": "Lao"}}),
        ("stage", lambda f: {**f, "stage": "appeal"}),
        ("offence_date", lambda f: {**f, "offence_date": "01/02/2024"}),
        ("trafficking.means[0]", lambda f: {**f, "trafficking": {"means": ["magic"]}}),
        ("trafficking.compelled", lambda f: {**f, "trafficking": {"compelled": "yes"}}),
        ("indicators[0]", lambda f: {**f, "indicators": ["no.such.indicator"]}),
        ("person.nickname", lambda f: {**f, "person": {"nickname": "x"}}),
    ]
    return st.tuples(valid_facts(), st.sampled_from(breakers)).map(
        lambda t: (t[1][1](t[0]), t[1][0])
    )


# --------------------------------------------------------------------------- fuzzing (issue #7)
#
# Documents for the adversarial suite (tests/verify): arbitrary JSON, and valid facts with one
# random mutation whose location is known, so that a rejection can be checked to name it.

#: Strings a careless or hostile client sends: control characters, right-to-left marks, lone
#: surrogates (valid JSON escapes, not valid Unicode), very long text, SQL and markup.
nasty_text = st.one_of(
    st.text(max_size=30),
    # high surrogates only: a high-low pair would be one valid character after a JSON round trip
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDBFF), min_size=1, max_size=3),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u202e\u0645",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%s%s%n",
            "null",
            "true",
            "TH ",
            "th",
            "9999-12-31",
            "0000-00-00",
            "2024-02-30",
            "x" * 5000,
        ]
    ),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    nasty_text,
)
#: Any JSON value (nested lists and objects, odd keys included).
any_json = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=12,
)
#: Keys that case facts never have (a typo must be an error, never "not known").
KNOWN_KEYS = frozenset(
    {
        "jurisdiction",
        "offence_date",
        "stage",
        "person",
        "offences",
        "trafficking",
        "indicators",
        "age",
        "age_disputed",
        "sex",
        "nationality",
        "victim_status",
        "identified_by",
        "category",
        "description",
        "compelled",
        "direct_consequence",
        "repeated",
        "acts",
        "means",
        "purposes",
        "under_control_at_offence",
    }
)
unknown_key = nasty_text.filter(lambda k: k not in KNOWN_KEYS)
#: Required keys: deleting one must be reported at its path.
REQUIRED = {("jurisdiction",), ("offences",)}

Path = tuple[str | int, ...]


def path_text(path: Path) -> str:
    """A path as the validator writes it: ``offences[0].category``; the root is ``(top level)``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:  # keys that are not valid Unicode are shown escaped, as the validator does
            out += ("." if out else "") + (_escaped(part) or '""')
    return out or "(top level)"


def _escaped(text: str) -> str:
    """As the validator shows a key: control characters, line separators and unpaired
    surrogates escaped."""

    def unsafe(o: int) -> bool:
        return o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029) or 0xD800 <= o <= 0xDFFF

    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") if unsafe(ord(c)) else c
        for c in text
    )


def related(where: str, path: str) -> bool:
    """True if ``where`` (a reported field) is ``path``, inside it, or one of its parents."""
    if path == "(top level)" or where == path:
        return True
    inside = where.startswith((path + ".", path + "["))
    parent = where == "(top level)" or path.startswith((where + ".", where + "["))
    return inside or parent


def _paths(value: Any, prefix: Path = ()) -> list[Path]:
    out: list[Path] = []
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in items:
            out.append((*prefix, k))
            out += _paths(v, (*prefix, k))
    return out


def _containers(value: Any, prefix: Path = ()) -> list[Path]:
    out: list[Path] = [prefix] if isinstance(value, dict) else []
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in items:
            out += _containers(v, (*prefix, k))
    return out


def _get(doc: Any, path: Path) -> Any:
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated_facts(draw: Any) -> tuple[Any, dict[str, Any]]:
    """Valid facts with ONE mutation: returns ``(document, {"kind", "path", "exact"})``.

    ``path`` is where the mutation happened (as the validator writes paths); ``exact`` says
    a rejection must name exactly that path (an unknown key, a deleted required key), not
    merely a field on the same branch.
    """
    import copy

    doc = copy.deepcopy(draw(valid_facts()))
    kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "unknown", "root"]))
    if kind == "root":
        value = draw(any_json.filter(lambda v: not isinstance(v, dict)))
        return value, {"kind": kind, "path": "(top level)", "exact": True}
    if kind == "unknown":
        where = draw(st.sampled_from(_containers(doc)))
        key = draw(unknown_key)
        _get(doc, where)[key] = draw(any_json)
        return doc, {"kind": kind, "path": path_text((*where, key)), "exact": True}
    path = draw(st.sampled_from(_paths(doc)))
    parent = _get(doc, path[:-1])
    if kind == "delete":
        del parent[path[-1]]
        exact = path in REQUIRED or (len(path) == 3 and path[2] == "category")
        return doc, {"kind": kind, "path": path_text(path), "exact": exact}
    parent[path[-1]] = draw(any_json)
    return doc, {"kind": kind, "path": path_text(path), "exact": False}


def case_documents() -> st.SearchStrategy[tuple[Any, dict[str, Any] | None]]:
    """Valid facts (``None`` for the mutation) and mutated ones, about half each."""
    return st.one_of(valid_facts().map(lambda f: (f, None)), mutated_facts())
