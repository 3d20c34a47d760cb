"""Forms of the operators' pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from datadam.accounts.models import Role

# A top-up is a real payment; anything beyond this is a typing mistake, not a transfer.
MAX_TOPUP = 10**12


class DecideForm(forms.Form):
    """Mark a payout paid or refuse it; a refusal needs a note the worker will read."""

    decision = forms.ChoiceField(choices=[("paid", _("Mark paid")), ("refuse", _("Refuse"))])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=300,
        widget=forms.TextInput(),
        help_text=_("Required when refusing; the worker sees it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Write why the payout is refused."))
        return cleaned


class ReasonForm(forms.Form):
    """Suspending or reinstating a user is always explained in the audit log."""

    active = forms.TypedChoiceField(
        choices=[("0", _("Suspend")), ("1", _("Reinstate"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             error_messages={"required": _("Give a reason.")})

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class ReviewerForm(forms.Form):
    granted = forms.TypedChoiceField(
        choices=[("1", _("Grant")), ("0", _("Revoke"))], coerce=lambda v: v == "1"
    )


class TopupForm(forms.Form):
    amount = forms.IntegerField(label=_("Points"), min_value=1, max_value=MAX_TOPUP)
    reference = forms.CharField(
        label=_("Payment reference"), max_length=150,
        help_text=_("The bank transfer or invoice id. A reference is credited only once, "
                    "so sending the form again is safe."),
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise forms.ValidationError(_("Enter the payment reference."))
        return reference


def _tristate(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("E-mail contains"), required=False, max_length=254)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("Any role")), *Role.choices])
    reviewer = forms.TypedChoiceField(
        label=_("Reviewer"), required=False, coerce=_tristate, empty_value=None,
        choices=[("", _("Any")), ("1", _("Reviewers")), ("0", _("Not reviewers"))],
    )
    active = forms.TypedChoiceField(
        label=_("Status"), required=False, coerce=_tristate, empty_value=None,
        choices=[("", _("Any")), ("1", _("Active")), ("0", _("Suspended"))],
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"), required=False, max_length=64,
        help_text=_("The start is enough: “payout” finds payout.paid and payout.refused."),
    )
    actor = forms.EmailField(label=_("Actor e-mail"), required=False)
    project = forms.IntegerField(label=_("Project id"), required=False, min_value=1)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class OrgFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
