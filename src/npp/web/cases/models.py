"""Cases. Identifying data and every free-text field are encrypted at rest.

Only :mod:`npp.web.cases.actions` writes these models (and audits each write); only
:mod:`npp.web.access` decides who may read a case.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from npp.web.accounts.models import Organisation
from npp.web.cases.vocab import (
    OPEN_REFERRAL,
    STAGES,
    EventKind,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
)
from npp.web.crypto import EncryptedJSONField, EncryptedTextField

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
assert len(ALPHABET) == 32  # new_reference relies on it


def new_reference(jurisdiction: str) -> str:
    """``TH-`` and eight characters of ALPHABET from the system's CSPRNG (40 bits: a
    reference tells nothing and cannot be guessed). 256 is a multiple of the alphabet's 32
    letters, so ``byte % 32`` picks each letter equally often; one call for all eight is what
    lets an import make 100,000 references in a fraction of a second."""
    return f"{jurisdiction}-" + "".join(ALPHABET[b % 32] for b in secrets.token_bytes(8))


class Case(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    closed = models.BooleanField(default=False)
    # Contract §1 facts (encrypted: offence descriptions are free text).
    facts: Any = EncryptedJSONField()
    # Not identifying; kept in clear for lists and statistics.
    jurisdiction = models.CharField(max_length=2)
    province = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=30, choices=STAGES, default="identification")
    potential_victim = models.BooleanField(null=True)
    child = models.BooleanField(null=True)
    risk_flags = models.JSONField(default=list)

    class Meta:
        ordering = ["-updated_at"]  # noqa: RUF012

    def __str__(self) -> str:
        return self.reference


class Person(models.Model):
    """Who the case is about. Every field is encrypted with the application key."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="person")
    full_name: Any = EncryptedTextField(blank=True, default="")
    aliases: Any = EncryptedTextField(blank=True, default="")
    date_of_birth: Any = EncryptedTextField(blank=True, default="")
    document_numbers: Any = EncryptedTextField(blank=True, default="")
    contact: Any = EncryptedTextField(blank=True, default="")

    FIELDS = ("full_name", "aliases", "date_of_birth", "document_numbers", "contact")

    def initials(self) -> str:
        return "".join(w[0] for w in self.full_name.split() if w)[:4].upper()


class CaseOffence(models.Model):
    """One offence of the case with its current outcome (for lists and statistics)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=60)
    outcome = models.CharField(max_length=40)

    class Meta:
        ordering = ["position"]  # noqa: RUF012


class Assessment(models.Model):
    """Every assessment the case has had: facts change, the history stays."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=30)
    law_date = models.DateField()
    facts: Any = EncryptedJSONField()
    document: Any = EncryptedJSONField()

    class Meta:
        ordering = ["-number"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["case", "number"], name="assessment_number_unique")
        ]


class CaseEvent(models.Model):
    """The timeline: what was decided, at which stage, by whom and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    stage = models.CharField(max_length=30, choices=STAGES)
    decision = models.CharField(max_length=40, blank=True)
    offence = models.CharField(max_length=60, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)  # who decided (role, office)
    reasons: Any = EncryptedTextField(blank=True, default="")
    occurred_on = models.DateField(default=dt.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]  # noqa: RUF012


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    purpose = models.CharField(max_length=40, choices=ReferralPurpose.choices)
    kind = models.CharField(
        max_length=10, choices=ReferralKind.choices, default=ReferralKind.SERVICE
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    share_identity = models.BooleanField(default=False)
    note: Any = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "pk"]  # noqa: RUF012

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class ExchangeFields(models.Model):
    """The HTCDS v2.0 fields a file gave for this case, exactly as given (all encrypted).

    HTCDS can say more than the case record holds (consent, recruitment, address, history of
    trafficking events...) and some of its values have no exact counterpart here; they are
    kept so that the case is exported again as it was received (npp.exchange.project).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="exchange")
    fields: Any = EncryptedJSONField()
    source_reference = models.CharField(max_length=100, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
