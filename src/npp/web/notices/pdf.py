"""The one-page notice PDF: the claims in words, in the person's language and in English,
and the JWS itself as a QR code that any verifier can scan.

All PDF output goes through :func:`_write_pdf`, the one place that calls WeasyPrint (to be
that is :func:`npp.pdf.render_pdf`, with the bundled Noto fonts).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from django.template.loader import render_to_string

from npp.pdf import render_pdf
from npp.web.notices.labels import LABELS, LANGUAGE_OF, labels_for
from npp.web.notices.models import IssuedNotice


def _write_pdf(html: str) -> bytes:
    """Render with the bundled fonts, so the person's script prints on any host."""
    return render_pdf(html)


def qr_png(data: str) -> bytes:
    """The QR code of ``data`` as PNG (error correction M: survives a creased page)."""
    import qrcode
    import qrcode.constants

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


def _day(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()


def notice_context(notice: IssuedNotice) -> dict[str, Any]:
    c = notice.claims
    person = c["person"]
    lang = LANGUAGE_OF.get(person.get("nationality") or "", "en")
    rows = [
        ("name", f"{person.get('given_name', '')} {person['family_name']}".strip()),
        ("date_of_birth", person.get("date_of_birth") or "—"),
        ("nationality", person.get("nationality") or "—"),
        ("document", person.get("document_number") or "—"),
        ("identified_on", c["identified_on"]),
        ("valid", f"{_day(c['nbf'])} – {_day(c['exp'])}"),
        ("issued_by", f"{notice.organisation.name} ({c['iss']}, {c['jur']})"),
        ("notice", c["jti"]),
    ]
    if c.get("contact"):
        rows.append(("contact", c["contact"]))
    local = labels_for(lang)
    english = LABELS["en"]
    return {
        "lang": lang,
        "bilingual": lang != "en",
        "local": local,
        "en": english,
        "status": c["status"],
        "rows": [(local[k], english[k], v) for k, v in rows],
        "qr": base64.b64encode(qr_png(notice.jws)).decode("ascii"),
    }


def notice_pdf(notice: IssuedNotice) -> bytes:
    return _write_pdf(render_to_string("notices/notice_pdf.html", notice_context(notice)))
