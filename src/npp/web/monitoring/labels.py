"""Labels for codes shown on the monitoring pages (from the knowledge base and vocabularies)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

from npp.web.cases.vocab import DECISION_LABELS, STAGE_LABELS

SEX = {"female": _("Female"), "male": _("Male"), "other": _("Other"), "unknown": _("Not known")}
SECTOR = {
    "fishing": _("Fishing"),
    "online_scam": _("Online scam operations"),
    "drug_trade": _("Drug trade"),
    "sex_industry": _("Sex industry"),
    "begging": _("Begging"),
    "forced_marriage": _("Forced marriage"),
    "forced_criminality": _("Other forced criminality"),
    "labour": _("Labour"),
    "unknown": _("Not known"),
}
TYPOLOGY = {
    "status": _("Status offences"),
    "consequential": _("Consequential offences"),
    "liberation": _("Liberation offences"),
    "trafficking": _("Victim turned trafficker"),
    "unknown": _("Not known"),
}
DIMENSION = {
    "jurisdiction": _("State"),
    "stage": _("Current stage"),
    "offence": _("Offence"),
    "typology": _("Offence typology"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "nationality": _("Nationality"),
    "sector": _("Sector"),
    "province": _("Province"),
    "year": _("Year of first contact"),
}
MEASURE = {
    "persons": _("Persons screened"),
    "potential": _("Potential victims"),
    "identified": _("Formally identified"),
    "charged": _("Charged"),
    "protected": _("Protected"),
    "punished": _("Punished after being flagged"),
    "identified_after_charge": _("Identified only after charge"),
    # xgettext:no-python-format
    "protected_pct": _("Protected, % of potential victims"),
    # xgettext:no-python-format
    "punished_pct": _("Punished, % of potential victims"),
    "after_flag": _("Of whom after being flagged"),
}
TIME_BUCKET = {
    "same_day": _("Same day"),
    "1_7": _("1–7 days"),
    "8_30": _("8–30 days"),
    "31_90": _("31–90 days"),
    "91_365": _("91–365 days"),
    "over_365": _("Over a year"),
}


@lru_cache(maxsize=1)
def _kb_labels() -> dict[str, dict[str, str]]:
    from npp import engine

    kb = engine().kb
    return {
        "jurisdiction": dict(kb.vocabulary.jurisdictions),
        "offence": {c: o.label for c, o in kb.offences.items()},
    }


def label(dimension: str, code: Any) -> str:
    code = "" if code is None else str(code)
    if dimension == "jurisdiction":
        return _kb_labels()["jurisdiction"].get(code, code)
    if dimension in {"offence", "category"}:
        return _kb_labels()["offence"].get(code, code)
    if dimension == "stage":
        return str(STAGE_LABELS.get(code, code))
    if dimension == "decision":
        return str(DECISION_LABELS.get(code, code))
    table = {"sex": SEX, "sector": SECTOR, "typology": TYPOLOGY}.get(dimension)
    if table is not None:
        return str(table.get(code, code))
    if code in {"unknown", ""}:
        return str(_("Not known"))
    return code


def choices(dimension: str, codes: Any) -> list[tuple[str, str]]:
    return [(c, label(dimension, c)) for c in codes]
