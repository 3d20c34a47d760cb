"""The small interface every task kind implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any


class ItemError(ValueError):
    """An item's data does not fit the kind (the message names the problem)."""


class TaskKind(ABC):
    slug: str
    # Shown to people: define them with gettext_lazy so each page shows them in its language.
    title: str
    description: str

    @abstractmethod
    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """Check and normalise a project's kind settings (labels, options); raise InvalidInput."""

    @abstractmethod
    def validate_item(self, data: Any) -> dict[str, Any]:
        """Check one imported item's data; raise ItemError. Called once per imported line."""

    @abstractmethod
    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        """JSON Schema of a valid answer for a project with this config."""

    @abstractmethod
    def validate_answer(self, answer: Any, config: dict[str, Any]) -> dict[str, Any]:
        """Check and normalise a worker's answer; raise InvalidInput with a clear message."""

    @abstractmethod
    def aggregate(
        self, answers: Sequence[dict[str, Any]], config: dict[str, Any]
    ) -> dict[str, Any]:
        """Combine one item's answers into a result (empty dict when there are none)."""

    @abstractmethod
    def answer_from_form(self, form: Any, config: dict[str, Any]) -> Any:
        """Turn the widget's posted form fields (a QueryDict) into an answer to validate."""

    @property
    def widget_template(self) -> str:
        """Template showing the item and the answer inputs (context: item, config, answer)."""
        return f"{self.slug}/widget.html"

    @property
    def review_template(self) -> str:
        """Compact template showing an item with one answer, for review screens."""
        return f"{self.slug}/review.html"

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any]) -> bool:
        """Whether a validated answer equals a gold (known) answer; kinds may loosen this."""
        return answer == gold

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        """The class labels an answer holds, for crowd-label aggregation across items."""
        return []

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """A valid answer that differs from ``gold`` (for known-bad review controls), or
        None when the kind cannot make one. Must be deterministic."""
        return None
