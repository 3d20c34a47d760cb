"""Fixtures for the quality app: projects with gold items and a policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datadam.projects.models import Project
from datadam.quality.services import gold_import, policy_update


@pytest.fixture
def gold_project(make_project, client_org) -> Callable[..., Project]:
    """A launched project with ``items`` ordinary and ``golds`` gold items (answer "pos")."""

    def make(*, items: int = 20, golds: int = 5, rate: int = 20, launch: bool = True,
             **policy: Any) -> Project:
        user, _org = client_org
        project = make_project(items=items, launch=False)
        if golds:
            report = gold_import(user=user, project_id=project.pk, items=[
                {"data": {"text": f"gold {i}"}, "gold": {"label": "pos"}} for i in range(golds)
            ])
            assert report.ok, report.errors
        policy_update(user=user, project_id=project.pk, gold_rate=rate, **policy)
        if launch:
            from datadam.projects.services import project_launch

            project_launch(user=user, project_id=project.pk)
        project.refresh_from_db()
        return project

    return make
