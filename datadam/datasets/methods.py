"""The aggregation methods a project can choose, by the names people read.

Results store the method's code (``mv``, ``ds`` …); pages show these names instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

METHOD_NAMES = {
    "auto": _("Automatic"),
    "mv": _("Majority vote"),
    "wmv": _("Weighted majority vote"),
    "ds": _("Dawid–Skene"),
    "ods": _("One-coin Dawid–Skene"),
    "glad": _("GLAD"),
    "mace": _("MACE"),
    # shapes, points and texts: each item's answers fused, weighted by worker skill
    "fusion": _("Per-item fusion weighted by worker skill"),
    # a result worked out from the answers since the last aggregation run (datasets.current)
    "current": _("Latest answers, one-coin posterior (until the next aggregation)"),
}


def method_name(code: str) -> str:
    """The readable name of an aggregation method (an unknown code is shown as it is)."""
    return str(METHOD_NAMES.get(code, code))
