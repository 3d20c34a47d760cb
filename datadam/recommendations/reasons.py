"""Why a worker fits a project, kept as facts and put into words in the reader's language.

A recommendation explains each criterion with a fact (``{"code": "speaks", "lang": "ko"}``,
``{"code": "skill", "kind": ..., "lower": 0.91, "answers": 120}``). An invitation stores
the facts, not their wording, so the invited worker reads them in the worker's own
language, whatever language the client searched in. A reason can also be plain text a
client wrote (through the API): that is shown as written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from datadam.kinds import kind_title

MAX_TEXT = 300
MAX_REASONS = 12  # kept per invitation
_MAX_INT = 2**31 - 1

# code -> {param: (type, required)}. Numbers are stored as they were when the search ran:
# whole numbers in [0, 2**31), the skill's lower bound ``lower`` in [0, 1].
_PARAMS: dict[str, dict[str, tuple[type, bool]]] = {
    "skill": {"kind": (str, False), "tag": (str, False), "lower": (float, True),
              "answers": (int, True), "gold_correct": (int, False), "gold_total": (int, False),
              "approved": (int, False), "reviewed": (int, False)},
    "no_work": {"kind": (str, False), "tag": (str, False)},
    "no_timing": {},
    "speed": {"median_ms": (int, True), "typical_ms": (int, True)},
    "qualification": {"id": (int, True), "level": (int, True)},
    "no_qualification": {"id": (int, True)},
    "no_profile": {},
    "native": {"lang": (str, True)},
    "speaks": {"lang": (str, True)},
    "no_language": {"lang": (str, True)},
    "region": {"value": (str, True)},
    "occupation": {"value": (str, True)},
}  # fmt: skip


def _text(value: str, limit: int) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("a reason holds a character that is not text")) from None
    return value.strip()[:limit]


def _field(code: str, name: str, raw: Any, kind: type) -> Any:
    """One field of a fact, checked: its type, and a range a page can show and store."""
    wrong = ValueError(_("field %(name)r of a %(code)s reason has the wrong type or range")
                       % {"name": name, "code": code})
    if isinstance(raw, bool):
        raise wrong
    if kind is str:
        if not isinstance(raw, str):
            raise wrong
        return _text(raw, 100)
    if kind is int:
        if not isinstance(raw, int) or not 0 <= raw <= _MAX_INT:
            raise wrong
        return raw
    # float: a share in [0, 1] (an int 0 or 1 is one too)
    if not isinstance(raw, int | float) or not (0.0 <= raw <= 1.0):  # NaN fails both
        raise wrong
    return float(raw)


def reason_clean(value: Any) -> str | dict[str, Any]:
    """A reason as it may be stored: text (trimmed to 300 characters) or a known fact with
    the right fields in range. Raises ValueError with a message saying what is wrong."""
    if isinstance(value, str):
        text = _text(value, MAX_TEXT)
        if not text:
            raise ValueError(_("a reason is empty"))
        return text
    if not isinstance(value, dict):
        raise ValueError(_("a reason is text or an object with a code"))
    code = value.get("code")
    params = _PARAMS.get(code) if isinstance(code, str) else None
    if params is None:
        shown = code if isinstance(code, str | int | float | None) else type(code).__name__
        raise ValueError(_("unknown reason code %(code)r") % {"code": str(shown)[:40]})
    out: dict[str, Any] = {"code": code}
    for name, raw in value.items():
        if name == "code":
            continue
        if name not in params:
            raise ValueError(_("a %(code)s reason has no field %(name)r") % {
                "code": code, "name": str(name)[:40]})
        out[name] = _field(code, name, raw, params[name][0])
    missing = [n for n, (_k, required) in params.items() if required and n not in out]
    if missing:
        raise ValueError(_("a %(code)s reason needs %(fields)s") % {
            "code": code, "fields": ", ".join(missing)})
    return out


def language_name(code: str) -> str:
    """``ko`` → "Korean" in the reader's language (the code itself when Django has no name)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _seconds(ms: int | float) -> str:
    return _("%(s)s s") % {"s": f"{ms / 1000:.1f}"}


def _scope(fact: dict[str, Any]) -> str:
    if fact.get("tag"):
        return f"#{fact['tag']}"
    return str(kind_title(fact.get("kind", "")))


def reason_text(reason: Any) -> str:
    """A stored reason in words, in the active language; text is returned as it is. A fact
    that cannot be worded (stored before a check existed) reads as nothing, not an error."""
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, dict):
        return ""
    try:
        return _worded(reason)
    except (KeyError, TypeError, ValueError, OverflowError):
        return ""


def _worded(f: dict[str, Any]) -> str:
    code = f.get("code")
    if code == "skill":
        parts = [_("skill %(v).2f over %(n)d answers") % {"v": f["lower"], "n": f["answers"]}]
        if f.get("gold_total"):
            parts.append(_("gold %(c)d/%(t)d") % {"c": f.get("gold_correct", 0),
                                                 "t": f["gold_total"]})
        if f.get("reviewed"):
            parts.append(_("approved %(a)d/%(r)d") % {"a": f.get("approved", 0),
                                                     "r": f["reviewed"]})
        return f"{_scope(f)}: " + ", ".join(parts)
    if code == "no_work":
        return _("no work in %(scope)s yet") % {"scope": _scope(f)}
    if code == "no_timing":
        return _("no timing yet")
    if code == "speed":
        return _("median time %(mine)s (typical %(typ)s)") % {
            "mine": _seconds(f["median_ms"]), "typ": _seconds(f["typical_ms"])}
    if code == "qualification":
        return _("holds qualification #%(q)s at level %(l)d") % {"q": f["id"], "l": f["level"]}
    if code == "no_qualification":
        return _("does not hold qualification #%(q)s") % {"q": f["id"]}
    if code == "no_profile":
        return _("no profile")
    if code in ("native", "speaks", "no_language"):
        name = {"lang": language_name(f["lang"])}
        if code == "native":
            return _("native %(lang)s speaker") % name
        if code == "speaks":
            return _("speaks %(lang)s") % name
        return _("does not list %(lang)s") % name
    if code == "region":
        return _("lives in %(v)s") % {"v": f["value"] or "—"}
    if code == "occupation":
        return _("works as %(v)s") % {"v": f["value"] or "—"}
    return ""
