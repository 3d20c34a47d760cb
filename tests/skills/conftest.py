"""Fixtures of the skills, recommendation and reviewer-check tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datadam.projects.models import Item, Project


@pytest.fixture
def gold_project(make_project) -> Callable[..., Project]:
    """A launched text classification project whose first ``gold`` items are gold "pos"."""

    def make(*, items: int = 6, gold: int = 3, **fields: Any) -> Project:
        project = make_project(items=items, **fields)
        ids = list(Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
        Item.objects.filter(pk__in=ids[:gold]).update(gold={"label": "pos"})
        return project

    return make
