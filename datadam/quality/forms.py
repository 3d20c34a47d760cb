"""Forms of the quality pages; the services do the real checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GoldAction, RuleAction, RuleKind
from .rules import MAX_PAUSE_HOURS, PARAMS


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


# Each rule kind's numbers as the form asks for them: (kind, param) → label.
PARAM_LABELS: dict[tuple[str, str], Any] = {
    (RuleKind.FAST, "seconds"): _("Faster than (seconds)"),
    (RuleKind.FAST, "count"): _("Fast answers"),
    (RuleKind.FAST, "window"): _("Of the last N answers"),
    (RuleKind.SKIPS, "count"): _("Skips in a row"),
    (RuleKind.GOLD, "min_answers"): _("After this many gold answers"),
    (RuleKind.GOLD, "threshold"): _("Lowest gold accuracy (%)"),
    (RuleKind.AGREEMENT, "min_answers"): _("After this many compared answers"),
    (RuleKind.AGREEMENT, "threshold"): _("Lowest agreement (%)"),
    (RuleKind.DAILY_CAP, "count"): _("Answers per day"),
}


def param_field(kind: str, param: str) -> str:
    """The form field of one number of one rule kind (``fast_answers_seconds``)."""
    return f"{kind}_{param}"


class RuleForm(forms.Form):
    """A new rule. Every kind's numbers are fields of their own, filled in with the
    defaults the rule would use, so a rule is made only with numbers the client saw; the
    chosen kind's numbers are required (the page shows only the chosen kind's)."""

    kind = forms.ChoiceField(label=_("Rule"), choices=RuleKind.choices)
    action = forms.ChoiceField(label=_("Action"), choices=RuleAction.choices)
    pause_hours = forms.IntegerField(
        label=_("Pause length (hours)"), min_value=1, max_value=MAX_PAUSE_HOURS, initial=24,
        widget=forms.NumberInput(attrs={"placeholder": 24}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, spec in PARAMS.items():
            for param, (low, high, default) in spec.items():
                self.fields[param_field(kind, param)] = forms.IntegerField(
                    label=PARAM_LABELS[(kind, param)], required=False, initial=default,
                    widget=forms.NumberInput(
                        attrs={"placeholder": default, "min": low, "max": high}),
                )

    def kind_groups(self) -> list[tuple[str, Any, list[Any]]]:
        """(kind, its name, its number fields) for the page's fieldset of each kind."""
        return [(kind, label, [self[param_field(kind, p)] for p in PARAMS[kind]])
                for kind, label in RuleKind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        for param, (low, high, _default) in PARAMS.get(kind, {}).items():
            name = param_field(kind, param)
            value = data.get(name)
            if name in self.errors:
                continue
            if value is None:
                self.add_error(name, forms.ValidationError(
                    self.fields[name].error_messages["required"], code="required"))
            elif not low <= value <= high:
                self.add_error(name, _("Enter a whole number from %(low)s to %(high)s.")
                               % {"low": low, "high": high})
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        params = {p: data[param_field(kind, p)] for p in PARAMS[kind]}
        return {"kind": kind, "action": data["action"],
                "pause_hours": data["pause_hours"], "params": params}


class AppealForm(forms.Form):
    message = forms.CharField(label=_("Why should it be lifted?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
