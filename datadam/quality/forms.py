"""Forms of the quality pages; the services do the real checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GoldAction, RuleAction, RuleKind
from .rules import PARAMS


class PolicyForm(forms.Form):
    gold_rate = forms.IntegerField(label=_("Gold rate (%)"), min_value=0, max_value=50,
                                   help_text=_("Share of each worker's tasks that are gold, 0-50."))
    gold_min_answers = forms.IntegerField(label=_("Gold answers before judging"), min_value=1,
                                          max_value=10_000)
    gold_threshold = forms.IntegerField(label=_("Lowest accepted gold accuracy (%)"),
                                        min_value=0, max_value=100)
    gold_action = forms.ChoiceField(label=_("Below the threshold"), choices=GoldAction.choices)
    gold_pause_hours = forms.IntegerField(label=_("Pause length (hours)"), min_value=1,
                                          max_value=24 * 365)


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule"), choices=RuleKind.choices)
    action = forms.ChoiceField(label=_("Action"), choices=RuleAction.choices)
    pause_hours = forms.IntegerField(label=_("Pause length (hours)"), min_value=1, initial=24)
    seconds = forms.IntegerField(label=_("Seconds (too-fast answers)"), required=False)
    count = forms.IntegerField(
        label=_("Count"), required=False,
        help_text=_("Fast answers, skips in a row, or answers per day, by rule."))
    window = forms.IntegerField(label=_("Of the last N answers (too-fast answers)"),
                                required=False)
    min_answers = forms.IntegerField(label=_("Minimum answers (gold accuracy, agreement)"),
                                     required=False)
    threshold = forms.IntegerField(label=_("Threshold (%) (gold accuracy, agreement)"),
                                   required=False)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        spec = PARAMS[data["kind"]]
        params = {n: data[n] for n in spec if data.get(n) is not None}
        return {"kind": data["kind"], "action": data["action"],
                "pause_hours": data["pause_hours"], "params": params}


class AppealForm(forms.Form):
    message = forms.CharField(label=_("Why should it be lifted?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
