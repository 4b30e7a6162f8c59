"""Forms of the notice pages. Field names match the CLI options where there is one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from npp.web.notices.store import DEFAULT_VALID_DAYS, MAX_VALID_DAYS

#: The most a pasted or uploaded notice may be (a notice is about 2 KB).
MAX_NOTICE_CHARS = 64 * 1024


class ConsentForm(forms.Form):
    agrees = forms.BooleanField(
        label=_(
            "The person agrees to carry an identification notice and to its being shown to "
            "officials of other states"
        ),
        help_text=_(
            "Explain what the notice says and who may see it, in a language they understand."
        ),
    )
    how = forms.CharField(
        label=_("How consent was given"),
        required=False,
        max_length=500,
        help_text=_("For example: orally, with a Lao interpreter."),
    )


class IssueForm(forms.Form):
    given_name = forms.CharField(label=_("Given name(s)"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=_("Kept here, encrypted; not sent to other states."),
    )


class NoticeForm(forms.Form):
    """A notice pasted (NOTICE.json or the bare JWS from the QR code) or uploaded."""

    notice = forms.CharField(
        label=_("Notice"),
        required=False,
        max_length=MAX_NOTICE_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste the notice file, or the text of its QR code."),
    )
    file = forms.FileField(label=_("Or upload the notice file"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_NOTICE_CHARS:
                raise forms.ValidationError(_("The file is too large to be a notice."))
            data["raw"] = upload.read()
        elif data.get("notice"):
            data["raw"] = str(data["notice"]).encode("utf-8")
        else:
            raise forms.ValidationError(_("Paste a notice or choose a file."))
        return data
