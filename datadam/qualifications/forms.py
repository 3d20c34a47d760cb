"""Forms of the qualification pages. They parse input; the services validate the rules."""

from __future__ import annotations

import json
import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datadam.accounts.forms import DEVICE_CHOICES, language_list
from datadam.accounts.languages import language_choices as LANGUAGE_CHOICES
from datadam.accounts.models import WorkerProfile
from datadam.kinds import all_kinds

from .eligibility import attribute_bound
from .models import LEVEL_MAX, Granting


def kind_choices() -> list[tuple[str, str]]:
    return [(k.slug, k.title) for k in all_kinds()]


def end_of_day(day: Any) -> datetime | None:
    """A date picked in a form means "until the end of that day"."""
    if not day:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class JSONField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s")
                                        % {"error": exc}) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return value


class QualificationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    granting = forms.ChoiceField(label=_("How workers earn it"), choices=Granting.choices)
    document_hint = forms.CharField(
        label=_("Document to upload"), required=False, max_length=300,
        help_text=_("Only for a document check, e.g. “A scan of your medical licence”."),
    )


class NewQualificationForm(QualificationForm):
    organization = forms.TypedChoiceField(label=_("Owner"), coerce=int, empty_value=None)

    def __init__(self, *args: Any, organizations: list[Any], platform: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(str(o.pk), o.name) for o in organizations]
        if platform:
            choices.insert(0, ("", _("The platform (every organization may require it)")))
        self.fields["organization"].choices = choices
        self.fields["organization"].required = not platform
        self.order_fields(["organization"])


class ExamForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Task kind"), choices=kind_choices)
    labels = forms.CharField(
        label=_("Labels"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line or separated by commas."),
    )
    multi_label = forms.BooleanField(label=_("Several labels may be picked"), required=False)
    instructions = forms.CharField(label=_("Instructions"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    # xgettext:no-python-format
    pass_mark = forms.IntegerField(label=_("Pass mark (% of answers right)"), min_value=1,
                                   max_value=100, initial=80)
    level = forms.IntegerField(label=_("Level granted on passing"), min_value=0,
                               max_value=LEVEL_MAX, initial=1)
    level_from_score = forms.BooleanField(
        label=_("Grant the score in percent as the level instead"), required=False
    )
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=100,
                                      initial=3)
    cooldown_hours = forms.IntegerField(label=_("Hours to wait between attempts"), min_value=0,
                                        max_value=24 * 365, initial=24)
    is_open = forms.BooleanField(label=_("Open to workers"), required=False, initial=True)

    def clean_labels(self) -> list[str]:
        raw = self.cleaned_data["labels"].replace(",", "\n")
        return [x.strip() for x in raw.splitlines() if x.strip()]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["config"] = {"labels": data.pop("labels"), "multi_label": data.pop("multi_label")}
        data["pass_mark"] = data["pass_mark"] / 100
        return data

    @staticmethod
    def initial_from(exam: Any) -> dict[str, Any]:
        return {
            "title": exam.title, "kind": exam.kind,
            "labels": "\n".join(exam.config.get("labels", [])),
            "multi_label": exam.config.get("multi_label", False),
            "instructions": exam.instructions, "pass_mark": round(exam.pass_mark * 100),
            "level": exam.level, "level_from_score": exam.level_from_score,
            "max_attempts": exam.max_attempts, "cooldown_hours": exam.cooldown_hours,
            "is_open": exam.is_open,
        }


class QuestionForm(forms.Form):
    data = JSONField(label=_("Item (JSON)"),
                     help_text=_('As imported into a project, e.g. {"image": "/media/a.png"}'))
    answer = JSONField(label=_("Correct answer (JSON)"),
                       help_text=_('e.g. {"label": "circle"}'))
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in training after the worker answers."),
    )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Work in projects of kind"), required=False,
                             choices=lambda: [("", _("Any kind"))] + kind_choices())
    min_reviewed = forms.IntegerField(label=_("At least this many reviewed answers"),
                                      min_value=1, initial=50)
    min_approval_rate = forms.IntegerField(label=_("Approval rate at least (%)"), min_value=0,
                                           max_value=100, initial=90)
    level = forms.IntegerField(label=_("Level granted"), min_value=0, max_value=LEVEL_MAX,
                               initial=1)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["min_approval_rate"] = data["min_approval_rate"] / 100
        return data


class CredentialForm(forms.Form):
    document = forms.FileField(label=_("Document (PDF, PNG or JPG, at most 10 MB)"),
                               widget=forms.ClearableFileInput(
                                   attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
    note = forms.CharField(label=_("Note for the operator"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    level = forms.IntegerField(label=_("Level"), min_value=0, max_value=LEVEL_MAX, initial=1)
    expires = forms.DateField(label=_("Valid until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown to the worker"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class GrantForm(forms.Form):
    email = forms.EmailField(label=_("Worker's e-mail"))
    qualification = forms.TypedChoiceField(label=_("Qualification"), coerce=int)
    level = forms.IntegerField(label=_("Level"), min_value=0, max_value=LEVEL_MAX, initial=1)
    expires = forms.DateField(label=_("Valid until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, qualifications: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].choices = [
            (q.pk, f"{q.name} · {q.organization.name if q.organization else _('platform')}")
            for q in qualifications
        ]


# A requirement's attribute line: "name=value", or "name<=6" (>=, <, >, ≤, ≥) for a number.
ATTRIBUTE_LINE = re.compile(r"\s*([^=<>≤≥]*[^=<>≤≥\s])\s*(<=|>=|≤|≥|<|>|=)(.*)")


class RequirementForm(forms.Form):
    """Fields ``q_<id>`` (required?) and ``level_<id>`` for each qualification on offer."""

    age_min = forms.IntegerField(label=_("Youngest age"), required=False, min_value=14,
                                 max_value=120)
    age_max = forms.IntegerField(label=_("Oldest age"), required=False, min_value=14,
                                 max_value=120)
    genders = forms.MultipleChoiceField(
        label=_("Gender"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[c for c in WorkerProfile.Gender.choices if c[0]],
        help_text=_("None ticked: any."),
    )
    regions = forms.CharField(label=_("Regions"), required=False,
                              help_text=_("Separated by commas, e.g. Seoul, Busan. Empty: any."))
    languages = forms.MultipleChoiceField(label=_("Languages the worker must know"),
                                          required=False, choices=LANGUAGE_CHOICES,
                                          widget=language_list())
    native_languages = forms.MultipleChoiceField(
        label=_("Native language"), required=False, choices=LANGUAGE_CHOICES,
        widget=language_list(),
        help_text=_("The worker's native language must be one of those ticked (for native "
                    "speakers of Korean, tick Korean). None ticked: any."),
    )
    devices = forms.MultipleChoiceField(label=_("Devices the worker must have"),
                                        required=False, choices=DEVICE_CHOICES,
                                        widget=forms.CheckboxSelectMultiple)
    attributes = forms.CharField(
        label=_("Profile attributes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line as name=value, e.g. dialect=Busan or parent_of_infant=yes. "
                    "For a number, compare: baby_age_months<=6, children>=2."),
    )

    def __init__(self, *args: Any, qualifications: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.qualifications = qualifications
        for q in qualifications:
            self.fields[f"q_{q.pk}"] = forms.BooleanField(label=q.name, required=False)
            self.fields[f"level_{q.pk}"] = forms.IntegerField(
                label=_("Minimum level of %(name)s") % {"name": q.name}, required=False,
                min_value=0, max_value=LEVEL_MAX, initial=1,
            )

    def qualification_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(q, self[f"q_{q.pk}"], self[f"level_{q.pk}"]) for q in self.qualifications]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in ("age_min", "age_max", "genders", "regions",
                                        "languages", "native_languages", "devices",
                                        "attributes")]

    def clean_regions(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["regions"].split(",") if r.strip()]

    def clean_attributes(self) -> dict[str, str]:
        """``name=value`` lines; ``name<=6`` (or ``>=``, ``<``, ``>``) asks for a number and
        is kept as the value "<=6"."""
        out: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["attributes"].splitlines(), 1):
            if not line.strip():
                continue
            match = ATTRIBUTE_LINE.fullmatch(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(n)s: write name=value, or name<=number for a number.")
                    % {"n": number})
            name, operator, value = match.group(1).strip(), match.group(2), match.group(3)
            out[name] = value.strip() if operator == "=" else f"{operator}{value.strip()}"
        return out

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        needs = [
            {"qualification": q.pk, "min_level": data.get(f"level_{q.pk}") or 0}
            for q in self.qualifications if data.get(f"q_{q.pk}")
        ]
        return {
            "qualifications": needs, "age_min": data["age_min"], "age_max": data["age_max"],
            "genders": data["genders"], "regions": data["regions"],
            "languages": data["languages"], "native_languages": data["native_languages"],
            "devices": data["devices"], "attributes": data["attributes"],
        }

    @staticmethod
    def initial_from(req: Any) -> dict[str, Any]:
        if req is None:
            return {}
        initial: dict[str, Any] = {
            "age_min": req.age_min, "age_max": req.age_max, "genders": req.genders,
            "regions": ", ".join(req.regions), "languages": req.languages,
            "native_languages": req.native_languages, "devices": req.devices,
            "attributes": "\n".join(
                f"{k}{v}" if attribute_bound(v) else f"{k}={v}" for k, v in req.attributes.items()
            ),
        }
        for need in req.qualifications:
            initial[f"q_{need['qualification']}"] = True
            initial[f"level_{need['qualification']}"] = need["min_level"]
        return initial
