"""The sentences notifications show, by code.

A notification stores its code and params, never the sentence: the sentence is looked up and
translated when it is shown, in the reader's language. Adding a code is one line in
``MESSAGES``; ``render`` never fails on a row written with fewer params than the sentence
names, or with a code that was removed since.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "hub.access_approved": _("Your access request for the dataset “%(dataset)s” was approved."),
    "hub.access_declined": _("Your access request for the dataset “%(dataset)s” was declined: %(reason)s"),  # noqa: E501
    "hub.access_requested": _("%(user)s asks for access to the dataset “%(dataset)s”."),
    "hub.request_filed": _("%(user)s filed an improvement request on “%(dataset)s”: %(reason)s"),
    "hub.request_accepted": _("Your improvement request #%(request)s on “%(dataset)s” was accepted."),  # noqa: E501
    "hub.request_declined": _("Your improvement request #%(request)s on “%(dataset)s” was declined: %(reason)s"),  # noqa: E501
    "hub.request_duplicate": _("Your improvement request #%(request)s on “%(dataset)s” duplicates request #%(duplicate_of)s."),  # noqa: E501
    "hub.request_released": _("Version %(version)s of “%(dataset)s” includes your improvement request #%(request)s. Thank you!"),  # noqa: E501
    "hub.version_ready": _("Version %(version)s of “%(dataset)s” is ready."),
    "hub.version_failed": _("Version %(version)s of “%(dataset)s” could not be built: %(error)s"),
    "assist.target_met": _("“%(project)s” reached its target: the dataset's accuracy is estimated at %(accuracy)s, so the project was paused."),  # noqa: E501
    "assist.failed": _("The model of “%(project)s” failed: %(error)s. Workers go on without its suggestions."),  # noqa: E501
}


class _Params(dict):
    """Params for %-formatting: a key the row lacks reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def is_known(code: str) -> bool:
    return code in MESSAGES


def render(code: str, params: dict[str, Any] | None) -> str:
    """The sentence for ``code`` in the active language, filled with ``params``.

    Missing params read "?"; a translation whose placeholders do not fit falls back to the
    English sentence; an unknown code is shown as itself. Never raises.
    """
    sentence = MESSAGES.get(code)
    if sentence is None:
        return code
    values = _Params(params if isinstance(params, dict) else {})
    try:
        return str(sentence) % values
    except (TypeError, ValueError):  # a translation with a broken placeholder
        pass
    with translation.override("en"):
        english = str(sentence)
    try:
        return english % values
    except (TypeError, ValueError):
        return english
