"""The decision record: the latest assessment and the case's decisions, with citations (PDF).

WeasyPrint renders the same template language as the pages; the stylesheet names Noto fonts
so Thai, Khmer, Lao and Burmese text is shaped correctly (Debian: fonts-noto-core).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from npp.web.cases.models import Case, Person
from npp.web.cases.present import present
from npp.web.cases.vocab import DECISION_LABELS, STAGE_LABELS


def decision_record(case: Case, user: Any, *, with_identity: bool) -> bytes:
    from weasyprint import HTML  # heavy: imported when a PDF is asked for

    latest = case.assessments.order_by("-number").first()
    ctx: dict[str, Any] = present(latest.document) if latest else {}
    person = Person.objects.filter(case=case).first() if with_identity else None
    ctx.update(
        {
            "case": case,
            "assessment": latest,
            "person": person,
            "stage_label": STAGE_LABELS.get(case.stage, case.stage),
            "events": [
                {
                    "ev": ev,
                    "stage_label": STAGE_LABELS.get(ev.stage, ev.stage),
                    "decision_label": DECISION_LABELS.get(ev.decision, ev.decision),
                }
                for ev in case.events.filter(kind="decision").select_related("recorded_by")
            ],
            "generated_at": timezone.now(),
            "generated_by": user,
            "lang": get_language(),
        }
    )
    html = render_to_string("cases/record_pdf.html", ctx)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
