"""Forms of the consent pages. They parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentSubject
from .services import MAX_BODY, MAX_REASON, MAX_TITLE


class ConsentFormForm(forms.Form):
    """The client edits the project's consent form (saving makes a new version)."""

    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Text of the form"), max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What is recorded, what for, who receives it, how long it is kept, and "
                    "how to withdraw. Blank lines separate paragraphs."),
    )
    subject = forms.ChoiceField(
        label=_("Who signs"), choices=ConsentSubject.choices, initial=ConsentSubject.WORKER,
        widget=forms.RadioSelect,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OpsWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the person asked by e-mail on 3 May."),
    )


class ConsentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Consent id or name of the person"), required=False, max_length=200,
    )
