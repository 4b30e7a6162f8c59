"""Request and response shapes of the case endpoints (the assessment shapes are contract §1)."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from npp.web.accounts.models import Organisation
from npp.web.cases.models import Case, CaseEvent, Referral
from npp.web.cases.vocab import (
    DECISION_LABELS,
    STAGES,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
)

#: DRF refuses NUL in text (PostgreSQL cannot store it); said here so the schema says it too.
NO_NUL = RegexValidator(r"\A[^\x00]+\Z", "must not contain NUL characters")


class Text(serializers.CharField):
    """Text, and only text: DRF would store ``0`` or ``true`` as "0" or "True", hiding a
    client's mistake (the same rule as the case facts: no silent coercion)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not any(isinstance(v, RegexValidator) for v in self.validators):
            self.validators.append(NO_NUL)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Whole(serializers.IntegerField):
    """A JSON whole number (not ``"3"``, ``3.0`` or ``true``)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """``true`` or ``false`` (not ``"yes"``, ``1`` or ``"on"``)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


#: Someone must be named: blank, or only spaces, is refused (and documented as such).
SOMEONE = [RegexValidator(r"\A[^\x00]*\S[^\x00]*\Z", "say who decided (role and office)")]


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class OrganisationCode(serializers.SlugRelatedField):
    """An organisation's code, which is a slug: anything else is refused before the query
    (PostgreSQL refuses text with a NUL byte: that was a 500)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not re.fullmatch(r"[-a-zA-Z0-9_]+", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PersonSerializer(serializers.Serializer):
    full_name = Text(required=False, allow_blank=True, max_length=2000)
    aliases = Text(required=False, allow_blank=True, max_length=2000)
    date_of_birth = Text(required=False, allow_blank=True, max_length=2000)
    document_numbers = Text(required=False, allow_blank=True, max_length=2000)
    contact = Text(required=False, allow_blank=True, max_length=2000)


class CaseCreateSerializer(serializers.Serializer):
    facts = serializers.DictField(help_text="Case facts (contract §1)")
    person = PersonSerializer(required=False)
    province = Text(required=False, allow_blank=True, max_length=100)


class FactsUpdateSerializer(serializers.Serializer):
    facts = serializers.DictField(help_text="Case facts (contract §1)")
    version = Whole(help_text="The version you loaded")


class PersonUpdateSerializer(PersonSerializer):
    version = Whole()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=sorted(DECISION_LABELS))
    decided_by = Text(max_length=200, min_length=1, validators=SOMEONE)
    reasons = Text(required=False, allow_blank=True, max_length=5000)
    offence = Text(required=False, allow_blank=True, max_length=60)
    occurred_on = serializers.DateField(required=False)
    version = Whole()


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=STAGES)
    reasons = Text(required=False, allow_blank=True, max_length=5000)
    version = Whole()


class ReferralCreateSerializer(serializers.Serializer):
    to_organisation = OrganisationCode(slug_field="code", queryset=Organisation.objects.all())
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    kind = serializers.ChoiceField(
        choices=ReferralKind.choices,
        required=False,
        help_text="transfer (they become responsible) or service; by default transfer for the "
        "next link of the chain (police to prosecution, prosecution to court), else service",
    )
    due_date = serializers.DateField()
    share_identity = Flag(default=False)
    note = Text(required=False, allow_blank=True, max_length=5000)
    version = Whole()


class ReferralUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    note = Text(required=False, allow_blank=True, max_length=5000)
    version = Whole()


class ReferralSerializer(serializers.ModelSerializer):
    from_organisation = serializers.CharField(source="from_org.code")
    to_organisation = serializers.CharField(source="to_org.code")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = (
            "id",
            "from_organisation",
            "to_organisation",
            "purpose",
            "kind",
            "due_date",
            "status",
            "share_identity",
            "overdue",
            "version",
            "created_at",
            "updated_at",
        )

    def get_overdue(self, obj: Referral) -> bool:
        return obj.is_overdue()


class EventSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)

    class Meta:
        model = CaseEvent
        fields = (
            "kind",
            "stage",
            "decision",
            "offence",
            "decided_by",
            "reasons",
            "occurred_on",
            "recorded_by",
            "recorded_at",
        )


class CaseSummarySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")
    offences = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = (
            "reference",
            "organisation",
            "jurisdiction",
            "province",
            "stage",
            "version",
            "closed",
            "potential_victim",
            "child",
            "risk_flags",
            "offences",
            "created_at",
            "updated_at",
        )

    def get_offences(self, obj: Case) -> list[dict[str, str]]:
        return [{"category": o.category, "outcome": o.outcome} for o in obj.offences.all()]
