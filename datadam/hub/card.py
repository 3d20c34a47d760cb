"""The card of a dataset version: each source project's card and the accuracy pooled
over them, so a dataset built from several projects states one measured figure."""

from __future__ import annotations

from typing import Any

from datadam.datasets.selectors import _interval, dataset_card
from datadam.projects.models import Project


def _checks(card: dict[str, Any]) -> tuple[int, int] | None:
    """(correct, checked) behind a project's accuracy statement, if it has one."""
    accuracy = card.get("accuracy") or {}
    if accuracy.get("source") == "acceptance_sample":
        outcome = accuracy.get("acceptance_sample") or {}
        inspected, wrong = outcome.get("inspected") or 0, outcome.get("wrong") or 0
        return (inspected - wrong, inspected) if inspected else None
    gold = accuracy.get("gold") or {}
    if accuracy.get("source") == "gold" and gold.get("items"):
        return gold["correct"], gold["items"]
    return None


def pooled_accuracy(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """One accuracy statement from the sources' checks, summed (Wilson interval)."""
    checks = [c for c in (_checks(card) for card in cards) if c is not None]
    correct, total = sum(c for c, _ in checks), sum(n for _, n in checks)
    measured = _interval(correct, total) if total else None
    sources = {(card.get("accuracy") or {}).get("source") for card in cards} - {None}
    confidences = [(card.get("accuracy") or {}).get("model_expected_accuracy") for card in cards]
    confidences = [c for c in confidences if isinstance(c, int | float)]
    return {
        "estimate": measured["accuracy"] if measured else None,
        "interval_95": measured["wilson_95"] if measured else None,
        "interval_method": "wilson" if measured else None,
        "source": (sources.pop() if len(sources) == 1 else "pooled") if measured else None,
        "checked": total,
        "correct": correct,
        "projects_measured": len(checks),
        "model_expected_accuracy": (sum(confidences) / len(confidences)) if confidences else None,
    }


def version_card(base: list[Project], relabel: list[Project]) -> dict[str, Any]:
    """The version's card: per-source cards, pooled accuracy and summed counts."""
    cards = [dataset_card(p) for p in base]
    relabel_cards = [dataset_card(p) for p in relabel]
    for card in (*cards, *relabel_cards):
        card.pop("generated_at", None)  # the version is dated by itself
    first = cards[0] if cards else {}
    return {
        "accuracy": pooled_accuracy(cards),
        "relabel_accuracy": pooled_accuracy(relabel_cards) if relabel_cards else None,
        "correct_means": first.get("correct_means"),
        "items": sum(card.get("items") or 0 for card in cards),
        "results": sum(card.get("results") or 0 for card in cards),
        "results_provisional": sum(card.get("results_provisional") or 0 for card in cards),
        "gold_items": sum(card.get("gold_items") or 0 for card in cards),
        "sources": cards,
        "relabel_sources": relabel_cards,
    }
