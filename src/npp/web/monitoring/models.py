"""The statistics read model: de-identified, generalised rows derived from cases.

Case facts (sex, age, nationality, offences) are encrypted at rest, so statistics cannot be
computed from the case tables in SQL. These tables hold, per case, only generalised
quasi-identifiers (age band, year, nationality code, sector) and the study's measures —
never a name, reference, date of birth, document number or free text — so the dashboard
can aggregate a million cases in SQL and nothing personal can reach it.

They are kept current by :mod:`npp.web.monitoring.signals` (in the transaction of each case
write) and can be rebuilt from the case tables at any time (``npp monitor rebuild``).
``case_id`` is the case's primary key without a foreign key: this is a derived table.
"""

from __future__ import annotations

from django.db import models


class Dimensions(models.Model):
    """Columns shared by every fact table (copied, so each table filters without joins)."""

    jurisdiction = models.CharField(max_length=2)
    province = models.CharField(max_length=100, blank=True)
    month = models.DateField(help_text="first day of the month of first contact")
    year = models.SmallIntegerField()
    stage = models.CharField(max_length=30)
    sex = models.CharField(max_length=8)
    age_band = models.CharField(max_length=8)
    nationality = models.CharField(max_length=8)
    sector = models.CharField(max_length=20)
    typology = models.CharField(max_length=16)
    potential_victim = models.BooleanField(default=False)

    class Meta:
        abstract = True


class CaseFact(Dimensions):
    """One row per case (person)."""

    case_id = models.BigIntegerField(primary_key=True)
    opened_on = models.DateField()
    offences = models.CharField(max_length=400, blank=True)
    flagged_on = models.DateField(null=True)
    identified = models.BooleanField(default=False)
    identified_on = models.DateField(null=True)
    charged = models.BooleanField(default=False)
    prosecuted = models.BooleanField(default=False)
    convicted = models.BooleanField(default=False)
    protected = models.BooleanField(default=False)
    punished = models.BooleanField(default=False)
    identified_after_charge = models.BooleanField(default=False)
    days_to_identification = models.IntegerField(null=True)
    referrals = models.SmallIntegerField(default=0)
    referrals_completed = models.SmallIntegerField(default=0)
    referrals_open = models.SmallIntegerField(default=0)
    next_due = models.DateField(null=True, help_text="earliest due date of an open referral")
    closed = models.BooleanField(default=False)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["jurisdiction", "month"], name="mon_case_jur_month"),
            models.Index(fields=["month"], name="mon_case_month"),
        ]


class OffenceFact(Dimensions):
    """One row per offence of a case, with the assessment's outcome for it."""

    case_id = models.BigIntegerField(db_index=True)
    position = models.SmallIntegerField()
    category = models.CharField(max_length=60)
    outcome = models.CharField(max_length=40)
    charged = models.BooleanField(default=False)
    protected = models.BooleanField(default=False)
    punished = models.BooleanField(default=False)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["jurisdiction", "month"], name="mon_off_jur_month")
        ]


class DecisionFact(Dimensions):
    """One row per person and decision (the first time it was taken), with its stage and date."""

    case_id = models.BigIntegerField(db_index=True)
    decision = models.CharField(max_length=40)
    decision_stage = models.CharField(max_length=30)
    occurred_on = models.DateField()
    after_flag = models.BooleanField(default=False)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["jurisdiction", "month"], name="mon_dec_jur_month")
        ]


class ImportedCase(models.Model):
    """Which case an imported row became, so the same record is never imported twice."""

    source_reference = models.CharField(max_length=100)
    organisation = models.CharField(max_length=60)
    case_reference = models.CharField(max_length=16)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["organisation", "source_reference"], name="mon_import_once"
            )
        ]
