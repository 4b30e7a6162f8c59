from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from npp.web.accounts.models import Organisation
from npp.web.cases.models import Case, Person
from npp.web.cases.vocab import (
    DECISIONS,
    SERVICES,
    STAGE_LABELS,
    STAGES,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(label=_("Decision"))
    decided_by = forms.CharField(label=_("Who decided (role and office)"), max_length=200)
    offence = forms.ChoiceField(label=_("Offence (if the decision concerns one)"), required=False)
    occurred_on = forms.DateField(
        label=_("Date of the decision"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(
        self, *args: Any, case: Case, allowed: frozenset[str] | None = None, **kwargs: Any
    ) -> None:
        """``allowed``: the decisions this user may record (:func:`npp.web.access.rights`)."""
        super().__init__(*args, **kwargs)
        groups = [(str(STAGE_LABELS[stage]), options) for stage, options in DECISIONS.items()]
        groups.append((str(_("Services given")), SERVICES))
        self.fields["decision"].choices = [
            (title, [(c, label) for c, label in options if allowed is None or c in allowed])
            for title, options in groups
            if any(allowed is None or c in allowed for c, _l in options)
        ]
        self.fields["offence"].choices = [("", "—")] + [
            (o["category"], o["category"]) for o in case.facts.get("offences", [])
        ]


class StageForm(VersionForm):
    stage = forms.ChoiceField(label=_("Move to stage"))
    reasons = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = [c for c, _label in STAGES]
        later = codes[codes.index(case.stage) + 1 :]
        self.fields["stage"].choices = [(c, STAGE_LABELS[c]) for c in later]


class ReferralForm(VersionForm):
    to_org = forms.ModelChoiceField(label=_("Refer to"), queryset=Organisation.objects.none())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ReferralPurpose.choices)
    kind = forms.ChoiceField(
        label=_("Kind of referral"),
        choices=[
            ("", _("Usual for them: transfer to the next link of the chain, else service")),
            *ReferralKind.choices,
        ],
        required=False,
        help_text=_(
            "A transfer makes them responsible for the case (you keep read access); a service "
            "referral lets them read what you share and record only the service they give."
        ),
    )
    due_date = forms.DateField(
        label=_("Follow up by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    share_identity = forms.BooleanField(
        label=_("Share the person's identifying details with them"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = user.organisation
        qs = Organisation.objects.exclude(pk=org.pk)
        self.fields["to_org"].queryset = qs.order_by("jurisdiction", "kind", "name")
        self.fields["due_date"].initial = dt.date.today() + dt.timedelta(days=7)

    def clean_due_date(self) -> dt.date:
        d: dt.date = self.cleaned_data["due_date"]
        if d < dt.date.today():
            raise forms.ValidationError(_("The follow-up date cannot be in the past."))
        return d


class ReferralStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonForm(VersionForm):
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=2000)
    aliases = forms.CharField(label=_("Other names"), required=False, max_length=2000)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, max_length=2000)
    document_numbers = forms.CharField(label=_("Document numbers"), required=False, max_length=2000)
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def person_values(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in Person.FIELDS}
