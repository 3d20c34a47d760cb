"""The form of a project's model settings (console). It parses what the page sends; the
service (``clean_settings``) has the last word on what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mode, Order, ProjectModel, Source
from .services.settings import BACKEND_KINDS, BUILTIN_KINDS

#: The fields that only matter for the client's own model server.
BACKEND_FIELDS = ("backend_url", "backend_token", "clear_token", "timeout_s")
#: The fields that only matter for the built-in text classifier (the only model whose
#: accuracy is estimated, which the target accuracy is compared with).
TEXT_FIELDS = ("min_labels", "target_accuracy")


def sources_for(kind: str) -> list[tuple[str, Any]]:
    """The model sources that serve projects of ``kind`` (value, name), built-ins first."""
    out = []
    for value, label in Source.choices:
        kinds = BACKEND_KINDS if value == Source.BACKEND else BUILTIN_KINDS[value]
        if kind in kinds:
            out.append((value, label))
    return out


class AssistForm(forms.Form):
    """Which model proposes answers, whether workers see them, the queue order, and when
    the crowd may stop (target accuracy)."""

    source = forms.ChoiceField(label=_("Model"))
    mode = forms.ChoiceField(
        label=_("What workers see"), choices=Mode.choices, initial=Mode.ASSIST,
        widget=forms.RadioSelect,
        help_text=_("A suggestion pulls answers towards it. Where several workers answer the "
                    "same item, their agreement is what checks the answer: one suggestion "
                    "shown to all of them would make them agree for the wrong reason. So "
                    "\"Suggest…\" shows suggestions only where each item gets one answer. "
                    "Gold items test the worker, not the model: they never show one."))
    order = forms.ChoiceField(label=_("Order of the queue"), choices=Order.choices,
                              initial=Order.NONE, widget=forms.RadioSelect)
    backend_url = forms.CharField(
        label=_("Address of your model server"), required=False, max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://ml.example.com"}),
        help_text=_("A server that speaks Label Studio's ML backend protocol (/setup, "
                    "/predict)."))
    backend_token = forms.CharField(
        label=_("Access token"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Sent as \"Authorization: Token …\". Leave empty to keep the saved token."))
    clear_token = forms.BooleanField(label=_("Remove the saved token"), required=False)
    timeout_s = forms.FloatField(
        label=_("Time limit per request (seconds)"), min_value=0.5, max_value=60, initial=5,
        widget=forms.NumberInput(attrs={"step": "0.5"}))
    target_accuracy = forms.DecimalField(
        label=_("Target accuracy (%)"), required=False, min_value=50, max_value=Decimal("99.9"),
        max_digits=4, decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.1"}),
        help_text=_("Optional. When the dataset is estimated to be this accurate (the crowd's "
                    "results, and the model's labels for the items left), the project is "
                    "paused and you are told."))
    min_labels = forms.IntegerField(
        label=_("Approved labels before the first training"), min_value=2, max_value=100_000,
        initial=20, help_text=_("The model learns from the crowd's approved answers and "
                                "gold items."))

    def __init__(self, *args: Any, kind: str, model: ProjectModel | None = None,
                 **kwargs: Any) -> None:
        if model is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(model)
        super().__init__(*args, **kwargs)
        self.model = model
        self.fields["source"].choices = sources_for(kind)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = data.get("source")
        # Fields hidden on the page for the chosen model: whatever they hold is not used
        # (the saved values stay), so it cannot be wrong.
        hidden = (*(BACKEND_FIELDS if source != Source.BACKEND else ()),
                  *(TEXT_FIELDS if source != Source.TEXT else ()))
        for name in hidden:
            self.errors.pop(name, None)
            data.pop(name, None)
        url = (data.get("backend_url") or "").strip()
        if source == Source.BACKEND and not url:
            self.add_error("backend_url", _("Give the address of your model server."))
        elif source == Source.BACKEND and not _web_address(url):
            self.add_error("backend_url", _("Give the http:// or https:// address of your "
                                            "model server."))
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned form as ``assist_configure`` takes it."""
        data = self.cleaned_data
        backend = data["source"] == Source.BACKEND
        token = data.get("backend_token") or ""
        if backend and not token and not data.get("clear_token") and self.model is not None:
            token = self.model.backend_token  # empty means: keep the saved one
        if data["source"] == Source.TEXT:
            target = data.get("target_accuracy")
            target = None if target is None else float(target) / 100
            min_labels = data["min_labels"]
        else:  # not on the page for this model: keep what was saved
            target = self.model.target_accuracy if self.model is not None else None
            min_labels = self.model.min_labels if self.model is not None else 20
        return {
            "source": data["source"], "mode": data["mode"], "order": data["order"],
            "backend_url": (data.get("backend_url") or "").strip() if backend else "",
            "backend_token": token if backend else "",
            "timeout_s": data.get("timeout_s") or 5.0,
            "target_accuracy": target, "min_labels": min_labels,
        }


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[": not an address at all
        return False


def initial_of(model: ProjectModel) -> dict[str, Any]:
    """The form filled in with the saved settings (never the token itself)."""
    target = model.target_accuracy
    return {
        "source": model.source, "mode": model.mode, "order": model.order,
        "backend_url": model.backend_url, "timeout_s": model.timeout_s,
        "target_accuracy": None if target is None else round(Decimal(str(target * 100)), 1),
        "min_labels": model.min_labels,
    }
