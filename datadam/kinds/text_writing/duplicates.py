"""The writing kinds' near-duplicate check: an answer that repeats one the client already
has (``collection.textdedup``), run in the submit's transaction through the kind's hooks.

The answer's texts are joined (speaker names, ``meta`` and ``checks`` left out) and looked up
among the organization's earlier answers. With ``duplicates`` "warn" (the default) each match
(best first, at most ``SHOWN``) is stored with the answer as a finding::

    {"check": "duplicate", "similarity": 0.93, "scope": "worker", "submission": 123,
     "excerpt": "the matching answer's first 120 characters"}

"block" refuses the answer with the place the copy was found; "off" does not look. Every
stored answer long enough is fingerprinted whatever the setting, so a project that turns the
check on later, and the client's other projects, find it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from datadam.collection.textdedup import (
    TextMatch,
    answer_text,
    text_duplicates,
    text_fingerprint_record,
)
from datadam.errors import InvalidInput

THRESHOLD = 0.8
SHOWN = 3


def refusal(match: TextMatch) -> str:
    """Why a duplicate is refused, naming where the copy was found."""
    alike = {"percent": round(match.similarity * 100)}
    if match.scope == "worker":
        return _("This answer repeats one you sent before (%(percent)s%% alike): write a "
                 "new answer for this item.") % alike
    if match.scope == "project":
        return _("This answer repeats an answer already sent in this project (%(percent)s%% "
                 "alike): write your own.") % alike
    return _("This answer repeats an answer sent in another project of this client "
             "(%(percent)s%% alike): write your own.") % alike


def finding(match: TextMatch) -> dict[str, Any]:
    return {"check": "duplicate", "similarity": match.similarity, "scope": match.scope,
            "submission": match.submission_id, "excerpt": match.excerpt}


def duplicates_checked(answer: dict[str, Any], content_key: str, *, project: Any,
                       assignment: Any, worker: Any) -> dict[str, Any]:
    """The answer with its duplicate findings added to ``checks`` (as the project's
    ``duplicates`` setting says), or InvalidInput when it blocks them."""
    setting = (project.config or {}).get("duplicates", "warn")
    if setting == "off":
        return answer
    matches = text_duplicates(
        organization_id=project.organization_id, project_id=project.pk, worker_id=worker.pk,
        text=answer_text({content_key: answer[content_key]}), threshold=THRESHOLD,
        limit=SHOWN, item_id=assignment.item_id)
    if not matches:
        return answer
    if setting == "block":
        raise InvalidInput(refusal(matches[0]))
    return {**answer, "checks": [*answer.get("checks", []), *map(finding, matches)]}


def answer_fingerprinted(submission: Any, content_key: str, *, project: Any,
                         assignment: Any, worker: Any) -> None:
    """Record the stored answer's fingerprint (a revision's replaces the earlier ones)."""
    text_fingerprint_record(
        organization_id=project.organization_id, project_id=project.pk, worker_id=worker.pk,
        submission_id=submission.pk,
        text=answer_text({content_key: submission.answer[content_key]}),
        replaces_assignment=assignment.pk if submission.revision else None)
