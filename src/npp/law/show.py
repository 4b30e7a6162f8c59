"""One state's law in force on a date, as a document and as text (``npp law show``)."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from npp.law.knowledge import KnowledgeBase, section_label
from npp.law.model import Evidence


def _ev(ev: Evidence) -> dict[str, Any]:
    return {
        "verified": ev.verified,
        "confidence": ev.confidence.value,
        "sources": list(ev.sources),
        "note": ev.note,
    }


def show_state(kb: KnowledgeBase, cc: str, day: dt.date) -> dict[str, Any]:
    prof = kb.profiles.get(cc)
    instruments = []
    for i in kb.domestic_instruments(cc, day):
        instruments.append(
            {
                "id": i.id,
                "title": i.title,
                "in_force_from": i.in_force_from,
                "in_force_to": i.in_force_to,
                "requires": i.requires,
                "provisions": [
                    {
                        "id": p.id,
                        "section": section_label(i, p),
                        "heading": p.heading,
                        "kind": p.kind,
                        "text": p.text,
                        "text_status": p.text_status.value,
                        "non_punishment": (
                            p.non_punishment.model_dump(mode="json") if p.non_punishment else None
                        ),
                        "evidence": _ev(p.evidence),
                    }
                    for p in i.provisions
                    if p.in_force_on(day)
                ],
                "evidence": _ev(i.evidence),
            }
        )
    doc: dict[str, Any] = {
        "jurisdiction": cc,
        "name": kb.vocabulary.jurisdictions[cc],
        "law_date": day.isoformat(),
        "instruments": instruments,
    }
    if prof is not None:
        doc.update(
            {
                "summary": prof.summary,
                "age_of_criminal_responsibility": prof.age_of_criminal_responsibility.model_dump(
                    mode="json"
                ),
                "death_penalty": prof.death_penalty.model_dump(mode="json"),
                "corporal_punishment": prof.corporal_punishment.model_dump(mode="json"),
                "general_defences": [d.model_dump(mode="json") for d in prof.general_defences],
                "identification": [f.model_dump(mode="json") for f in prof.identification],
                "commonly_charged": prof.commonly_charged,
                "penalties": [
                    p.model_dump(mode="json") for p in prof.penalties if p.in_force_on(day)
                ],
                "post_conviction_relief": prof.post_conviction_relief.model_dump(mode="json"),
                "open_questions": prof.open_questions,
            }
        )
    return doc


def _w(text: str, indent: int = 0) -> str:
    pad = "  " * indent
    return textwrap.fill(str(text), 92, initial_indent=pad, subsequent_indent=pad)


def _mark(ev: dict[str, Any]) -> str:
    return "" if ev.get("verified") else f"  [not verified; confidence {ev.get('confidence')}]"


def render_state(doc: dict[str, Any]) -> str:
    out = [f"{doc['name']} ({doc['jurisdiction']}) — law in force on {doc['law_date']}", ""]
    if doc.get("summary"):
        out += [_w(doc["summary"]), ""]
    out.append("Instruments")
    for i in doc["instruments"]:
        out.append(_w(f"* {i['title']} (from {i['in_force_from'] or '?'}){_mark(i['evidence'])}"))
        for p in i["provisions"]:
            head = f"{p['section']}" + (f" {p['heading']}" if p["heading"] else "")
            out.append(_w(f"- {head} [{p['kind']}]{_mark(p['evidence'])}", 1))
            out.append(_w(f"({p['text_status']}) {p['text']}", 2))
            np = p["non_punishment"]
            if np:
                offences = (
                    np["offences"] if isinstance(np["offences"], str) else ", ".join(np["offences"])
                )
                out.append(
                    _w(
                        f"model: {np['model']}; offences: {offences}; victims: "
                        f"{np['victims']}; stages: {', '.join(np['stages'])}; decides: "
                        f"{np['decides']}; discretionary: {np['discretionary']}",
                        2,
                    )
                )
    if "penalties" in doc:
        out += ["", "Penalties victims face"]
        for p in doc["penalties"]:
            out.append(
                _w(
                    f"* {p['offence']}: {p['instrument']} {p.get('section') or ''} — "
                    f"{p['description']} (death: {p['capital']['in_law']}/"
                    f"{p['capital']['applied']}; corporal: {p['corporal']['in_law']})"
                    f"{_mark(p['evidence'])}"
                )
            )
        aor = doc["age_of_criminal_responsibility"]
        out += [
            "",
            _w(
                f"Age of criminal responsibility: {aor['age']} — {aor['detail']}"
                f"{_mark(aor['evidence'])}"
            ),
        ]
        out.append("General defences")
        for d in doc["general_defences"]:
            out.append(
                _w(
                    f"* {d['kind']}: {d['instrument']} "
                    f"{d.get('section') or '(section not verified)'}"
                    f"{_mark(d['evidence'])}",
                    0,
                )
            )
        out.append("Victim identification")
        for f in doc["identification"]:
            out.append(_w(f"* {f['text']}{_mark(f['evidence'])}"))
        pcr = doc["post_conviction_relief"]
        out.append(_w(f"Post-conviction relief: {pcr['text']}{_mark(pcr['evidence'])}"))
        if doc["open_questions"]:
            out.append("Open questions (not verified)")
            out += [_w(f"* {q}") for q in doc["open_questions"]]
    return "\n".join(out) + "\n"
