"""A printable workbook per role and state: scenarios, questions, and the answers at the end.

The answers are the engine's key and the assessment's own explanation, with citations, as on
the practice pages. The PDF is produced by :func:`_write_pdf`, the one place that calls the
shared PDF renderer (:func:`npp.pdf.render_pdf`, with its bundled fonts).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from npp.assessment.engine import Engine
from npp.training.loader import Catalogue
from npp.training.practice import assessment, feedback, grade, key, questions_doc

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
html { font-family: "Noto Sans", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao",
  "Noto Sans Myanmar", sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
h1 { font-size: 18pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm;
  border-bottom: 0.6pt solid #333; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
.scenario { break-before: page; } .answers { break-before: page; }
.meta { color: #444; font-size: 9pt; } .narrative { border-left: 2pt solid #0072B2;
  padding-left: 3mm; } ol.q > li { margin-bottom: 3mm; } .opts { list-style: none;
  padding-left: 2mm; margin: 1mm 0; } .opts li::before { content: "\\2610  "; }
.lines { border-bottom: 0.4pt solid #999; height: 7mm; } .fb { font-size: 8.5pt; color: #333; }
.fb p { margin: 0.5mm 0; } .cite { color: #555; font-size: 7.5pt; } .key { font-weight: bold; }
.misc { border: 0.5pt solid #999; padding: 2mm; margin: 2mm 0; font-size: 9pt; }
.disclaimer { font-size: 8pt; color: #333; margin-top: 5mm; }
"""


def _e(v: Any) -> str:
    return escape(str(v if v is not None else ""))


def workbook_html(engine: Engine, cat: Catalogue, role: str, cc: str) -> str:
    kb = engine.kb
    state = kb.vocabulary.jurisdictions[cc]
    chosen = cat.select(role, cc)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(state)}: {_e(role)} workbook</title><style>{CSS}</style></head><body>",
        "<h1>Non-punishment of victims of trafficking: practice workbook</h1>",
        f"<p class='meta'>{_e(state)} · role: {_e(role)} · {len(chosen)} scenario(s) · "
        f"keys as given by NPP Navigator on {dt.date.today().isoformat()}</p>",
        "<p>Read each scenario as the practitioner would meet it, then answer the questions. "
        "The answers at the end are what the assessment engine gives for the facts, with the "
        "law it relies on. Scenarios are fictional and written from the patterns in the study "
        "(ASEAN-ACT, non-punishment principle in ASEAN).</p>",
        "<h2>Contents</h2><ol>",
        *[f"<li>{_e(s.title)} ({_e(kb.vocabulary.stages[s.stage])})</li>" for s in chosen],
        "</ol>",
    ]
    for n, s in enumerate(chosen, 1):
        k = key(engine, s)
        parts += [
            f"<section class='scenario'><h2>{n}. {_e(s.title)}</h2>",
            f"<p class='meta'>{_e(state)} · {_e(kb.vocabulary.stages[s.stage])} · "
            f"law in force on {_e(s.facts.get('offence_date'))}</p>",
            f"<p class='narrative'>{_e(s.narrative)}</p><ol class='q'>",
        ]
        for q in questions_doc(engine, s, role, k):
            parts.append(f"<li><p>{_e(q['prompt'])}</p>")
            if q["options"]:
                parts.append("<ul class='opts'>")
                parts += [f"<li>{_e(o['label'])}</li>" for o in q["options"]]
                parts.append("</ul>")
            else:
                parts.append("<div class='lines'></div>" * 4)
            parts.append("</li>")
        parts.append("</ol></section>")
    parts.append("<section class='answers'><h1>Answers</h1>")
    for n, s in enumerate(chosen, 1):
        k = key(engine, s)
        doc = assessment(engine, s).document
        parts.append(f"<h2>{n}. {_e(s.title)}</h2><ol class='q'>")
        for q in questions_doc(engine, s, role, k):
            if q["kind"] == "discussion":
                parts.append(f"<li><p><i>For discussion:</i> {_e(q['prompt'])}</p></li>")
                continue
            qobj = s.questions[int(q["id"][1:]) - 1]
            labels = {o["value"]: o["label"] for o in q["options"]}
            g = grade(cat, s, qobj, k, [])
            answer = "; ".join(labels.get(v, v) for v in g.expected) or "none"
            parts.append(f"<li><p class='key'>{_e(answer)}</p><div class='fb'>")
            for line in feedback(doc, qobj):
                pad = line["depth"] * 4
                cites = "; ".join(line["citations"])
                parts.append(
                    f"<p style='margin-left:{pad}mm'>{_e(line['text'])}"
                    + (f" <span class='cite'>[{_e(cites)}]</span>" if cites else "")
                    + "</p>"
                )
            parts.append("</div></li>")
        parts.append("</ol>")
        for m in s.misconceptions:
            mc = cat.misconceptions[m]
            cites = "; ".join(kb.cite(c).label() for c in mc.citations)
            parts.append(
                f"<div class='misc'><b>Misconception: “{_e(mc.claim)}”</b><br>"
                f"{_e(mc.explanation)} <span class='cite'>[{_e(cites)}; "
                f"study: {_e(mc.study_locator)}]</span></div>"
            )
    parts.append(f"<p class='disclaimer'>{_e(_disclaimer())}</p></section></body></html>")
    return "".join(parts)


def _disclaimer() -> str:
    from npp.assessment.engine import DISCLAIMER

    return DISCLAIMER


def _write_pdf(html: str) -> bytes:
    """The one call of the PDF renderer: the shared one, with the bundled Noto fonts, so
    Thai, Khmer, Lao and Burmese workbooks print on any host."""
    from npp.pdf import render_pdf  # WeasyPrint is heavy: imported when a PDF is asked for

    return render_pdf(html)


def workbook_pdf(engine: Engine, cat: Catalogue, role: str, cc: str) -> bytes:
    return _write_pdf(workbook_html(engine, cat, role, cc))
