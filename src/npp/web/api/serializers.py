"""Request and response shapes of the case endpoints (the assessment shapes are contract §1)."""

from __future__ import annotations

from rest_framework import serializers

from npp.web.accounts.models import Organisation
from npp.web.cases.models import Case, CaseEvent, Referral
from npp.web.cases.vocab import DECISION_LABELS, STAGES, ReferralPurpose, ReferralStatus


class PersonSerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    aliases = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    date_of_birth = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    document_numbers = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CaseCreateSerializer(serializers.Serializer):
    facts = serializers.DictField(help_text="Case facts (contract §1)")
    person = PersonSerializer(required=False)
    province = serializers.CharField(required=False, allow_blank=True, max_length=100)


class FactsUpdateSerializer(serializers.Serializer):
    facts = serializers.DictField(help_text="Case facts (contract §1)")
    version = serializers.IntegerField(help_text="The version you loaded")


class PersonUpdateSerializer(PersonSerializer):
    version = serializers.IntegerField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=sorted(DECISION_LABELS))
    decided_by = serializers.CharField(max_length=200)
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    offence = serializers.CharField(required=False, allow_blank=True, max_length=60)
    occurred_on = serializers.DateField(required=False)
    version = serializers.IntegerField()


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=STAGES)
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField()


class ReferralCreateSerializer(serializers.Serializer):
    to_organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all()
    )
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    due_date = serializers.DateField()
    share_identity = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField()


class ReferralUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField()


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
