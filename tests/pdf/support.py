"""Reading PDFs as a reader (or a search index) does, and the five scripts they must print.

"No system fonts" is a subprocess whose fontconfig configuration is empty (the
``empty_fontconfig`` fixture), so WeasyPrint can only use the fonts the package brings.
"""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    name: str
    lang: str  # the interface language whose catalogue the decision record uses
    jurisdiction: str  # the state whose pocket guide is printed
    who: str  # "public prosecutor" in the script
    what: str  # "victim of (human) trafficking" in the script
    letters: str  # a regular expression matching one letter of the script
    font: str  # the PDF font name (without subset prefix) that must carry it


SCRIPTS = [
    Script("Latin", "en", "PH", "Public Prosecutor", "Victim of trafficking", "[A-Za-z]",
           "Noto-Sans"),
    Script("Thai", "th", "TH", "พนักงานอัยการ", "ผู้เสียหายจากการค้ามนุษย์", "[\u0e00-\u0e7f]",
           "Noto-Sans-Thai"),
    Script("Khmer", "km", "KH", "ព្រះរាជអាជ្ញា", "ជនរងគ្រោះពីការជួញដូរមនុស្ស", "[\u1780-\u17ff]",
           "Noto-Sans-Khmer"),
    Script("Lao", "lo", "LA", "ໄອຍະການ", "ຜູ້ເສຍຫາຍຈາກການຄ້າມະນຸດ", "[\u0e80-\u0eff]",
           "Noto-Sans-Lao"),
    Script("Burmese", "my", "MM", "ရှေ့နေ", "လူကုန်ကူးမှု ခံရသူ", "[\u1000-\u109f]",
           "Noto-Sans-Myanmar"),
]  # fmt: skip


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The embedded fonts' names, without the subset prefix (``ABCDEF+``)."""
    from pypdf import PdfReader

    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for f in (page.get("/Resources") or {}).get("/Font", {}).values():
            name = str(f.get_object().get("/BaseFont")).lstrip("/")
            fonts.add(re.sub(r"^[A-Z]{6}\+", "", name).rstrip(","))
    return fonts


_RENDER = """
import base64, json, sys
from npp.pdf import render_pdf
docs = json.load(sys.stdin)
json.dump([base64.b64encode(render_pdf(h)).decode() for h in docs], sys.stdout)
"""


def render_without_system_fonts(documents: list[str], env: dict[str, str]) -> list[bytes]:
    """Render HTML documents with :func:`npp.pdf.render_pdf` in a process with no fonts."""
    done = subprocess.run(
        [sys.executable, "-c", _RENDER],
        input=json.dumps(documents),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return [base64.b64decode(b) for b in json.loads(done.stdout)]
