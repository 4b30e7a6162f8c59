"""Render an assessment for a person to read in a terminal or a plain-text file."""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 88


def _wrap(text: str, indent: int) -> str:
    pad = "  " * indent
    return textwrap.fill(text, WIDTH, initial_indent=pad, subsequent_indent=pad + "  ")


def _node(n: dict[str, Any], depth: int, lines: list[str]) -> None:
    cites = n.get("citations") or []
    suffix = f"  [{'; '.join(cites)}]" if cites else ""
    lines.append(_wrap(("- " if depth else "") + n["text"] + suffix, depth))
    for c in n.get("children", []):
        _node(c, depth + 1, lines)


def render_text(doc: dict[str, Any]) -> str:
    """The explanation tree, then the citations with their text and verification marks."""
    lines: list[str] = []
    prov = doc.get("provision")
    lines.append(
        f"NPP Navigator assessment — {doc['jurisdiction']}, law in force on {doc['law_date']}"
    )
    lines.append("=" * min(WIDTH, len(lines[0])))
    if prov:
        lines.append(_wrap(f"Provision: {prov['citation']} — model: {prov['model']}", 0))
    else:
        lines.append("Provision: none (no explicit non-punishment provision in force)")
    lines.append(f"Potential victim: {'YES' if doc['potential_victim'] else 'no'}")
    if doc["presumptions"]:
        lines.append("Presumptions: " + ", ".join(doc["presumptions"]))
    if doc["risk_flags"]:
        lines.append("RISK FLAGS: " + ", ".join(doc["risk_flags"]))
    lines.append("")
    for o in doc["offences"]:
        lines.append(f"* {o['category']}: {o['outcome'].upper()}")
    lines.append("")
    for child in doc["explanation"].get("children", []):
        if child.get("children") or child["topic"] not in {"questions", "actions"}:
            _node(child, 0, lines)
            lines.append("")
    lines.append("Citations")
    lines.append("---------")
    for c in doc["citations"]:
        mark = "" if c["verified"] else " [NOT VERIFIED]"
        where = f", {c['provision']}" if c.get("provision") else ""
        lines.append(_wrap(f"[{c['id']}] {c['instrument']}{where}{mark}", 0))
        if c.get("text") and c.get("text_status") not in (None, "unknown"):
            status = c["text_status"]
            lines.append(_wrap(f"({status}) {c['text'][:600]}", 1))
    lines.append("")
    lines.append(_wrap(doc["disclaimer"], 0))
    return "\n".join(lines) + "\n"
