"""The study's measures for one case, from its timeline of decisions (pure, no database).

- **protected**: a decision that protects the person was taken (not charged, withdrawn,
  acquitted, record cleared, ... — the caller passes the set, e.g. the web app's
  ``PROTECTIVE``).
- **punished**: a punitive decision (charged, prosecution continued, convicted, sentenced,
  relief refused — ``PUNITIVE``) taken on or after the day the person was first flagged as
  a potential victim. A decision before the flag is not counted: nobody knew yet.
- **identified_on**: the first formal identification (``identified_as_victim``), or the day
  of first contact when the person arrived already formally identified.
- **identified_after_charge**: identification came only after a charge.
- **days_to_identification**: first contact to formal identification, in days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

IDENTIFIED = "identified_as_victim"
CHARGED = "charged"
PROSECUTED = {"prosecution_continued"}
CONVICTED = {"convicted", "sentenced"}


@dataclass(frozen=True)
class Decision:
    on: dt.date
    stage: str
    decision: str
    offence: str = ""


@dataclass(frozen=True)
class CaseMeasures:
    potential_victim: bool
    flagged_on: dt.date | None
    identified_on: dt.date | None
    charged_on: dt.date | None
    protected: bool
    punished: bool
    charged: bool
    prosecuted: bool
    convicted: bool
    identified_after_charge: bool
    days_to_identification: int | None
    last_decision: str
    decisions: int


def case_measures(
    *,
    opened_on: dt.date,
    potential_victim: bool,
    flagged_on: dt.date | None,
    formally_identified_at_contact: bool,
    decisions: Iterable[Decision],
    protective: Collection[str],
    punitive: Collection[str],
) -> CaseMeasures:
    ds = sorted(decisions, key=lambda d: d.on)
    flagged = flagged_on if potential_victim or flagged_on else None
    if potential_victim and flagged is None:
        flagged = opened_on
    identified_on = opened_on if formally_identified_at_contact else None
    for d in ds:
        if d.decision == IDENTIFIED and identified_on is None:
            identified_on = d.on
    if identified_on is not None and flagged is None:
        flagged = identified_on
    charged_on = next((d.on for d in ds if d.decision == CHARGED), None)
    protected = any(d.decision in protective for d in ds)
    punished = flagged is not None and any(d.decision in punitive and d.on >= flagged for d in ds)
    days = (identified_on - opened_on).days if identified_on else None
    return CaseMeasures(
        potential_victim=potential_victim or identified_on is not None,
        flagged_on=flagged,
        identified_on=identified_on,
        charged_on=charged_on,
        protected=protected,
        punished=punished,
        charged=charged_on is not None,
        prosecuted=any(d.decision in PROSECUTED for d in ds),
        convicted=any(d.decision in CONVICTED for d in ds),
        identified_after_charge=bool(identified_on and charged_on and charged_on < identified_on),
        days_to_identification=max(days, 0) if days is not None else None,
        last_decision=ds[-1].decision if ds else "",
        decisions=len(ds),
    )


def sector_of(offences: Collection[str], purposes: Collection[str]) -> str:
    """A coarse sector from the offences and exploitation purposes (the study's groups).

    Case facts carry no industry field; this is a derived, documented grouping.
    """
    if "fishing.iuu" in offences:
        return "fishing"
    if "fraud.online_scam" in offences:
        return "online_scam"
    if any(o.startswith("drugs.") for o in offences):
        return "drug_trade"
    if "prostitution" in offences or "sexual_exploitation" in purposes:
        return "sex_industry"
    if "begging" in offences or "forced_begging" in purposes:
        return "begging"
    if "forced_marriage" in purposes:
        return "forced_marriage"
    if "forced_criminality" in purposes:
        return "forced_criminality"
    if "labour.work_without_permit" in offences or "forced_labour" in purposes:
        return "labour"
    return "unknown"


SECTORS = (
    "fishing",
    "online_scam",
    "drug_trade",
    "sex_industry",
    "begging",
    "forced_marriage",
    "forced_criminality",
    "labour",
    "unknown",
)
