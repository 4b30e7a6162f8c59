"""HTCDS v2.0 rows for NPP cases, both ways, with validation (no database).

HTCDS (IOM's Human Trafficking Case Data Standard, CC BY 4.0) has person (``prs_``),
victim-context (``vic_``), case (``cas_``) and organisation (``org_``) fields, but nothing for
the criminal-justice side: the offence a victim is charged with, the stage, the
non-punishment assessment, the decision and who took it. Those travel in ``npp_`` extension
fields. Where HTCDS has a picklist, its value names are used; where our codes are finer
than the picklist (e.g. means of control), the exact codes also travel in ``npp_`` fields so
a round trip through this format loses nothing.

One row per case (person). Multi-valued fields are joined with ``;``. Decisions and
referrals, which are lists of records, are JSON arrays in ``npp_Decisions`` and
``npp_Referrals``; the latest decision is also spelt out in flat fields.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------- picklists

GENDER = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming", None: "Unknown"}
GENDER_BACK = {v: k for k, v in GENDER.items()}
TRAFFICKING_STATUS = {
    "potential": "PossibleVictimOfTrafficking",
    "formal": "ActualVictimOfTrafficking",
    "none": "NotAVictimOfTrafficking",
}
TRAFFICKING_STATUS_BACK = {v: k for k, v in TRAFFICKING_STATUS.items()}
DECISION_MAKING_ORG = (
    "Police",
    "NGO",
    "CourtOrProsecution",
    "NonPoliceGovernmentalOrganization",
    "Other",
)
EXPLOITATION = {
    "sexual_exploitation": "SexualExploitation",
    "forced_labour": "ForcedLabour",
    "slavery_or_similar": "Servitude",
    "servitude": "Servitude",
    "organ_removal": "OrganRemoval",
    "forced_criminality": "Other",
    "forced_begging": "ForcedBegging",
    "forced_marriage": "ForcedMarriage",
}
EXPLOITATION_VALUES = (
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedMilitaryByNonStateActors",
    "OrganRemoval",
    "ForcedBegging",
    "ForcedAdoption",
    "Surrogacy",
    "Other",
)
EXPLOITATION_BACK = {
    "SexualExploitation": "sexual_exploitation",
    "ForcedLabour": "forced_labour",
    "ChildLabour": "forced_labour",
    "Servitude": "servitude",
    "OrganRemoval": "organ_removal",
    "ForcedBegging": "forced_begging",
    "ForcedMarriage": "forced_marriage",
}
METHODS_OF_CONTROL = {
    "threat": "Threats",
    "force": "PhysicalAbuse",
    "coercion": "Threats",
    "abduction": "RestrictsMovement",
    "fraud": "FalsePromises",
    "deception": "FalsePromises",
    "abuse_of_power": "Other",
    "abuse_of_vulnerability": "Other",
    "payments_to_person_in_control": "Other",
    "debt_bondage": "DebtBondage",
    "psychological_manipulation": "PsychologicalAbuse",
}
METHODS_OF_CONTROL_VALUES = (
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
)
METHODS_BACK = {
    "DebtBondage": "debt_bondage",
    "Threats": "threat",
    "PhysicalAbuse": "force",
    "SexualAbuse": "force",
    "FalsePromises": "deception",
    "PsychologicalAbuse": "psychological_manipulation",
    "RestrictsMovement": "coercion",
    "WithholdsDocuments": "coercion",
    "ThreatOfLawEnforcement": "threat",
}
CASE_STATUS = ("Active", "FollowUp", "Closed", "ClosedReferred")
ORG_TYPE = {
    "police": "LawEnforcement",
    "immigration": "ImmigrationService",
    "labour_inspectorate": "CentralGovernmentOrganisation",
    "prosecution": "LegalService",
    "defence": "LegalService",
    "court": "LegalService",
    "ngo": "NGO",
    "ministry": "CentralGovernmentOrganisation",
    "regional_body": "CentralGovernmentOrganisation",
}

# --------------------------------------------------------------------------- columns

IDENTITY_COLUMNS = (
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "npp_Aliases",
    "npp_OffenceDescriptions",
)
HTCDS_COLUMNS = (
    "org_Name",
    "org_Type",
    "org_ShippingCountry",
    "org_ShippingState",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "cas_Status",
    "cas_CaseOwner",
    "cas_ReferredOrganisation",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
)
NPP_COLUMNS = (
    "npp_CaseReference",
    "npp_Jurisdiction",
    "npp_Province",
    "npp_FirstContactDate",
    "npp_OffenceDate",
    "npp_Stage",
    "npp_AgeAtOffence",
    "npp_AgeDisputed",
    "npp_IdentifiedBy",
    "npp_OffencesCharged",
    "npp_OffenceDescriptions",
    "npp_Aliases",
    "npp_Acts",
    "npp_Means",
    "npp_Purposes",
    "npp_Compelled",
    "npp_DirectConsequence",
    "npp_UnderControlAtOffence",
    "npp_Indicators",
    "npp_PotentialVictim",
    "npp_AssessmentOutcomes",
    "npp_RiskFlags",
    "npp_Decision",
    "npp_DecisionStage",
    "npp_DecisionMaker",
    "npp_DecisionDate",
    "npp_DecisionOffence",
    "npp_Decisions",
    "npp_Referrals",
)
COLUMNS = HTCDS_COLUMNS + NPP_COLUMNS

# --------------------------------------------------------------------------- records


@dataclass
class CaseRecord:
    """A case as exchanged: facts (contract §1), identity, timeline. No database ids."""

    facts: dict[str, Any]
    reference: str = ""
    organisation: str = ""
    organisation_name: str = ""
    organisation_kind: str = ""
    province: str = ""
    first_contact: dt.date | None = None
    closed: bool = False
    identity: dict[str, str] = field(default_factory=dict)
    potential_victim: bool | None = None
    outcomes: list[str] = field(default_factory=list)
    risk_flags: list[str] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)


def _join(values: Iterable[Any] | None) -> str:
    return ";".join(str(v) for v in values or [] if v not in (None, ""))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _decision_org(identified_by: str | None) -> str:
    text = (identified_by or "").lower()
    if not text:
        return ""
    if "police" in text:
        return "Police"
    if "ngo" in text or "shelter" in text:
        return "NGO"
    if "court" in text or "prosecut" in text:
        return "CourtOrProsecution"
    if "ministry" in text or "department" in text or "social" in text or "immigration" in text:
        return "NonPoliceGovernmentalOrganization"
    return "Other"


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def to_row(rec: CaseRecord, *, with_identity: bool = False) -> dict[str, str]:
    """One HTCDS + ``npp_`` row. Identity fields are empty unless ``with_identity``."""
    f = rec.facts
    person = f.get("person") or {}
    traf = f.get("trafficking") or {}
    offences = f.get("offences") or []
    latest = rec.decisions[-1] if rec.decisions else {}
    referral = rec.referrals[-1] if rec.referrals else {}
    open_referral = any(
        r.get("status") in {"pending", "accepted", "in_progress"} for r in rec.referrals
    )
    ident = rec.identity if with_identity else {}
    name = (ident.get("full_name") or "").split()
    row = {
        "org_Name": rec.organisation_name,
        "org_Type": ORG_TYPE.get(rec.organisation_kind, ""),
        "org_ShippingCountry": f.get("jurisdiction", ""),
        "org_ShippingState": rec.province,
        "prs_FirstName": " ".join(name[:-1]) if len(name) > 1 else " ".join(name),
        "prs_SecondName": name[-1] if len(name) > 1 else "",
        "prs_Birthdate": ident.get("date_of_birth", ""),
        "prs_Gender": GENDER.get(person.get("sex"), "Unknown"),
        "prs_Citizenship": person.get("nationality") or "",
        "prs_IdentityNumber": ident.get("document_numbers", ""),
        "prs_MobilePhone": ident.get("contact", ""),
        "vic_TraffickingStatus": TRAFFICKING_STATUS.get(person.get("victim_status") or "", ""),
        "vic_TraffickingStatusDecisionMakingOrg": _decision_org(person.get("identified_by")),
        "vic_TypeOfExploitation": _join(
            _unique(EXPLOITATION.get(p, "Other") for p in traf.get("purposes") or [])
        ),
        "vic_MethodsOfControl": _join(
            _unique(METHODS_OF_CONTROL.get(m, "Other") for m in traf.get("means") or [])
        ),
        "cas_Status": "Closed" if rec.closed else ("FollowUp" if open_referral else "Active"),
        "cas_CaseOwner": rec.organisation,
        "cas_ReferredOrganisation": referral.get("to", ""),
        "cas_OutgoingReferralDate": referral.get("created", ""),
        "cas_OutgoingReferralDetails": referral.get("purpose", ""),
        "npp_CaseReference": rec.reference,
        "npp_Jurisdiction": f.get("jurisdiction", ""),
        "npp_Province": rec.province,
        "npp_FirstContactDate": rec.first_contact.isoformat() if rec.first_contact else "",
        "npp_OffenceDate": str(f.get("offence_date") or ""),
        "npp_Stage": f.get("stage") or "",
        "npp_AgeAtOffence": "" if person.get("age") is None else str(person["age"]),
        "npp_AgeDisputed": _bool(person.get("age_disputed")),
        "npp_IdentifiedBy": person.get("identified_by") or "",
        "npp_OffencesCharged": _join(o.get("category") for o in offences),
        "npp_OffenceDescriptions": (
            json.dumps([o.get("description") for o in offences], ensure_ascii=False)
            if with_identity and any(o.get("description") for o in offences)
            else ""
        ),
        "npp_Aliases": ident.get("aliases", ""),
        "npp_Acts": _join(traf.get("acts")),
        "npp_Means": _join(traf.get("means")),
        "npp_Purposes": _join(traf.get("purposes")),
        "npp_Compelled": _bool(traf.get("compelled")),
        "npp_DirectConsequence": _bool(traf.get("direct_consequence")),
        "npp_UnderControlAtOffence": _bool(traf.get("under_control_at_offence")),
        "npp_Indicators": _join(f.get("indicators")),
        "npp_PotentialVictim": _bool(rec.potential_victim),
        "npp_AssessmentOutcomes": _join(rec.outcomes),
        "npp_RiskFlags": _join(rec.risk_flags),
        "npp_Decision": latest.get("decision", ""),
        "npp_DecisionStage": latest.get("stage", ""),
        "npp_DecisionMaker": latest.get("decided_by", ""),
        "npp_DecisionDate": latest.get("on", ""),
        "npp_DecisionOffence": latest.get("offence", ""),
        "npp_Decisions": json.dumps(rec.decisions, ensure_ascii=False) if rec.decisions else "",
        "npp_Referrals": json.dumps(rec.referrals, ensure_ascii=False) if rec.referrals else "",
    }
    return {c: row.get(c, "") for c in COLUMNS}


# --------------------------------------------------------------------------- import

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.problem}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "problem": self.problem}


def _date(row: Mapping[str, str], col: str, n: int, out: list[RowProblem]) -> dt.date | None:
    v = (row.get(col) or "").strip()
    if not v:
        return None
    if _DATE.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    out.append(RowProblem(n, col, f"must be a date in the form YYYY-MM-DD (got {v!r})"))
    return None


def _tribool(row: Mapping[str, str], col: str, n: int, out: list[RowProblem]) -> bool | None:
    v = (row.get(col) or "").strip().lower()
    if v == "":
        return None
    if v in {"true", "1", "yes"}:
        return True
    if v in {"false", "0", "no"}:
        return False
    out.append(RowProblem(n, col, f"must be true, false or empty (got {row.get(col)!r})"))
    return None


def _picklist(
    row: Mapping[str, str], col: str, allowed: Iterable[str], n: int, out: list[RowProblem]
) -> list[str]:
    values = _split(row.get(col) or "")
    allowed = list(allowed)
    for v in values:
        if v not in allowed:
            out.append(
                RowProblem(n, col, f"unknown value {v!r} (HTCDS picklist: {', '.join(allowed)})")
            )
    return [v for v in values if v in allowed]


def _json_list(
    row: Mapping[str, str], col: str, n: int, out: list[RowProblem]
) -> list[dict[str, Any]]:
    v = (row.get(col) or "").strip()
    if not v:
        return []
    try:
        data = json.loads(v)
    except json.JSONDecodeError as exc:
        out.append(RowProblem(n, col, f"is not valid JSON: {exc.msg}"))
        return []
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        out.append(RowProblem(n, col, "must be a JSON array of objects"))
        return []
    return data


def from_row(
    row: Mapping[str, str],
    n: int,
    *,
    decisions: Mapping[str, str],
    stages: Iterable[str],
) -> tuple[CaseRecord | None, list[RowProblem]]:
    """Read one row (``n`` is its number in the file, for the report).

    ``decisions`` maps each decision code to the stage it belongs to (the web app's
    vocabulary); ``stages`` lists the stage codes. Facts are checked by the engine later; here
    the format, dates, picklists and the timeline are checked.
    """
    out: list[RowProblem] = []
    stages = list(stages)
    unknown = [c for c in row if c and c not in COLUMNS]
    for c in unknown:
        if c.startswith(("prs_", "vic_", "cas_", "org_", "per_", "hte_", "spl_", "con_", "cco_")):
            continue  # other HTCDS fields: accepted, not stored
        out.append(RowProblem(n, c, "is not a known column (HTCDS v2.0 or npp_ extension)"))
    jurisdiction = (row.get("npp_Jurisdiction") or row.get("org_ShippingCountry") or "").strip()
    if not jurisdiction:
        out.append(RowProblem(n, "npp_Jurisdiction", "is required"))
    offences = _split(row.get("npp_OffencesCharged") or "")
    if not offences:
        out.append(
            RowProblem(n, "npp_OffencesCharged", "is required (at least one offence category)")
        )
    gender = (row.get("prs_Gender") or "").strip()
    sex = None
    if gender:
        if gender not in GENDER_BACK:
            out.append(
                RowProblem(
                    n,
                    "prs_Gender",
                    f"unknown value {gender!r} (HTCDS picklist: {', '.join(GENDER.values())})",
                )
            )
        else:
            sex = GENDER_BACK[gender]
    status_raw = (row.get("vic_TraffickingStatus") or "").strip()
    status = None
    if status_raw:
        if status_raw not in TRAFFICKING_STATUS_BACK:
            out.append(
                RowProblem(
                    n,
                    "vic_TraffickingStatus",
                    f"unknown value {status_raw!r} "
                    f"(HTCDS picklist: {', '.join(TRAFFICKING_STATUS_BACK)})",
                )
            )
        else:
            status = TRAFFICKING_STATUS_BACK[status_raw]
    org_decider = (row.get("vic_TraffickingStatusDecisionMakingOrg") or "").strip()
    if org_decider and org_decider not in DECISION_MAKING_ORG:
        out.append(
            RowProblem(
                n,
                "vic_TraffickingStatusDecisionMakingOrg",
                f"unknown value {org_decider!r} (HTCDS picklist: {', '.join(DECISION_MAKING_ORG)})",
            )
        )
    exploitation = _picklist(row, "vic_TypeOfExploitation", EXPLOITATION_VALUES, n, out)
    methods = _picklist(row, "vic_MethodsOfControl", METHODS_OF_CONTROL_VALUES, n, out)
    cas_status = (row.get("cas_Status") or "").strip()
    if cas_status and cas_status not in CASE_STATUS:
        out.append(
            RowProblem(
                n,
                "cas_Status",
                f"unknown value {cas_status!r} (HTCDS picklist: {', '.join(CASE_STATUS)})",
            )
        )
    age_raw = (row.get("npp_AgeAtOffence") or "").strip()
    age: int | None = None
    if age_raw:
        if age_raw.isdigit():
            age = int(age_raw)
        else:
            out.append(
                RowProblem(n, "npp_AgeAtOffence", f"must be a whole number (got {age_raw!r})")
            )
    birth = _date(row, "prs_Birthdate", n, out)
    offence_date = _date(row, "npp_OffenceDate", n, out)
    first_contact = _date(row, "npp_FirstContactDate", n, out)
    if age is None and birth and offence_date:
        age = (
            offence_date.year
            - birth.year
            - ((offence_date.month, offence_date.day) < (birth.month, birth.day))
        )
    stage = (row.get("npp_Stage") or "").strip() or None
    if stage and stage not in stages:
        out.append(
            RowProblem(n, "npp_Stage", f"must be one of {', '.join(stages)} (got {stage!r})")
        )
    purposes = _split(row.get("npp_Purposes") or "") or _unique(
        EXPLOITATION_BACK[e] for e in exploitation if e in EXPLOITATION_BACK
    )
    means = _split(row.get("npp_Means") or "") or _unique(
        METHODS_BACK[m] for m in methods if m in METHODS_BACK
    )
    descriptions: list[Any] = []
    if (row.get("npp_OffenceDescriptions") or "").strip():
        try:
            descriptions = json.loads(row["npp_OffenceDescriptions"])
            if not isinstance(descriptions, list):
                raise ValueError
        except ValueError:
            out.append(RowProblem(n, "npp_OffenceDescriptions", "must be a JSON array of texts"))
            descriptions = []
    facts: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "offence_date": offence_date.isoformat() if offence_date else None,
        "stage": stage,
        "person": {
            "age": age,
            "age_disputed": _tribool(row, "npp_AgeDisputed", n, out),
            "sex": sex,
            "nationality": (row.get("prs_Citizenship") or "").strip().split(";")[0] or None,
            "victim_status": status,
            "identified_by": (row.get("npp_IdentifiedBy") or "").strip() or org_decider or None,
        },
        "offences": [
            {
                "category": c,
                **(
                    {"description": descriptions[i]}
                    if i < len(descriptions) and descriptions[i]
                    else {}
                ),
            }
            for i, c in enumerate(offences)
        ],
        "trafficking": {
            "acts": _split(row.get("npp_Acts") or "") or None,
            "means": means or None,
            "purposes": purposes or None,
            "compelled": _tribool(row, "npp_Compelled", n, out),
            "direct_consequence": _tribool(row, "npp_DirectConsequence", n, out),
            "under_control_at_offence": _tribool(row, "npp_UnderControlAtOffence", n, out),
        },
        "indicators": _split(row.get("npp_Indicators") or ""),
    }
    timeline = _json_list(row, "npp_Decisions", n, out)
    if not timeline and (row.get("npp_Decision") or "").strip():
        timeline = [
            {
                "decision": row.get("npp_Decision", "").strip(),
                "stage": (row.get("npp_DecisionStage") or "").strip(),
                "decided_by": (row.get("npp_DecisionMaker") or "").strip(),
                "on": (row.get("npp_DecisionDate") or "").strip(),
                "offence": (row.get("npp_DecisionOffence") or "").strip(),
            }
        ]
    clean: list[dict[str, Any]] = []
    for i, d in enumerate(timeline):
        where = (
            f"npp_Decisions[{i}]" if (row.get("npp_Decisions") or "").strip() else "npp_Decision"
        )
        code = str(d.get("decision") or "")
        if code not in decisions:
            out.append(RowProblem(n, where, f"unknown decision {code!r}"))
            continue
        st = str(d.get("stage") or decisions[code])
        if st not in stages:
            out.append(RowProblem(n, where, f"unknown stage {st!r}"))
            continue
        if not str(d.get("decided_by") or "").strip():
            out.append(
                RowProblem(
                    n,
                    where,
                    "decided_by (npp_DecisionMaker) is required: who decided, role and office",
                )
            )
            continue
        on_raw = str(d.get("on") or "")
        try:
            on = dt.date.fromisoformat(on_raw)
        except ValueError:
            out.append(RowProblem(n, where, f"date must be YYYY-MM-DD (got {on_raw!r})"))
            continue
        offence = str(d.get("offence") or "")
        if offence and offence not in offences:
            out.append(RowProblem(n, where, f"offence {offence!r} is not in npp_OffencesCharged"))
            continue
        clean.append(
            {
                "decision": code,
                "stage": st,
                "decided_by": str(d["decided_by"]).strip(),
                "on": on,
                "offence": offence,
            }
        )
    referrals = _json_list(row, "npp_Referrals", n, out)
    identity = {
        "full_name": " ".join(
            p
            for p in (
                (row.get("prs_FirstName") or "").strip(),
                (row.get("prs_SecondName") or "").strip(),
            )
            if p
        ),
        "date_of_birth": birth.isoformat() if birth else "",
        "document_numbers": (row.get("prs_IdentityNumber") or "").strip(),
        "contact": (row.get("prs_MobilePhone") or "").strip(),
        "aliases": (row.get("npp_Aliases") or "").strip(),
    }
    if out:
        return None, out
    rec = CaseRecord(
        facts=facts,
        reference=(row.get("npp_CaseReference") or "").strip(),
        province=(row.get("npp_Province") or row.get("org_ShippingState") or "").strip(),
        first_contact=first_contact,
        closed=cas_status in {"Closed", "ClosedReferred"},
        identity={k: v for k, v in identity.items() if v},
        decisions=clean,
        referrals=referrals,
    )
    return rec, []
