"""A ledger transaction's line on a statement, in the reader's language.

The memo stored with a transaction is a record (English, never edited). What the event was
is also in its unique key ("submission:51:reward", "payout:3:paid", ...), so a statement
reads the key and words it in the active language; a key of no known form shows the memo.

An answer is named by its assignment's number, as the worker sees it in My work (one
assignment per worker and item; its revisions are submissions of the same assignment). The
keys of answer events hold the submission instead (each revision is reviewed and paid on
its own), so the caller passes the assignment it belongs to (``answer``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"submission:(?P<id>\d+):reward"), "reward"),
    (re.compile(r"submission:(?P<id>\d+):review"), "review"),
    (re.compile(r"submission:(?P<id>\d+):skill_bonus"), "bonus"),
    (re.compile(r"payout:(?P<id>\d+):request"), "payout_request"),
    (re.compile(r"payout:(?P<id>\d+):paid"), "payout_paid"),
    (re.compile(r"payout:(?P<id>\d+):refused"), "payout_refused"),
    (re.compile(r"project:(?P<id>\d+):fund:(?P<a>\d+)-(?P<b>\d+)"), "fund"),
    (re.compile(r"project:(?P<id>\d+):gold:(?P<a>\d+)-(?P<b>\d+)"), "gold"),
    (re.compile(r"(?:project:\d+:close|submission:\d+:settle):refund"), "refund"),
    (re.compile(r"topup:.*"), "topup"),
]
BEYOND_ESCROW = " (beyond escrow)"  # appended to a payment's memo when escrow ran short
# Events about one answer: the key's id is a submission, the line names its assignment.
ANSWER_EVENTS = ("reward", "review", "bonus")


# Worded when a line is shown (gettext then), only the one a line needs.
_TEXTS = {
    "reward": gettext_noop("approved answer #%(id)s"),
    "review": gettext_noop("review of answer #%(id)s"),
    "bonus": gettext_noop("skill bonus for answer #%(id)s"),
    "payout_request": gettext_noop("payout #%(id)s requested"),
    "payout_paid": gettext_noop("payout #%(id)s paid"),
    "payout_refused": gettext_noop("payout #%(id)s refused"),
    "fund": gettext_noop("budget for %(n)s items of project #%(id)s"),
    "gold": gettext_noop("budget for %(n)s gold answers of project #%(id)s"),
    "refund": gettext_noop("unused budget returned"),
    "topup": gettext_noop("top-up %(ref)s"),
}


def _worded(event: str, part: dict[str, str]) -> str:
    if event in ("fund", "gold"):
        part["n"] = str(int(part["b"]) - int(part["a"]))
    if event == "topup" and not part.get("ref"):
        return _("top-up")  # no reference given: the key holds a generated id
    return _(_TEXTS[event]) % part


def _event(key: str) -> tuple[str, dict[str, str]] | None:
    for pattern, event in _PATTERNS:
        match = pattern.fullmatch(key or "")
        if match:
            return event, match.groupdict()
    return None


def answer_event(key: str) -> tuple[str, int] | None:
    """("reward" | "review" | "bonus", submission id) for a key about one answer, else None."""
    found = _event(key)
    if found is None or found[0] not in ANSWER_EVENTS:
        return None
    return found[0], int(found[1]["id"])


def statement_line(*, key: str, memo: str, answer: int | None = None) -> str:
    """What a transaction was, worded in the active language (its memo when unknown).

    ``answer``: the assignment an answer event's submission belongs to; without it such a
    line shows its memo, since the submission's number is not the one the worker knows.
    """
    found = _event(key)
    if found is None:
        return memo
    event, part = found
    if event in ANSWER_EVENTS:
        if answer is None:
            return memo
        part["id"] = str(answer)
    if event == "topup":  # the operator's reference, as the memo keeps it
        part["ref"] = memo.removeprefix("top-up").strip()
    text = _worded(event, part)
    if memo.endswith(BEYOND_ESCROW):
        beyond = _("beyond escrow")
        text += f" ({beyond})"
    return text
