"""Fixtures of the collection tests: a launched collection project of any capture kind."""

from __future__ import annotations

import pytest

from datadam.projects.importing import items_import
from datadam.projects.parsing import parse_records
from datadam.projects.services import project_create, project_launch


@pytest.fixture
def collection(client_org):
    user, org = client_org

    def make(kind: str = "photo_capture", items: int = 6, **config):
        project = project_create(user=user, organization_id=org.pk, name=f"{kind} project",
                                 kind=kind, reward=5, review_reward=1, overlap=3,
                                 config=config)
        items_import(user=user, project_id=project.pk, lines=parse_records(
            [{"external_id": f"p{i}", "data": {"prompt": f"Prompt {i}"}}
             for i in range(items)]))
        return project_launch(user=user, project_id=project.pk)

    return make
