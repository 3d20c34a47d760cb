"""The wizard's per-kind settings: each kind's ``config_fields`` as form fields, and the
project config built from what was posted (for the form and for the live preview alike).

Fields are named ``<kind>__<setting>`` so every kind's settings can sit in one form; the
wizard shows only the chosen kind's. Classification labels stay the form's own ``labels``
and ``multi_label`` fields, which other kinds with labels (boxes, polygons) share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from datadam.errors import InvalidInput
from datadam.kinds import all_kinds
from datadam.kinds.base import TaskKind
from datadam.kinds.config_fields import ConfigField


def field_name(kind: TaskKind, setting: ConfigField) -> str:
    return f"{kind.slug}__{setting.name}"


def form_field(setting: ConfigField) -> forms.Field:
    """The Django form field that asks for one setting (never required by itself: only the
    chosen kind's settings matter, and its ``validate_config`` checks them)."""
    common = {"label": setting.label, "help_text": setting.help, "required": False,
              "initial": setting.format(setting.default)}
    if setting.type in ("lines", "pairs"):
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if setting.type == "multi":
        return forms.MultipleChoiceField(choices=list(setting.choices),
                                         widget=forms.CheckboxSelectMultiple, **common)
    if setting.type == "number":
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    return forms.CharField(**common)


def all_fields() -> dict[str, forms.Field]:
    """Every kind's settings fields, by form field name."""
    return {field_name(kind, s): form_field(s) for kind in all_kinds()
            for s in kind.config_fields}


def initial_values(kind: TaskKind, config: dict[str, Any]) -> dict[str, Any]:
    """A project's config as the initial values of its kind's fields."""
    return {field_name(kind, s): s.format(config.get(s.name)) for s in kind.config_fields}


def groups(form: forms.Form) -> list[tuple[TaskKind, list[Any]]]:
    """(kind, its bound fields) for the wizard to show one group per kind."""
    out = []
    for kind in all_kinds():
        bound = [form[field_name(kind, s)] for s in kind.config_fields
                 if field_name(kind, s) in form.fields]
        if bound:
            out.append((kind, bound))
    return out


class SettingError(InvalidInput):
    """A setting that could not be read; ``field`` names the form field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def kind_config(kind: TaskKind, labels: list[str], multi_label: bool,
                get: Callable[[str], Any], getlist: Callable[[str], list[Any]]) -> dict[str, Any]:
    """The config of a project of ``kind`` from posted values (``get``/``getlist`` of the
    form's data or cleaned data), before the kind's ``validate_config``."""
    config: dict[str, Any] = {}
    if kind.uses_labels:
        config["labels"] = labels
        if kind.multi_label_option:
            config["multi_label"] = multi_label
    for setting in kind.config_fields:
        name = field_name(kind, setting)
        raw = getlist(name) if setting.type == "multi" else get(name)
        try:
            config[setting.name] = setting.parse(raw)
        except InvalidInput as exc:
            raise SettingError(exc.message, name) from None
    return config


def error_field(kind: TaskKind, message: str) -> str:
    """The form field a ``validate_config`` message is about (``config.points`` → the
    points field); the labels field when it names none of the kind's settings."""
    for setting in kind.config_fields:
        if f"config.{setting.name}" in message or f"config.{setting.name} " in message:
            return field_name(kind, setting)
    return "labels"
