"""Answer an assessment's open questions in place, then re-assess.

Every question the engine asks names the input field that answers it (contract §1a,
``questions[].field``: ``person.age_now``, ``offences[0].within_provision``...). This module
turns those questions into form inputs, and a submitted form back into case facts, so the
guided interview's result page and the case page can ask them where they are read. Nothing
here touches the database: the case page saves through ``actions.do_update_facts``, which
re-assesses and keeps the earlier assessments.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

import npp

PREFIX = "answer:"
UNKNOWN = "unknown"
NONE = "none"
_PATH = re.compile(r"^(person|trafficking)\.([a-z_]+)$|^offences\[(\d+)\]\.([a-z_]+)$")
_BOOLS = {"age_disputed", "under_control_at_offence", "compelled", "direct_consequence"}
_BOOLS |= {"within_provision"}
_NUMBERS = {"age", "age_now"}


@dataclass
class Answer:
    """One open question as a form input."""

    field: str
    question: str
    kind: str  # bool | number | choice | multi
    options: list[tuple[str, Any]] = dc_field(default_factory=list)
    value: Any = None
    error: str | None = None

    @property
    def name(self) -> str:
        return PREFIX + self.field

    @property
    def selected(self) -> list[str]:
        v = self.value
        if isinstance(v, list):
            return [str(x) for x in v] or [NONE]
        if isinstance(v, bool):
            return ["yes" if v else "no"]
        return [] if v is None else [str(v)]


def _split(path: str) -> tuple[str, int | None, str] | None:
    m = _PATH.match(path)
    if not m:
        return None
    if m.group(1):
        return m.group(1), None, m.group(2)
    return "offences", int(m.group(3)), m.group(4)


def _get(facts: dict[str, Any], path: str) -> Any:
    where = _split(path)
    if where is None:
        return None
    group, n, leaf = where
    if n is None:
        return (facts.get(group) or {}).get(leaf)
    offences = facts.get("offences") or []
    return offences[n].get(leaf) if n < len(offences) else None


def _set(facts: dict[str, Any], path: str, value: Any) -> None:
    where = _split(path)
    if where is None:
        return
    group, n, leaf = where
    if n is None:
        facts.setdefault(group, {})[leaf] = value
    elif n < len(facts.get("offences") or []):
        facts["offences"][n][leaf] = value


def _kind(leaf: str) -> tuple[str, list[tuple[str, Any]]]:
    v = npp.engine().kb.vocabulary
    if leaf in _BOOLS:
        return "bool", [("yes", _("Yes")), ("no", _("No"))]
    if leaf in _NUMBERS:
        return "number", []
    if leaf == "sex":
        return "choice", [("female", _("Female")), ("male", _("Male")), ("other", _("Other"))]
    if leaf == "victim_status":
        return "choice", [(k, label) for k, label in v.victim_status.items()]
    codes = {"acts": v.trafficking_acts, "means": v.trafficking_means}
    codes["purposes"] = v.exploitation_purposes
    return "multi", [(c, c.replace("_", " ")) for c in codes.get(leaf, ())]


def answer_form(doc: dict[str, Any], facts: dict[str, Any]) -> list[Answer]:
    """An input for each open question of ``doc`` (one per field), with the current value."""
    out: list[Answer] = []
    seen: set[str] = set()
    for q in doc.get("questions", []):
        path = q.get("field", "")
        where = _split(path)
        if where is None or path in seen:
            continue
        seen.add(path)
        kind, options = _kind(where[2])
        out.append(Answer(path, q["question"], kind, options, _get(facts, path)))
    return out


def _read(post: QueryDict, a: Answer) -> tuple[Any, str | None]:
    if a.kind == "multi":
        chosen = [c for c in post.getlist(a.name) if c in {o for o, _ in a.options}]
        if chosen:
            return chosen, None
        return ([] if NONE in post.getlist(a.name) else None), None
    raw = (post.get(a.name) or "").strip()
    if raw in {"", UNKNOWN}:
        return None, None
    if a.kind == "bool":
        return {"yes": True, "no": False}.get(raw), None
    if a.kind == "number":
        try:
            return int(raw), None
        except ValueError:
            return None, str(_("Enter a whole number, or leave it empty when not known."))
    return (raw if raw in {o for o, _ in a.options} else None), None


def apply_answers(
    doc: dict[str, Any], facts: dict[str, Any], post: QueryDict
) -> tuple[dict[str, Any], list[Answer]]:
    """New facts with the submitted answers, and the form with any errors.

    Only the fields of the open questions are read; the result is checked as ``npp assess``
    checks facts, each problem shown at its question.
    """
    form = answer_form(doc, facts)
    new = copy.deepcopy(facts)
    for a in form:
        if a.name not in post and a.kind != "multi":
            continue
        value, error = _read(post, a)
        a.value, a.error = value, error
        if error is None:
            _set(new, a.field, value)
    if any(a.error for a in form):
        return facts, form
    try:
        npp.engine().assess_data(new)
    except npp.InvalidFacts as exc:
        by_field = {a.field: a for a in form}
        for p in exc.problems:
            target = by_field.get(p.where)
            if target is not None:
                target.error = p.problem
            elif form:
                form[0].error = f"{p.where}: {p.problem}"
        return facts, form
    return new, form
