"""What a worker did with the suggestion they were shown: accepted it as it was, edited
it, or replaced it with an answer of their own (recorded with each submission)."""

from __future__ import annotations

from typing import Any

from .models import ProjectModel, Suggestion, SuggestionOutcome
from .selectors import shows_suggestions


def outcome_record(*, submission: Any, assignment: Any, project: Any) -> SuggestionOutcome | None:
    """Record the outcome for a submission whose worker saw a suggestion (the bias rules
    decide whether they did, as when the task was shown)."""
    from .builtin.outcome import suggestion_outcome

    model = ProjectModel.objects.filter(project_id=project.pk).first()
    if not shows_suggestions(model, project, gold=assignment.gold is not None):
        return None
    suggestion = Suggestion.objects.filter(item_id=assignment.item_id).first()
    if suggestion is None:
        return None
    outcome = suggestion_outcome(project.kind, suggestion.answer, submission.answer)
    row, _created = SuggestionOutcome.objects.update_or_create(
        submission=submission,
        defaults={"project_id": project.pk, "item_id": assignment.item_id, "outcome": outcome,
                  "model_version": suggestion.model_version})
    return row
