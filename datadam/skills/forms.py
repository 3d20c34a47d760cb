"""The client's form for a project's skill settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProjectSkillsForm(forms.Form):
    tags = forms.CharField(
        label=_("Skill tags"), required=False, max_length=600,
        help_text=_("Comma-separated, e.g. boxes, medical, korean. Work here counts towards them."),
    )
    min_skill = forms.FloatField(
        label=_("Minimum skill to work here"), required=False, min_value=0, max_value=1,
        help_text=_("0 to 1, the lower bound of the worker's skill in this task kind. "
                    "Empty: no minimum."),
    )
    bonus_skill = forms.FloatField(
        label=_("Bonus from skill"), required=False, min_value=0, max_value=1,
        help_text=_("Workers at or above this skill earn the bonus below on each approved "
                    "answer."),
    )
    bonus_percent = forms.IntegerField(
        label=_("Bonus, in percent of the reward"), required=False, min_value=0, max_value=200,
        help_text=_("Paid from the organization's account."),
    )
    invite_only = forms.BooleanField(
        label=_("By invitation only"), required=False,
        help_text=_("Only workers who accepted your invitation may work on this project."),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "tags": [t for t in (data.get("tags") or "").split(",") if t.strip()],
            "min_skill": data.get("min_skill"),
            "bonus_skill": data.get("bonus_skill"),
            "bonus_percent": data.get("bonus_percent") or 0,
            "invite_only": data.get("invite_only", False),
        }
