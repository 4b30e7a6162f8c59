"""The decision record: the latest assessment and the case's decisions, with citations (PDF).

The template is rendered like the pages, then to PDF by :func:`npp.pdf.render_pdf`, which
brings its own Noto fonts: Thai, Khmer, Lao and Burmese text is shaped and embedded the same
way on every server, with no system font installed.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from npp.pdf import render_pdf
from npp.web.cases.models import Case, Person
from npp.web.cases.present import present
from npp.web.cases.vocab import DECISION_LABELS, STAGE_LABELS


def decision_record(case: Case, user: Any, *, with_identity: bool) -> bytes:
    """The decision record as PDF bytes, in the active interface language."""
    return render_pdf(record_html(case, user, with_identity=with_identity))


def record_html(case: Case, user: Any, *, with_identity: bool) -> str:
    """The decision record as an HTML document (what :func:`decision_record` prints)."""
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
    return render_to_string("cases/record_pdf.html", ctx)
