"""The client's search form: a description in words and optional filters."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from datadam.accounts.languages import language_choices as LANGUAGE_CHOICES

from .reasons import MAX_REASONS, reason_clean


class SearchForm(forms.Form):
    query = forms.CharField(
        label=_("Describe the workers you want"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: careful, visually sharp, Korean native, has done boxes "
                    "before. Words like “very” weigh more; “must” makes a filter."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Must speak"), choices=LANGUAGE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.CharField(label=_("Must live in"), required=False, max_length=100)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    min_skill = forms.FloatField(label=_("Minimum skill in this kind"), required=False,
                                 min_value=0, max_value=1)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("languages", "region", "occupation", "min_skill")
                if data.get(k) not in (None, "", [])}


def _refuse(name: str) -> None:
    raise ValueError(name)


class InviteForm(forms.Form):
    worker_id = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message"), required=False, max_length=2000)
    # The matched criteria's facts as JSON (Match.reasons_json): stored as facts, so that
    # the worker reads them in the worker's own language.
    reasons = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20000)

    def clean_reasons(self) -> list[str | dict[str, Any]]:
        raw = self.cleaned_data["reasons"].strip()
        if not raw:
            return []
        try:
            items = json.loads(raw, parse_constant=_refuse)
        except (ValueError, RecursionError):  # not JSON, NaN/Infinity, or nested too deep
            items = None
        if not isinstance(items, list):
            raise forms.ValidationError(_("The reasons are not a list."))
        try:
            return [reason_clean(item) for item in items[:MAX_REASONS]]
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
