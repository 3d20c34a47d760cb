"""Shared logic of the classification kinds (single- and multi-label)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from datadam.errors import InvalidInput

from .base import TaskKind

MAX_LABELS = 500


class ClassificationKind(TaskKind):
    """Pick one label (or several, when ``multi_label``) from the project's label set."""

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        labels = config.get("labels")
        if not isinstance(labels, list) or not labels:
            raise InvalidInput(_("config.labels must be a non-empty list of label names"))
        clean: list[str] = []
        for label in labels:
            if not isinstance(label, str) or not label.strip():
                raise InvalidInput(_("every label must be a non-empty string"))
            if "\x00" in label:
                raise InvalidInput(_("labels must not contain NUL characters"))
            clean.append(label.strip())
        if len(set(clean)) != len(clean):
            raise InvalidInput(_("labels must be unique"))
        if len(clean) > MAX_LABELS:
            raise InvalidInput(_("at most %(max_labels)s labels") % {"max_labels": MAX_LABELS})
        multi = config.get("multi_label", False)
        if not isinstance(multi, bool):
            raise InvalidInput(_("config.multi_label must be true or false"))
        return {"labels": clean, "multi_label": multi}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        labels = config.get("labels", [])
        if config.get("multi_label"):
            return {
                "type": "object",
                "required": ["labels"],
                "properties": {
                    "labels": {"type": "array", "items": {"enum": labels}, "uniqueItems": True}
                },
                "additionalProperties": False,
            }
        return {
            "type": "object",
            "required": ["label"],
            "properties": {"label": {"enum": labels}},
            "additionalProperties": False,
        }

    def validate_answer(
        self, answer: Any, config: dict[str, Any], item: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise InvalidInput(_("answer must be an object"))
        allowed = set(config["labels"])
        if config.get("multi_label"):
            extra = set(answer) - {"labels"}
            labels = answer.get("labels")
            if extra or not isinstance(labels, list):
                raise InvalidInput(_('answer must be {"labels": [...]} for a multi-label project'))
            if any(not isinstance(x, str) for x in labels) or len(set(labels)) != len(labels):
                raise InvalidInput(_("answer.labels must be distinct label names"))
            unknown = [x for x in labels if x not in allowed]
            if unknown:
                raise InvalidInput(
                    _("unknown labels: %(unknown)s")
                    % {"unknown": ', '.join(unknown)}
                )
            return {"labels": sorted(labels, key=config["labels"].index)}
        extra = set(answer) - {"label"}
        label = answer.get("label")
        if extra or not isinstance(label, str):
            raise InvalidInput(_('answer must be {"label": "<one of the project labels>"}'))
        if label not in allowed:
            raise InvalidInput(
                _("unknown label %(label)s; allowed: %(labels)s")
                % {"label": repr(label), "labels": ', '.join(config['labels'])}
            )
        return {"label": label}

    def answer_from_form(self, form: Any, config: dict[str, Any]) -> Any:
        if config.get("multi_label"):
            return {"labels": form.getlist("labels")}
        return {"label": form.get("label", "")}

    def answer_matches(
        self, answer: dict[str, Any], gold: dict[str, Any], config: dict[str, Any] | None = None
    ) -> bool:
        """The same label, or the same set of labels (order does not matter)."""
        return sorted(self.labels_of(answer)) == sorted(self.labels_of(gold))

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        if "labels" in answer:
            return list(answer["labels"])
        return [answer["label"]] if "label" in answer else []

    def aggregate(
        self, answers: Sequence[dict[str, Any]], config: dict[str, Any]
    ) -> dict[str, Any]:
        """Majority vote; ties go to the label listed first in the project's label set."""
        if not answers:
            return {}
        order = {label: i for i, label in enumerate(config["labels"])}
        n = len(answers)
        if config.get("multi_label"):
            counts = Counter(label for a in answers for label in a.get("labels", []))
            chosen = sorted((lb for lb, c in counts.items() if c * 2 > n), key=order.__getitem__)
            agreement = (
                sum(
                    1
                    for a in answers
                    if sorted(a.get("labels", []), key=order.__getitem__) == chosen
                )
                / n
            )
            return {"labels": chosen, "confidence": round(agreement, 4), "answers": n}
        counts = Counter(a["label"] for a in answers)
        label, votes = min(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 1 << 30)))
        return {"label": label, "confidence": round(votes / n, 4), "answers": n}

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """The first label of the set that is not the gold one (multi-label: the first label
        toggled in or out of the gold set)."""
        labels = list(config.get("labels") or [])
        if not isinstance(gold, dict) or not labels:
            return None
        if config.get("multi_label"):
            flipped = set(gold.get("labels") or []) ^ {labels[0]}
            return {"labels": [lb for lb in labels if lb in flipped]}
        others = [lb for lb in labels if lb != gold.get("label")]
        return {"label": others[0]} if others else None
