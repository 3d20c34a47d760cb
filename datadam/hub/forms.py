"""Forms of the hub's pages. They parse what a person typed; the services check the rules
(and their refusals come back as form errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from datadam.datasets.export_jobs import export_formats

from .models import Licence, RequestKind, Visibility
from .services.access import MAX_PURPOSE, MIN_PURPOSE
from .services.requests import MAX_REASON

SIZE_CHOICES = [("", _("Any size")), ("small", _("Small (under 1,000 items)")),
                ("medium", _("Medium (1,000 to 99,999 items)")),
                ("large", _("Large (100,000 items or more)"))]
SORT_CHOICES = [("", _("Recommended")), ("downloads", _("Most downloaded")),
                ("recent", _("Recently updated")), ("items", _("Most items")),
                ("relevance", _("Relevance"))]
VISIBILITY_HELP = {
    Visibility.PUBLIC: _("Anyone, signed in or not, may browse the items and download the "
                         "files."),
    Visibility.ORGANIZATION: _("Only your organization's members see the dataset at all."),
    Visibility.REQUEST: _("Anyone sees the page; to browse and download, people ask for "
                          "access, state their purpose and accept your usage terms, and you "
                          "approve each request."),
}


class SearchForm(forms.Form):
    """The hub index's search box and filters (a GET form)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=256)
    kind = forms.ChoiceField(label=_("Task kind"), required=False)
    licence = forms.ChoiceField(label=_("Licence"), required=False,
                                choices=[("", _("Any licence")), *Licence.choices])
    language = forms.ChoiceField(label=_("Language"), required=False)
    size = forms.ChoiceField(label=_("Size"), required=False, choices=SIZE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000,
                              widget=forms.HiddenInput)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]],
                 languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *kinds]
        self.fields["language"].choices = [("", _("Any language")), *languages]


def _comma_words(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=2000, help_text=help_text)


class DatasetFieldsForm(forms.Form):
    """What a dataset says about itself (publishing and editing)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    title_ko = forms.CharField(label=_("Title in Korean"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    description_ko = forms.CharField(label=_("Description in Korean"), required=False,
                                     max_length=20_000,
                                     widget=forms.Textarea(attrs={"rows": 5}))
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices,
                                initial=Licence.CC_BY)
    visibility = forms.ChoiceField(label=_("Who may use it"), widget=forms.RadioSelect,
                                   choices=Visibility.choices, initial=Visibility.PUBLIC)
    usage_terms = forms.CharField(
        label=_("Usage terms"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What people accept when they ask for access. Required when the dataset "
                    "is shared by request."))
    tags = _comma_words(_("Tags"), _("Separated by commas, for example: sentiment, reviews"))
    languages = _comma_words(_("Languages"),
                             _("Two-letter codes separated by commas, for example: ko, en"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("visibility") == Visibility.REQUEST and not (
                data.get("usage_terms") or "").strip():
            self.add_error("usage_terms", _("A dataset shared by request needs usage terms "
                                            "for requesters to accept."))
        return data

    def dataset_fields(self) -> dict[str, Any]:
        """The cleaned fields as the services take them."""
        return {name: self.cleaned_data[name] for name in DatasetFieldsForm.base_fields}


class PublishForm(DatasetFieldsForm):
    """Publish projects of one organization and kind as a dataset."""

    projects = forms.TypedMultipleChoiceField(
        label=_("Projects whose results it holds"), coerce=int,
        widget=forms.CheckboxSelectMultiple)
    changelog = forms.CharField(label=_("What is in this first version"), required=False,
                                max_length=20_000, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["projects", *DatasetFieldsForm.base_fields, "changelog"]

    def __init__(self, *args: Any, projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = projects


class FormatForm(forms.Form):
    """Ask for a version's file in another export format of its kind."""

    format = forms.ChoiceField(label=_("Format"))
    media = forms.ChoiceField(
        label=_("Media files"), initial="reference", widget=forms.RadioSelect,
        choices=[("reference", _("Referenced by URL")),
                 ("include", _("Included in a zip with the labels"))])

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f.slug, f"{f.title} (.{f.extension})")
                                         for f in export_formats(kind)]


class AccessRequestForm(forms.Form):
    """A requester's purpose and their acceptance of the usage terms."""

    purpose = forms.CharField(
        label=_("What you will use the data for"), min_length=MIN_PURPOSE,
        max_length=MAX_PURPOSE, widget=forms.Textarea(attrs={"rows": 3}))
    organization_name = forms.CharField(label=_("Your organization (optional)"),
                                        required=False, max_length=200)
    accept_terms = forms.BooleanField(label=_("I accept the usage terms"))


class AccessDecisionForm(forms.Form):
    """Approve, or decline / revoke with a reason."""

    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ImprovementForm(forms.Form):
    """Report a problem with the selected items of a version (the checkboxes ``items``)."""

    kind = forms.ChoiceField(label=_("What is wrong"), choices=RequestKind.choices)
    proposed_label = forms.CharField(label=_("The right label (optional)"), required=False,
                                     max_length=200)
    reason = forms.CharField(label=_("Explain the problem"), max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        if len(raw) > 1000 or not all(str(v).isdigit() and len(str(v)) <= 18 for v in raw):
            raise forms.ValidationError(_("Select at most 1,000 items of this page."))
        data["items"] = sorted({int(v) for v in raw})
        if data.get("kind") == RequestKind.RELABEL and not data["items"]:
            raise forms.ValidationError(_("Select the items whose label is wrong."))
        return data


class TriageForm(forms.Form):
    """The owner's decision on an open improvement request."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept: we will fix it")),
        ("decline", _("Decline (say why below)")),
        ("duplicate", _("Duplicate of another request")),
    ])
    response = forms.CharField(label=_("Response to the requester"), required=False,
                               max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_of = forms.IntegerField(label=_("Duplicate of request #"), required=False,
                                      min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("response") or "").strip():
            self.add_error("response", _("Say why the request is declined."))
        if data.get("decision") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Give the number of the original request."))
        return data


class RelabelForm(forms.Form):
    """Accepted relabeling requests to turn into one relabeling project."""

    request_ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Requests"))
    name = forms.CharField(label=_("Project name (optional)"), required=False, max_length=200)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_ids"].choices = choices
        self.fields["request_ids"].error_messages["required"] = _(
            "Select the accepted relabeling requests to include.")


class VersionForm(forms.Form):
    """The next version: its changelog and the accepted requests it resolves."""

    changelog = forms.CharField(label=_("What changed"), max_length=20_000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    resolves = forms.TypedMultipleChoiceField(
        label=_("Accepted requests this version resolves"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, resolvable: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolves"].choices = resolvable

