"""Random valid HTCDS v2.0 records, generated from the standard's own field table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from npp.exchange.standard import Field, standard

_TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=24,
    )
    .map(str.strip)
    .filter(bool)
)
#: Values a spreadsheet would run as a formula, apostrophes, names in Burmese script...
_AWKWARD = st.sampled_from(
    [
        "+66 81 234 5678",
        "=SUM(A1)",
        "-x",
        "@here",
        "'quoted",
        "''=x",
        "Min Oo",
        "မောင်မောင်",
        "_x0041_",
    ]
)
_NUMBER = st.integers(-9999, 9999).map(str) | st.builds(
    lambda a, b: f"{a}.{b}", st.integers(-180, 180), st.integers(1, 9)
)


def value(f: Field) -> st.SearchStrategy[Any]:
    kind = f.kind
    if kind == "picklist":
        if f.multi:
            return st.lists(st.sampled_from(f.values), min_size=1, max_size=4, unique=True)
        return st.sampled_from(f.values)
    if kind == "country":
        codes = sorted(standard().countries)
        return st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True)
    if kind == "date":
        return st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)
    if kind == "number":
        return _NUMBER
    if kind == "checkbox":
        return st.sampled_from(["true", "false"])
    return _TEXT | _AWKWARD


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record giving a random subset of the standard's fields, each with a valid value."""
    fields = standard().fields
    out = {}
    for name, f in fields.items():
        if draw(st.booleans()):
            out[name] = draw(value(f))
    if not out:  # an empty row is no record
        name = draw(st.sampled_from(sorted(fields)))
        out[name] = draw(value(fields[name]))
    return out
