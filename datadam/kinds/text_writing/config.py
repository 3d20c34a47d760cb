"""The writing kinds' project settings: defaults per mode, the wizard's fields, the check.

A config (``validate_config``'s output)::

    {"mode": "qa_pairs", "min_count": 1, "max_count": 5,          # pairs, turns, sentences
     "min_chars": 5, "max_chars": 200,                             # each text
     "answer_min_chars": 1, "answer_max_chars": 200,               # QA answers only
     "speakers": ["A", "B"],                                       # dialogue only
     "target_languages": ["ko"], "copy_limit": 0.5,
     "blocking": ["length"], "duplicates": "warn", "pass_score": 0.5}

Checks: length always; language when ``target_languages`` names any; copying when
``copy_limit`` < 1; near-duplicates of the client's earlier answers unless ``duplicates`` is
"off". The checks named in ``blocking`` refuse the answer; the others accept it and store a
warning with it for the reviewer. ``duplicates`` ("block" | "warn" | "off") decides the
duplicate check; the wizard asks it as the "duplicate" box of ``blocking`` (ticked: block,
else warn), which is why ``blocking`` names "duplicate" exactly when ``duplicates`` is
"block". ``checks`` (``{"language": "block" | "warn" | "off", ...}``) is read as a shorthand
for the same.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds.config_fields import MASK_FIELD, ConfigField, mask_setting

from .script import LANGUAGES

CHECKS = ("length", "language", "copy", "duplicate")
DUPLICATES = ("block", "warn", "off")
MAX_TEXT = 20_000  # characters of one text, whatever the project allows
MAX_COUNT = 50  # pairs, turns or sentences
MAX_SPEAKERS = 10
COUNTED = ("qa_pairs", "dialogue", "sentences")

DEFAULTS: dict[str, dict[str, Any]] = {
    "qa_pairs": {"min_count": 1, "max_count": 5, "min_chars": 5, "max_chars": 200,
                 "answer_min_chars": 1, "answer_max_chars": 200, "target_languages": [],
                 "pass_score": 0.5},
    "summary": {"min_chars": 20, "max_chars": 500, "target_languages": [], "pass_score": 0.4},
    "translation": {"min_chars": 1, "max_chars": 2000, "target_languages": ["ko"],
                    "pass_score": 0.6},
    "dialogue": {"min_count": 2, "max_count": 10, "min_chars": 1, "max_chars": 300,
                 "speakers": ["A", "B"], "target_languages": [], "pass_score": 0.4},
    "sentences": {"min_count": 1, "max_count": 5, "min_chars": 5, "max_chars": 200,
                  "target_languages": [], "pass_score": 0.4},
}
COPY_LIMIT = 0.5
BLOCKING = ["length"]

LANGUAGE_CHOICES = (("ko", gettext_lazy("Korean")), ("en", gettext_lazy("English")),
                    ("ja", gettext_lazy("Japanese")), ("zh", gettext_lazy("Chinese")))
CHECK_CHOICES = (("length", gettext_lazy("Length")), ("language", gettext_lazy("Language")),
                 ("copy", gettext_lazy("Copying from the source")),
                 ("duplicate", gettext_lazy("Repeating an earlier answer (near-duplicates)")))

COUNT_LABELS = {
    "qa_pairs": (gettext_lazy("Fewest question–answer pairs per item"),
                 gettext_lazy("Most question–answer pairs per item")),
    "dialogue": (gettext_lazy("Fewest turns per item"), gettext_lazy("Most turns per item")),
    "sentences": (gettext_lazy("Fewest sentences per item"),
                  gettext_lazy("Most sentences per item")),
}


def fields(mode: str) -> tuple[ConfigField, ...]:
    """What the wizard asks for a project of ``mode``."""
    d = DEFAULTS[mode]
    out = []
    if mode in COUNTED:
        fewest, most = COUNT_LABELS[mode]
        out += [
            ConfigField("min_count", fewest, "number", d["min_count"]),
            ConfigField("max_count", most, "number", d["max_count"],
                        gettext_lazy("Up to 50.")),
        ]
    out += [
        ConfigField("min_chars", gettext_lazy("Fewest characters per text"), "number",
                    d["min_chars"], gettext_lazy("Each question, turn, sentence or text.")),
        ConfigField("max_chars", gettext_lazy("Most characters per text"), "number",
                    d["max_chars"], gettext_lazy("Up to 20000.")),
    ]
    if mode == "qa_pairs":
        out += [
            ConfigField("answer_min_chars", gettext_lazy("Fewest characters per answer"),
                        "number", d["answer_min_chars"]),
            ConfigField("answer_max_chars", gettext_lazy("Most characters per answer"),
                        "number", d["answer_max_chars"]),
        ]
    if mode == "dialogue":
        out.append(ConfigField("speakers", gettext_lazy("Speakers"), "lines", d["speakers"],
                               gettext_lazy("One name per line, such as Customer and Agent.")))
    out += [
        ConfigField("target_languages", gettext_lazy("Language the workers write in"),
                    "multi", d["target_languages"], gettext_lazy(
                        "Checked from the letters' scripts (Korean, Japanese, Chinese, Latin "
                        "letters for English). Tick none to skip the language check."),
                    choices=LANGUAGE_CHOICES),
        ConfigField("copy_limit", gettext_lazy("Most of a text copied from the source"),
                    "number", COPY_LIMIT, gettext_lazy(
                        "From 0.05 to 1: the share of a text's characters found word for word "
                        "in the source; 1 turns the check off.")),
        ConfigField("blocking", gettext_lazy("Checks that refuse an answer"), "multi",
                    BLOCKING, gettext_lazy(
                        "The checks not ticked let the answer through with a warning for "
                        "the reviewer. Repeating an earlier answer: the text is 80% alike an "
                        "answer sent before by the same worker, by another worker of the "
                        "project or in another of your projects."), choices=CHECK_CHOICES),
        ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number",
                    d["pass_score"], gettext_lazy(
                        "From 0 to 1: 1 − character error rate against the known text (token "
                        "F1 for question–answer pairs).")),
        MASK_FIELD,
    ]
    return tuple(out)


def _whole(config: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = config.get(key, default)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)  # the wizard's number fields give floats
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(_("config.%(key)s must be a whole number from %(low)s to %(high)s")
                           % {"key": key, "low": low, "high": high})
    return value


def _fraction(config: dict[str, Any], key: str, default: float, low: float) -> float:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and low <= value <= 1.0):
        raise InvalidInput(_("config.%(key)s must be a number from %(low)s to 1")
                           % {"key": key, "low": low})
    return float(value)


def _languages(config: dict[str, Any], default: list[str]) -> list[str]:
    value = config.get("target_languages", config.get("target_language", default))
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or any(v not in LANGUAGES for v in value):
        raise InvalidInput(_("config.target_languages must be a list of: %(langs)s")
                           % {"langs": ", ".join(LANGUAGES)})
    return [lang for lang in LANGUAGES if lang in value]


def _speakers(config: dict[str, Any], default: list[str]) -> list[str]:
    value = config.get("speakers", default)
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SPEAKERS or any(
            not isinstance(v, str) or not v.strip() or len(v.strip()) > 40 or "\x00" in v
            for v in value):
        raise InvalidInput(_("config.speakers must be 1 to %(most)s names of at most 40 "
                             "characters") % {"most": MAX_SPEAKERS})
    names = [v.strip() for v in value]
    if len(set(names)) != len(names):
        raise InvalidInput(_("the names in config.speakers must be unique"))
    return names


def _shorthand(config: dict[str, Any], out: dict[str, Any]) -> None:
    """``checks: {name: block | warn | off}`` into ``blocking``, languages and copy limit."""
    checks = config["checks"]
    if not isinstance(checks, dict) or any(
            k not in CHECKS or v not in ("block", "warn", "off") for k, v in checks.items()):
        raise InvalidInput(_('config.checks maps length, language, copy and duplicate to '
                             '"block", "warn" or "off"'))
    if checks.get("length") == "off":
        raise InvalidInput(_("the length check cannot be off: widen the limits instead"))
    if checks.get("language") == "off":
        out["target_languages"] = []
    elif checks.get("language") and not out["target_languages"]:
        raise InvalidInput(_("the language check needs config.target_languages"))
    if checks.get("copy") == "off":
        out["copy_limit"] = 1.0
    if "duplicate" in checks:
        out["duplicates"] = checks["duplicate"]
    blocking = set(out["blocking"]) - {k for k, v in checks.items() if v != "block"}
    blocking |= {k for k, v in checks.items() if v == "block"}
    out["blocking"] = [c for c in CHECKS if c in blocking]


def validate(config: Any, mode: str) -> dict[str, Any]:
    """Check and normalise a writing project's config (defaults filled in)."""
    if not isinstance(config, dict):
        raise InvalidInput(_("config must be an object"))
    if config.get("mode", mode) != mode:
        raise InvalidInput(_("config.mode of this kind is %(mode)s") % {"mode": mode})
    d = DEFAULTS[mode]
    out: dict[str, Any] = {"mode": mode}
    if mode in COUNTED:
        out["min_count"] = _whole(config, "min_count", d["min_count"], 1, MAX_COUNT)
        out["max_count"] = _whole(config, "max_count", d["max_count"], 1, MAX_COUNT)
        if out["min_count"] > out["max_count"]:
            raise InvalidInput(_("config.min_count must not exceed config.max_count"))
    out["min_chars"] = _whole(config, "min_chars", d["min_chars"], 1, MAX_TEXT)
    out["max_chars"] = _whole(config, "max_chars", d["max_chars"], 1, MAX_TEXT)
    if out["min_chars"] > out["max_chars"]:
        raise InvalidInput(_("config.min_chars must not exceed config.max_chars"))
    if mode == "qa_pairs":
        out["answer_min_chars"] = _whole(config, "answer_min_chars", d["answer_min_chars"],
                                         1, MAX_TEXT)
        out["answer_max_chars"] = _whole(config, "answer_max_chars", d["answer_max_chars"],
                                         1, MAX_TEXT)
        if out["answer_min_chars"] > out["answer_max_chars"]:
            raise InvalidInput(_("config.answer_min_chars must not exceed "
                                 "config.answer_max_chars"))
    if mode == "dialogue":
        out["speakers"] = _speakers(config, d["speakers"])
    out["target_languages"] = _languages(config, d["target_languages"])
    out["copy_limit"] = _fraction(config, "copy_limit", COPY_LIMIT, 0.05)
    blocking = config.get("blocking", BLOCKING)
    if not isinstance(blocking, list) or any(b not in CHECKS for b in blocking):
        raise InvalidInput(_("config.blocking must be a list of: %(checks)s")
                           % {"checks": ", ".join(CHECKS)})
    out["blocking"] = [c for c in CHECKS if c in blocking]
    duplicates = config.get("duplicates")
    if duplicates is None:
        duplicates = "block" if "duplicate" in out["blocking"] else "warn"
    elif duplicates not in DUPLICATES:
        raise InvalidInput(_('config.duplicates must be "block", "warn" or "off"'))
    out["duplicates"] = duplicates
    if "checks" in config:
        _shorthand(config, out)
    out["blocking"] = [c for c in out["blocking"] if c != "duplicate"] + (
        ["duplicate"] if out["duplicates"] == "block" else [])
    out["pass_score"] = _fraction(config, "pass_score", d["pass_score"], 0.0)
    if masked := mask_setting(config):
        out["mask_personal_data"] = masked
    return out
