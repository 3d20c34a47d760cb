"""Reading a written answer: its shape by mode, normalised text, the meta, the checks.

Answers by mode (``meta`` optional everywhere)::

    qa_pairs     {"pairs": [{"question": "...", "answer": "..."}], "meta": {...}}
    summary      {"text": "..."}
    translation  {"text": "..."}
    dialogue     {"turns": [{"speaker": "A", "text": "..."}]}
    sentences    {"sentences": ["...", "..."]}

Texts are NFC and trimmed; questions, answers, turns and sentences are one line (runs of
white space become one space); a summary or translation keeps its paragraphs. ``meta`` is
what the widget saw: ``{"pastes": n, "pasted_chars": n, "keys": n, "typed_ms": n}``, each
optional. Findings of checks the project lets through, and of the paste and typing checks
(``rhythm``, warnings only), are stored as ``checks`` (computed here, never taken from the
client: a ``checks`` sent in is dropped), so the content keys stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from datadam.errors import InvalidInput

from .checks import Finding, Part, run_checks
from .config import MAX_TEXT
from .rhythm import rhythm_findings

CONTENT = {"qa_pairs": "pairs", "summary": "text", "translation": "text",
           "dialogue": "turns", "sentences": "sentences"}
EXAMPLES = {
    "qa_pairs": '{"pairs": [{"question": "...", "answer": "..."}]}',
    "summary": '{"text": "..."}',
    "translation": '{"text": "..."}',
    "dialogue": '{"turns": [{"speaker": "...", "text": "..."}]}',
    "sentences": '{"sentences": ["...", "..."]}',
}
MAX_PASTES = 100_000
MAX_PASTED_CHARS = 10_000_000
MAX_KEYS = 10_000_000
MAX_TYPED_MS = 24 * 3600 * 1000
#: The widget's counts and their most (whole numbers from 0).
META = {"pastes": MAX_PASTES, "pasted_chars": MAX_PASTED_CHARS, "keys": MAX_KEYS,
        "typed_ms": MAX_TYPED_MS}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def one_line(text: str) -> str:
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text).strip()


def paragraphs(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text.replace("\t", " "))
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _what(part: str, n: int | None, mode: str) -> str:
    """A part of an answer, named for a message."""
    if part == "question":
        return _("Question %(n)s") % {"n": n}
    if part == "answer":
        return _("Answer %(n)s") % {"n": n}
    if part == "turn":
        return _("Turn %(n)s") % {"n": n}
    if part == "sentence":
        return _("Sentence %(n)s") % {"n": n}
    return _("The translation") if mode == "translation" else _("The summary")


def _text(value: Any, part: str, n: int | None, mode: str, *, lines: bool = False) -> str:
    what = _what(part, n, mode)
    if not isinstance(value, str) or len(value) > 4 * MAX_TEXT:
        raise InvalidInput(_("%(what)s must be text of at most %(most)s characters")
                           % {"what": what, "most": MAX_TEXT})
    text = paragraphs(value) if lines else one_line(value)
    if not text and part == "text":
        raise InvalidInput(_("%(what)s is empty: write it.") % {"what": what})
    if not text:
        raise InvalidInput(_("%(what)s is empty: write it, or remove it") % {"what": what})
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("%(what)s must be text of at most %(most)s characters")
                           % {"what": what, "most": MAX_TEXT})
    return text


def _items(answer: dict[str, Any], key: str, config: dict[str, Any], noun: str) -> list[Any]:
    value = answer.get(key)
    if not isinstance(value, list):
        raise InvalidInput(_("answer must be %(example)s")
                           % {"example": EXAMPLES[config["mode"]]})
    low, high = config["min_count"], config["max_count"]
    if not low <= len(value) <= high:
        raise InvalidInput(_("write from %(low)s to %(high)s %(noun)s (there are %(n)s)")
                           % {"low": low, "high": high, "noun": noun, "n": len(value)})
    return value


def _meta(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) - set(META):
        raise InvalidInput(_('answer.meta must be {"pastes": n, "pasted_chars": n, "keys": n, '
                             '"typed_ms": n} (each optional)'))
    out = {}
    for key, most in META.items():
        if key in value:
            v = value[key]
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= most:
                raise InvalidInput(_("answer.meta.%(key)s must be a whole number from 0 to "
                                     "%(most)s") % {"key": key, "most": most})
            out[key] = v
    return out


def read(answer: Any, config: dict[str, Any]) -> tuple[dict[str, Any], list[Part]]:
    """The normalised content (with ``meta`` when sent) and its parts to check."""
    mode = config["mode"]
    key = CONTENT[mode]
    if not isinstance(answer, dict) or key not in answer or set(answer) - {key, "meta",
                                                                            "checks"}:
        raise InvalidInput(_("answer must be %(example)s") % {"example": EXAMPLES[mode]})
    parts: list[Part] = []
    content: Any
    if mode in ("summary", "translation"):
        content = _text(answer["text"], "text", None, mode, lines=True)
        parts.append(Part("text", None, content))
    elif mode == "qa_pairs":
        content = []
        for n, pair in enumerate(_items(answer, "pairs", config,
                                        _("question–answer pairs")), 1):
            if not isinstance(pair, dict) or set(pair) != {"question", "answer"}:
                raise InvalidInput(_('pair %(n)s must be {"question": "...", "answer": "..."}')
                                   % {"n": n})
            q = _text(pair["question"], "question", n, mode)
            a = _text(pair["answer"], "answer", n, mode)
            content.append({"question": q, "answer": a})
            parts += [Part("question", n, q), Part("answer", n, a, copy=False)]
    elif mode == "dialogue":
        content = []
        for n, turn in enumerate(_items(answer, "turns", config, _("turns")), 1):
            if not isinstance(turn, dict) or set(turn) != {"speaker", "text"}:
                raise InvalidInput(_('turn %(n)s must be {"speaker": "...", "text": "..."}')
                                   % {"n": n})
            speaker = turn["speaker"].strip() if isinstance(turn["speaker"], str) else None
            if speaker not in config["speakers"]:
                raise InvalidInput(_("turn %(n)s: the speaker must be one of %(speakers)s")
                                   % {"n": n, "speakers": ", ".join(config["speakers"])})
            text = _text(turn["text"], "turn", n, mode)
            content.append({"speaker": speaker, "text": text})
            parts.append(Part("turn", n, text))
    else:
        content = [_text(s, "sentence", n, mode)
                   for n, s in enumerate(_items(answer, "sentences", config, _("sentences")), 1)]
        parts += [Part("sentence", n, s) for n, s in enumerate(content, 1)]
    out: dict[str, Any] = {key: content}
    if "meta" in answer and answer["meta"] is not None:
        out["meta"] = _meta(answer["meta"])
    return out, parts


def language_names(codes: list[str]) -> str:
    names = {"ko": _("Korean"), "en": _("English"), "ja": _("Japanese"), "zh": _("Chinese")}
    return _(" or ").join(names.get(c, c) for c in codes)


def refusal(finding: Finding, mode: str) -> str:
    """Why a blocking check refuses the answer, in words."""
    what, v = _what(finding.part, finding.n, mode), finding.values
    if finding.check == "length":
        return _("%(what)s has %(chars)s characters; write from %(min)s to %(max)s.") % {
            "what": what, **v}
    if finding.check == "language":
        return _("%(what)s does not read as %(languages)s: write it in %(languages)s.") % {
            "what": what, "languages": language_names(v["wanted"])}
    return _("%(what)s copies %(share)s%% of its characters from the source (at most "
             "%(limit)s%%): write it in your own words.") % {
        "what": what, "share": round(v["share"] * 100), "limit": round(v["limit"] * 100)}


def validate(answer: Any, config: dict[str, Any], item: dict[str, Any] | None
             ) -> dict[str, Any]:
    """The answer to store: refused when a blocking check fails, else with the findings of
    the other checks as ``checks``."""
    mode = config["mode"]
    out, parts = read(answer, config)
    source = item.get("source") if isinstance(item, dict) else None
    answer_limits = ((config["answer_min_chars"], config["answer_max_chars"])
                     if mode == "qa_pairs" else None)
    findings = run_checks(parts, source=source if isinstance(source, str) else None,
                          low=config["min_chars"], high=config["max_chars"],
                          answer_limits=answer_limits,
                          languages=config.get("target_languages", []),
                          copy_limit=config.get("copy_limit", 1.0))
    blocking = set(config.get("blocking", []))
    refused = [f for f in findings if f.check in blocking]
    if refused:
        more = len(refused) - 3
        text = " ".join(refusal(f, mode) for f in refused[:3])
        if more > 0:
            text += " " + _("(and %(n)s more)") % {"n": more}
        raise InvalidInput(text)
    found = [f.as_json() for f in findings]
    found += rhythm_findings(sum(len(p.text) for p in parts), out.get("meta"))
    if found:
        out["checks"] = found
    return out
