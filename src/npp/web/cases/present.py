"""An assessment document (contract §1) prepared for a page or a PDF: labels, order, links.

The engine's explanation is the source; this module only adds interface labels (translated)
and groups what a practitioner reads first.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

import npp

OUTCOMES: dict[str, tuple[Any, str]] = {
    "statutory_bar": (_("Protected: the law bars prosecution or punishment"), "good"),
    "ministerial_permission_required": (
        _("Barred unless a minister gives written permission"),
        "good",
    ),
    "conditional": (_("Protected if the link to the trafficking is established"), "warn"),
    "outside_statutory_scope": (_("Outside the statute: use the other routes below"), "bad"),
    "no_statutory_provision": (_("No statutory provision: use the other routes below"), "bad"),
    "not_indicated": (_("No trafficking indicators on these facts"), "neutral"),
    "no_link": (_("The facts say the required link is absent"), "bad"),
}
FLAGS: dict[str, Any] = {
    "capital_punishment": _("Can carry the death penalty"),
    "corporal_punishment": _("Can carry caning or whipping"),
    "child": _("Child, or presumed to be a child"),
    "cross_border": _("Foreign national or identified in another state"),
    "link_contested": _("The link to the trafficking may be disputed"),
    "immigration_detention_or_deportation": _("Risk of immigration detention or removal"),
}
PRESUMPTIONS: dict[str, Any] = {
    "victim_status": _("Treat the person as a victim until formal identification is complete"),
    "minority": _("Presume the person is a child until their age is established"),
}


def offence_label(code: str) -> str:
    try:
        return str(npp.engine().kb.offences[code].label)
    except (KeyError, npp.NppError):
        return code


def present(doc: dict[str, Any]) -> dict[str, Any]:
    cites = {c["id"]: c for c in doc.get("citations", [])}
    offences = []
    for o in doc.get("offences", []):
        label, tone = OUTCOMES.get(o["outcome"], (o["outcome"], "neutral"))
        offences.append(
            {
                **o,
                "label": offence_label(o["category"]),
                "outcome_label": label,
                "tone": tone,
                "penalty_labels": [FLAGS.get(f, f) for f in o.get("penalty_flags", [])],
            }
        )
    return {
        "doc": doc,
        "offences": offences,
        "flags": [{"code": f, "label": FLAGS.get(f, f)} for f in doc.get("risk_flags", [])],
        "presumptions": [
            {"code": p, "label": PRESUMPTIONS.get(p, p)} for p in doc.get("presumptions", [])
        ],
        "actions": doc.get("actions", []),
        "questions": doc.get("questions", []),
        "citations": list(cites.values()),
        "provision": doc.get("provision"),
    }
