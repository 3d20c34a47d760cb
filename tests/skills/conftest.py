"""Fixtures of the skills, recommendation and reviewer-check tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from datadam.projects.models import Item, Project


@pytest.fixture
def mark_gold() -> Callable[[Project, int], None]:
    """Make the first ``n`` items of a project gold ("pos").

    Tests call it after the work and its reviews are done: skills are computed from
    ``Item.gold`` whenever they are computed, and answers on items that are gold when
    submitted may be decided at once by the gold questions of the quality app.
    """

    def mark(project: Project, n: int) -> None:
        ids = list(Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
        Item.objects.filter(pk__in=ids[:n]).update(gold={"label": "pos"})

    return mark
