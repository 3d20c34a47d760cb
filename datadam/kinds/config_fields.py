"""A kind's own project settings as form fields, so the wizard asks each kind what it needs.

Classification kinds need only the labels (the wizard's own field); the image kinds add
tolerances, tools, point names and so on. A kind lists ``ConfigField``s; the wizard shows
them while that kind is chosen, turns what was typed into config values with ``parse`` and
back with ``format`` (for editing), and the kind's ``validate_config`` has the last word.
No Django forms here: the wizard builds its fields from these descriptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput

#: Field types: one name per line; "a - b" pairs per line; several of ``choices``; a number;
#: a line of text.
TYPES = ("lines", "pairs", "multi", "number", "text")


@dataclass(frozen=True)
class ConfigField:
    name: str  # the config key
    label: Any  # lazy text
    type: str
    default: Any
    help: Any = ""
    choices: Sequence[tuple[str, Any]] = ()
    required: bool = False

    def parse(self, value: Any) -> Any:
        """A typed value (text, or a list for ``multi``) as a config value."""
        if self.type == "multi":
            chosen = [v for v in (value or []) if v in dict(self.choices)]
            return chosen or list(self.default)
        text = "" if value is None else str(value).strip()
        if not text:
            return self.default
        if self.type == "lines":
            return [line.strip() for line in text.splitlines() if line.strip()]
        if self.type == "pairs":
            pairs = []
            for line in text.splitlines():
                if not line.strip():
                    continue
                parts = [p.strip() for p in line.replace("—", "-").split("-", 1)]
                if len(parts) != 2 or not all(parts):
                    raise InvalidInput(_("write one pair per line, like: left_eye - nose"))
                pairs.append(parts)
            return pairs
        if self.type == "number":
            try:
                return float(text.replace(",", "."))
            except ValueError:
                raise InvalidInput(_("give a number")) from None
        return text

    def format(self, value: Any) -> Any:
        """A config value as the form shows it."""
        if value is None:
            value = self.default
        if self.type == "lines":
            return "\n".join(value or [])
        if self.type == "pairs":
            return "\n".join(f"{a} - {b}" for a, b in value or [])
        if self.type == "multi":
            return list(value or [])
        return value


#: Personal data a project may have masked in its exports (``datadam.privacy.personal_data``).
PERSONAL_DATA_CHOICES = (
    ("rrn", gettext_lazy("Resident registration numbers")),
    ("phone", gettext_lazy("Phone numbers")),
    ("email", gettext_lazy("E-mail addresses")),
    ("card", gettext_lazy("Card numbers")),
    ("account", gettext_lazy("Bank account numbers")),
    ("address", gettext_lazy("Street addresses")),
    ("passport", gettext_lazy("Passport numbers")),
    ("driver", gettext_lazy("Driving licence numbers")),
)
MASK_FIELD = ConfigField(
    "mask_personal_data", gettext_lazy("Personal data masked in exports"), "multi", [],
    gettext_lazy("What workers wrote is exported with these replaced by [PHONE], [EMAIL], "
                 "…; the dataset card says which were masked."),
    choices=PERSONAL_DATA_CHOICES)


def mask_setting(config: dict[str, Any]) -> list[str]:
    """The ``mask_personal_data`` setting checked: a list of kinds (``true``: all of them)."""
    value = config.get("mask_personal_data") or []
    names = [name for name, _label in PERSONAL_DATA_CHOICES]
    if value is True:
        return names
    if not isinstance(value, list) or any(v not in names for v in value):
        raise InvalidInput(_("mask_personal_data must be true or a list of: %(names)s")
                           % {"names": ", ".join(names)})
    return [n for n in names if n in value]
