"""Codes of the case record: decisions at each stage, referral purposes and statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

STAGES = [
    ("identification", _("Identification and investigation")),
    ("arrest_and_charge", _("Arrest and charge")),
    ("prosecution", _("Prosecution")),
    ("trial", _("Trial")),
    ("sentencing", _("Conviction and sentencing")),
    ("post_conviction", _("Post-conviction")),
]
STAGE_CODES = [s for s, _label in STAGES]
STAGE_LABELS = dict(STAGES)

#: Decisions that can be recorded, by the stage at which they are usually taken.
DECISIONS: dict[str, list[tuple[str, object]]] = {
    "identification": [
        ("screened", _("Screened for trafficking indicators")),
        ("referred_for_identification", _("Referred for formal identification")),
        ("identified_as_victim", _("Formally identified as a victim")),
        ("not_identified", _("Not identified as a victim")),
        ("declined_identification", _("The person does not want to be identified as a victim")),
        ("age_established", _("Age established")),
    ],
    "arrest_and_charge": [
        ("not_arrested", _("Not arrested")),
        ("released_without_charge", _("Released without charge")),
        ("not_charged", _("Not charged")),
        ("charged", _("Charged")),
        ("ministerial_permission_sought", _("Ministerial permission sought")),
        ("ministerial_permission_refused", _("Ministerial permission refused")),
        ("ministerial_permission_given", _("Ministerial permission given")),
        ("detention_avoided", _("Immigration detention avoided")),
    ],
    "prosecution": [
        ("charge_withdrawn", _("Charge withdrawn")),
        ("prosecution_discontinued", _("Prosecution discontinued")),
        ("diverted", _("Diverted from prosecution")),
        ("prosecution_continued", _("Prosecution continued")),
    ],
    "trial": [
        ("defence_raised", _("Defence raised")),
        ("acquitted", _("Acquitted")),
        ("case_dismissed", _("Case dismissed")),
        ("convicted", _("Convicted")),
    ],
    "sentencing": [
        ("sentence_mitigated", _("Sentence mitigated")),
        ("non_custodial_sentence", _("Non-custodial sentence")),
        ("discharged", _("Discharged without penalty")),
        ("capital_or_corporal_avoided", _("Capital or corporal punishment avoided")),
        ("sentenced", _("Sentenced")),
    ],
    "post_conviction": [
        ("appeal_lodged", _("Appeal lodged")),
        ("conviction_quashed", _("Conviction quashed")),
        ("record_cleared", _("Record cleared")),
        ("pardon_granted", _("Pardon granted")),
        ("relief_refused", _("Relief refused")),
    ],
}
#: What a service (shelter, legal aid, medical care, interpretation, safe return) records: the
#: service given, at whatever stage of the case it was given.
SERVICES: list[tuple[str, object]] = [
    ("shelter_provided", _("Shelter provided")),
    ("support_provided", _("Support or counselling provided")),
    ("medical_care_provided", _("Medical care provided")),
    ("interpretation_provided", _("Interpretation provided")),
    ("legal_advice_given", _("Legal advice given")),
    ("return_assisted", _("Safe return assisted")),
]
DECISION_LABELS = {code: label for options in DECISIONS.values() for code, label in options}
DECISION_LABELS.update(SERVICES)
#: Decisions that protect the person (used by statistics: protected vs punished).
PROTECTIVE = {
    "not_arrested",
    "released_without_charge",
    "not_charged",
    "ministerial_permission_refused",
    "detention_avoided",
    "charge_withdrawn",
    "prosecution_discontinued",
    "diverted",
    "acquitted",
    "case_dismissed",
    "sentence_mitigated",
    "non_custodial_sentence",
    "discharged",
    "capital_or_corporal_avoided",
    "conviction_quashed",
    "record_cleared",
    "pardon_granted",
}
PUNITIVE = {"charged", "prosecution_continued", "convicted", "sentenced", "relief_refused"}


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    FACTS_CHANGED = "facts_changed", _("Facts changed; re-assessed")
    STAGE_ADVANCED = "stage_advanced", _("Moved to the next stage")
    DECISION = "decision", _("Decision")
    REFERRAL = "referral", _("Referral")
    REFERRAL_UPDATE = "referral_update", _("Referral follow-up")


class ReferralPurpose(models.TextChoices):
    IDENTIFICATION = "formal_identification", _("Formal identification")
    SHELTER = "shelter_and_support", _("Shelter and support")
    PROSECUTION = "prosecution_review", _("Prosecutorial review")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COURT = "court", _("Court")
    REPATRIATION = "repatriation", _("Safe return")
    OTHER = "other", _("Other")


class ReferralKind(models.TextChoices):
    """What a referral hands over (see docs/referrals.md).

    A **transfer** makes the receiving organisation responsible for the case (the next link of
    the chain: police to prosecution, prosecution to court); the sender keeps read access. A
    **service** referral asks for one thing (shelter, legal aid, identification, ...): the
    receiver reads what is shared and records only its own kind of decisions.
    """

    TRANSFER = "transfer", _("Transfer of responsibility")
    SERVICE = "service", _("Service referral")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL = {ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS}
