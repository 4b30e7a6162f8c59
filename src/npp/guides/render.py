"""Pocket-guide HTML and PDF (A6 pages; :mod:`npp.pdf` brings the Noto fonts for ASEAN scripts)."""

from __future__ import annotations

from html import escape
from typing import Any

CSS = """
@page { size: A6; margin: 8mm 7mm 10mm 7mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 6.5pt; color: #555; } }
html { font-size: 8pt; line-height: 1.3; color: #111; }
h1 { font-size: 11pt; margin: 0 0 1mm; } h2 { font-size: 9pt; margin: 3mm 0 1mm;
  border-bottom: 0.4pt solid #333; break-after: avoid; }
p, li { margin: 0 0 1mm; } ul, ol { padding-left: 4mm; margin: 0; }
.meta { color: #444; font-size: 7pt; } .law { border-left: 1.2pt solid #0072B2; padding-left: 2mm; }
.mark { font-size: 6.5pt; font-weight: bold; } .unverified { color: #B00020; }
.verified { color: #006B3C; } .disclaimer { font-size: 6.5pt; color: #333; margin-top: 3mm; }
.q li { margin-bottom: 0.8mm; } .small { font-size: 7pt; }
"""


def _e(v: Any) -> str:
    return escape(str(v or ""))


def _mark(verified: bool | None, text: str) -> str:
    cls = "verified" if verified else "unverified"
    return f'<span class="mark {cls}">[{_e(text)}]</span>'


def render_html(g: dict[str, Any]) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(g['name'])} — {_e(g['stage_label'])}: pocket guide</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(g['name'])}: {_e(g['stage_label'])}</h1>",
        f"<p class='meta'>Non-punishment of victims of trafficking — pocket guide. "
        f"Law in force on {_e(g['law_date'])}.</p>",
        "<h2>What the law says</h2>",
    ]
    if not g["provisions"]:
        parts.append(
            f"<p class='law'>{_e(g['name'])} has no explicit non-punishment provision in force. "
            "Prosecutorial discretion, the general defences below and ACTIP art. 14(7) remain.</p>"
        )
    for p in g["provisions"]:
        parts.append(
            f"<div class='law'><p><b>{_e(p['instrument'])}, {_e(p['section'])}</b> "
            f"{_mark(p['verified'], p['mark'])}</p>"
            f"<p>{_e(p['text'])} <span class='small'>({_e(p['text_status'])})</span></p>"
        )
        if p["original_text"]:
            parts.append(f"<p>{_e(p['original_text'])}</p>")
        parts.append(
            f"<p class='small'><b>Test:</b> {_e(p['link_test'])}<br><b>Offences:</b> "
            f"{_e(', '.join(p['offences']))}<br><b>Victims:</b> {_e(p['victims'])}<br>"
            f"<b>Stages:</b> {_e(', '.join(p['stages']))}<br><b>Who decides:</b> "
            f"{_e(p['decides'])}{' (discretionary)' if p['discretionary'] else ''}</p></div>"
        )
    if g["actip"]:
        parts.append(
            f"<p class='small'><b>{_e(g['actip']['label'])}:</b> {_e(g['actip']['text'])}</p>"
        )
    if g["commonly_charged"]:
        parts.append(
            "<p class='small'><b>Victims here are often charged with:</b> "
            f"{_e(', '.join(g['commonly_charged']))}</p>"
        )
    parts.append("<h2>Questions to ask</h2><ol class='q'>")
    parts += [f"<li>{_e(q)}</li>" for q in g["questions"]]
    parts.append("</ol><h2>Actions to take at this stage</h2><ul>")
    parts += [f"<li><b>R{a['number']}.</b> {_e(a['action'])}</li>" for a in g["actions"]] or [
        "<li>No case action at this stage; see the next stage's guide.</li>"
    ]
    parts.append("</ul><h2>Whom to refer to</h2><ul>")
    parts += [
        f"<li>{_e(r['text'])} <span class='small'>{_e(r['where'])}</span> "
        f"{_mark(r['verified'], r['mark'])}</li>"
        for r in g["referral"]
    ]
    parts.append("</ul>")
    if g["severe"]:
        parts.append("<h2>Severe penalties at stake</h2><ul>")
        parts += [f"<li>{_e(s)}</li>" for s in g["severe"]]
        parts.append("</ul>")
    if g["defences"]:
        parts.append("<h2>General defences</h2><ul>")
        parts += [
            f"<li><b>{_e(d['kind'])}</b> ({_e(d['where'])}): {_e(d['text'])}"
            + (f" <i>Limits: {_e(d['limits'])}</i>" if d["limits"] else "")
            + f" <span class='mark'>[{_e(d['mark'])}]</span></li>"
            for d in g["defences"]
        ]
        parts.append("</ul>")
    if g["age"]:
        parts.append(
            f"<p class='small'><b>Age of criminal responsibility:</b> {_e(g['age']['age'])}. "
            f"{_e(g['age']['detail'])} [{_e(g['age']['mark'])}]</p>"
        )
    parts.append(f"<p class='disclaimer'>{_e(g['disclaimer'])}</p></body></html>")
    return "".join(parts)


def render_pdf(g: dict[str, Any]) -> bytes:
    from npp import pdf

    return pdf.render_pdf(render_html(g))
