"""Forms of the client console: the project wizard (also the edit form) and item upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from datadam.datasets.methods import METHOD_NAMES
from datadam.errors import InvalidInput
from datadam.kinds import all_kinds, get_kind
from datadam.quality.aggregation import METHODS

from . import kindsettings
from .models import Project, ProjectStatus, ReviewPolicy
from .services import EDITABLE_ALWAYS

MAX_LEASE_MINUTES = 7 * 24 * 60
# Form fields and the project fields they set (labels and multi_label make up the config).
FIELD_TARGETS = {
    "name": "name",
    "kind": "kind",
    "labels": "config",
    "multi_label": "config",
    "instructions": "instructions",
    "reward": "reward",
    "review_reward": "review_reward",
    "overlap": "overlap",
    "min_answers": "min_answers",
    "target_confidence": "target_confidence",
    "aggregation_method": "aggregation_method",
    "lease_minutes": "lease_seconds",
    "review_policy": "review_policy",
    "auto_approve_hours": "auto_approve_hours",
}


def split_labels(text: str) -> list[str]:
    """One label per line; blank lines are ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProjectForm(forms.Form):
    """Every setting of a project, grouped in the wizard's steps.

    With ``project`` given it edits that project and keeps only the fields its status still
    allows (see ``services.EDITABLE_ALWAYS``); without, it creates a draft and asks for the
    organization when the user belongs to more than one.
    """

    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    kind = forms.ChoiceField(label=_("Task kind"))
    name = forms.CharField(label=_("Project name"), max_length=200)
    labels = forms.CharField(
        label=_("Labels"),
        help_text=_("One per line, in the order workers see them."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # the kinds with labels require them (their validate_config)
    )
    multi_label = forms.BooleanField(
        label=_("Workers may pick several labels per item"), required=False
    )
    instructions = forms.CharField(
        label=_("Instructions for workers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown above every task. Say what each label means and give examples."),
    )
    reward = forms.IntegerField(
        label=_("Reward per approved answer (points)"), min_value=0, max_value=10**9, initial=10
    )
    review_reward = forms.IntegerField(
        label=_("Reviewer's pay per reviewed answer (points)"),
        min_value=0,
        max_value=10**9,
        initial=2,
    )
    overlap = forms.IntegerField(
        label=_("Answers per item (overlap)"),
        min_value=1,
        max_value=100,
        initial=3,
        help_text=_(
            "Different workers answer each item. With dynamic overlap this is the most "
            "answers an item may get, and the budget is reserved for it."
        ),
    )
    min_answers = forms.IntegerField(
        label=_("Dynamic overlap: answers to start with"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for a fixed overlap."),
    )
    target_confidence = forms.FloatField(
        label=_("Dynamic overlap: target confidence"),
        required=False,
        help_text=_(
            "Between 0.5 and 1, e.g. 0.95: an item gets one more answer while the "
            "confidence of its label is below this."
        ),
    )
    aggregation_method = forms.ChoiceField(
        label=_("How answers are combined"),
        choices=[("auto", _("Automatic (chosen from the data)"))]
        + [(code, name) for code, name in METHOD_NAMES.items()
           if code in METHODS and code != "auto"],
        initial="auto",
        required=False,
    )
    lease_minutes = forms.IntegerField(
        label=_("Time limit per task (minutes)"),
        min_value=1,
        max_value=MAX_LEASE_MINUTES,
        initial=10,
        help_text=_("A task not submitted in time goes back to the pool."),
    )
    review_policy = forms.ChoiceField(
        label=_("Review"),
        choices=ReviewPolicy.choices,
        initial=ReviewPolicy.MANUAL,
        widget=forms.RadioSelect,
    )
    auto_approve_hours = forms.IntegerField(
        label=_("Automatic approval after (hours)"),
        min_value=0,
        max_value=24 * 90,
        initial=72,
        help_text=_("Only with automatic approval."),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[Any] | None = None,
        project: Project | None = None,
        **kwargs: Any,
    ) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(project)
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["kind"].choices = [(k.slug, k.title) for k in all_kinds()]
        self.fields["kind"].initial = "image_classification"
        self.fields.update(kindsettings.all_fields())
        if project is None:
            orgs = organizations or []
            self.fields["organization"].choices = [(o.pk, o.name) for o in orgs]
            if len(orgs) == 1:
                # The only choice: nothing to ask.
                self.fields["organization"].initial = orgs[0].pk
                self.fields["organization"].required = False
                self.fields["organization"].widget = forms.HiddenInput()
            self._only_org = orgs[0].pk if len(orgs) == 1 else None
        else:
            del self.fields["organization"]
            if project.status != ProjectStatus.DRAFT:
                for name, target in FIELD_TARGETS.items():
                    if target not in EDITABLE_ALWAYS:
                        del self.fields[name]
                if "config" not in EDITABLE_ALWAYS:
                    for name in kindsettings.all_fields():
                        del self.fields[name]

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        config = project.config or {}
        return {
            **kindsettings.initial_values(get_kind(project.kind), config),
            "kind": project.kind,
            "name": project.name,
            "labels": "\n".join(config.get("labels", [])),
            "multi_label": bool(config.get("multi_label")),
            "instructions": project.instructions,
            "reward": project.reward,
            "review_reward": project.review_reward,
            "overlap": project.overlap,
            "min_answers": project.min_answers,
            "target_confidence": project.target_confidence,
            "aggregation_method": project.aggregation_method,
            "lease_minutes": max(1, project.lease_seconds // 60),
            "review_policy": project.review_policy,
            "auto_approve_hours": project.auto_approve_hours,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "organization" in self.fields and not cleaned.get("organization"):
            if self._only_org is not None:
                cleaned["organization"] = self._only_org
            elif "organization" not in self.errors:
                self.add_error("organization", _("Choose an organization."))
        self._clean_overlap(cleaned)
        if "labels" in self.fields and "labels" in cleaned and cleaned.get("kind"):
            kind = get_kind(cleaned["kind"])
            try:
                cleaned["config"] = kind.validate_config(self._config(cleaned))
            except kindsettings.SettingError as exc:
                self.add_error(exc.field, exc.message)
            except InvalidInput as exc:
                self.add_error(kindsettings.error_field(kind, exc.message), exc.message)
        return cleaned

    @staticmethod
    def kinds() -> list[Any]:
        return all_kinds()

    @staticmethod
    def labelled_kinds() -> list[str]:
        """Kinds whose projects have labels (the wizard shows the labels field for them)."""
        return [k.slug for k in all_kinds() if k.uses_labels]

    @staticmethod
    def label_model_kinds() -> list[str]:
        """Kinds aggregated by the label models (the method field applies to them only; the
        others fuse each item's answers)."""
        return [k.slug for k in all_kinds() if k.crowd_labels]

    @staticmethod
    def multi_kinds() -> list[str]:
        return [k.slug for k in all_kinds() if k.multi_label_option]

    def kind_groups(self) -> list[tuple[Any, list[Any]]]:
        """Each kind's own settings (bound fields), for the wizard to show the chosen one's."""
        return kindsettings.groups(self)

    def _clean_overlap(self, cleaned: dict[str, Any]) -> None:
        """Dynamic overlap needs both fields, min ≤ max and 0.5 < target < 1."""
        if "target_confidence" not in self.fields:
            return
        low, target = cleaned.get("min_answers"), cleaned.get("target_confidence")
        if target is None and low is not None:
            self.add_error("target_confidence", _("Give a target confidence, or no minimum."))
        elif target is not None:
            if not 0.5 < target < 1:
                self.add_error("target_confidence", _("Give a number above 0.5 and below 1."))
            if low is None:
                self.add_error("min_answers", _("Give the number of answers to start with."))
            elif cleaned.get("overlap") and low > cleaned["overlap"]:
                self.add_error("min_answers", _("At most the answers per item."))

    @staticmethod
    def _config(cleaned: dict[str, Any]) -> dict[str, Any]:
        """The chosen kind's config from the labels and the kind's own settings."""
        return kindsettings.kind_config(
            get_kind(cleaned["kind"]), split_labels(cleaned.get("labels", "")),
            bool(cleaned.get("multi_label")), cleaned.get, lambda n: cleaned.get(n) or [])

    def project_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of project_create / project_update."""
        cleaned = self.cleaned_data
        out: dict[str, Any] = {}
        for name, target in FIELD_TARGETS.items():
            if name not in self.fields or target in out:
                continue
            if target == "config":
                out["config"] = cleaned.get("config") or self._config(cleaned)
            elif target == "aggregation_method":
                out[target] = cleaned.get(name) or "auto"
            elif target == "lease_seconds":
                out["lease_seconds"] = cleaned["lease_minutes"] * 60
            else:
                out[target] = cleaned[name]
        return out


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Items file (.jsonl, .json or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.ndjson,.json,.csv"}),
    )
