"""The small interface every task kind implements."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .config_fields import ConfigField
from .exporting import ExportFormat


class ItemError(ValueError):
    """An item's data does not fit the kind (the message names the problem)."""


@dataclass(frozen=True)
class ItemAggregate:
    """One item's overlapping answers combined: the result (an answer's keys, plus a
    ``score`` per shape where the kind has shapes), how much the answers agreed (0 to 1)
    and a short summary to list results by (``ItemResult.label``)."""

    result: dict[str, Any]
    agreement: float
    summary: str


class TaskKind(ABC):
    slug: str
    # Shown to people: define them with gettext_lazy so each page shows them in its language.
    title: str
    description: str
    #: True: answers are class labels, aggregated across items by Dawid–Skene and kin
    #: (``datadam.datasets.aggregation``). False: each item is aggregated on its own by
    #: ``aggregate_item`` (shapes, points, texts), with worker weights from earlier runs.
    crowd_labels: bool = True
    #: True: ``validate_answer`` needs the item's data (e.g. to check shapes against the
    #: image's size); the submit path reads it only for such kinds.
    answer_needs_item: bool = False
    #: Export formats besides the JSONL and CSV that every kind has.
    exporters: tuple[ExportFormat, ...] = ()
    #: Whether the project's config has ``labels`` (the wizard's label list) and may be
    #: ``multi_label`` (classification only).
    uses_labels: bool = True
    multi_label_option: bool = False
    #: Words in a client's description of the workers they want that point at this kind
    #: ("visually sharp", "has done OCR"), for finding workers skilled in it.
    search_words: tuple[str, ...] = ()
    #: The kind's other settings, asked by the wizard (``config_fields``).
    config_fields: tuple[ConfigField, ...] = ()
    #: The media a client uploads to make this kind's items ("image", "audio", "video"):
    #: the item's key that holds the file's URL (``datadam.media``). None: no upload.
    media_field: str | None = None
    #: True: the submit path calls ``answer_received`` and ``answer_stored`` (collection kinds
    #: link the captured file and look for near-duplicates); False keeps the hot path lean.
    submit_hooks: bool = False
    #: True: a worker may send at most ``config["per_worker"]`` answers in a project
    #: (checked at claim time; collection kinds).
    caps_per_worker: bool = False
    #: True: workers make new data (collection: photos, recordings, clips) rather than
    #: label the client's; the console lists the captures.
    collects: bool = False

    def answer_received(self, answer: dict[str, Any], *, project: Any, assignment: Any,
                        worker: Any) -> dict[str, Any]:
        """A validated answer, before it is stored (inside the submit's transaction): add
        what the server found (checks, near-duplicates, the captured file), or raise
        InvalidInput to refuse it. Only called when ``submit_hooks``."""
        return answer

    def answer_stored(self, *, submission: Any, project: Any, assignment: Any,
                      worker: Any) -> None:
        """The answer is stored (same transaction): record what later answers are compared
        with (fingerprints). Only called when ``submit_hooks``."""
        return None

    def export_records(self, project: Any, options: Any) -> Any:
        """The records the export writers read, when the kind's data is not one record per
        item (collection kinds: one per approved capture); None: the items' results."""
        return None

    def export_media(self, config: dict[str, Any], open_media: Any) -> Any:
        """The opener the export writers read media files through (collection kinds blur
        faces and drop metadata on the way); by default ``open_media`` itself."""
        return open_media

    def deidentification(self, config: dict[str, Any]) -> dict[str, Any]:
        """What exports of a project with this config mask, for the dataset card."""
        from datadam.datasets.masking import masked_kinds

        kinds = masked_kinds(config)
        return {"personal_data_masked": list(kinds)} if kinds else {}

    def sample_item(self) -> dict[str, Any]:
        """An item to show in the wizard's live preview (no network, no upload)."""
        return {}

    def example_item(self) -> dict[str, Any]:
        """An item as a client writes it in an import file (for the format help)."""
        return {}

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
    def validate_answer(
        self, answer: Any, config: dict[str, Any], item: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Check and normalise a worker's answer; raise InvalidInput with a clear message.

        ``item``: the item's data where the caller has it (always for kinds with
        ``answer_needs_item``; None for gold answers imported before the item exists)."""

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

    def answer_matches(
        self, answer: dict[str, Any], gold: dict[str, Any], config: dict[str, Any] | None = None
    ) -> bool:
        """Whether a validated answer counts as the gold (known) answer. Equality here;
        kinds with shapes or text accept a tolerance (``score_answer`` ≥ their pass score)."""
        return answer == gold

    def score_answer(
        self, answer: dict[str, Any], reference: dict[str, Any], config: dict[str, Any]
    ) -> float:
        """How close an answer is to a reference answer (gold, or the crowd's result), in
        [0, 1]: IoU-matched F1, OKS, 1 − CER... Gold scoring and worker skill use it."""
        return 1.0 if self.answer_matches(answer, reference, config) else 0.0

    def aggregate_item(
        self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
        config: dict[str, Any],
    ) -> ItemAggregate | None:
        """Combine one item's answers (``weights``: each worker's weight, e.g. skill) into a
        result and an agreement; None when there is no answer. Kinds without
        ``crowd_labels`` must implement it; classification kinds derive it from
        ``aggregate`` (their delivered results come from the cross-item models)."""
        if not answers:
            return None
        result = self.aggregate(answers, config)
        return ItemAggregate(
            {k: v for k, v in result.items() if k not in ("confidence", "answers")},
            float(result.get("confidence", 0.0)), self.summary(result),
        )

    def correctness(self, config: dict[str, Any]) -> str:
        """When a result counts as right against a known answer, in words (the dataset card
        states it beside the measured accuracy)."""
        return _("the same label (or set of labels) as the known answer")

    def summary(self, answer: dict[str, Any]) -> str:
        """An answer (or result) in a few words, as a list of results shows it."""
        labels = self.labels_of(answer)
        return ", ".join(labels) if labels else ""

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        """The class labels an answer holds, for crowd-label aggregation across items."""
        return []

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """A valid answer that differs from ``gold`` (for known-bad review controls), or
        None when the kind cannot make one. Must be deterministic."""
        return None


class FusedKind(TaskKind):
    """A kind whose answers are combined item by item (shapes, spans, texts, segments), not
    by the label models: ``aggregate`` is ``aggregate_item`` with equal weights, and the
    widget posts the whole answer as JSON in one form field, ``answer``."""

    crowd_labels = False

    def aggregate(self, answers: Sequence[dict[str, Any]], config: dict[str, Any]
                  ) -> dict[str, Any]:
        """``aggregate_item`` with every worker weighted alike (no skills known)."""
        fused = self.aggregate_item(answers, [1.0] * len(answers), config)
        if fused is None:
            return {}
        return {**fused.result, "confidence": round(fused.agreement, 4), "answers": len(answers)}

    def answer_from_form(self, form: Any, config: dict[str, Any]) -> Any:
        raw = form.get("answer", "")
        try:
            return json.loads(raw)
        except ValueError:
            return raw  # validate_answer explains what an answer looks like
