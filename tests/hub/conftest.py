"""Fixtures of the hub's tests: a finished text classification project published as a
dataset, with its version built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datadam.hub.models import Dataset, DatasetVersion


@pytest.fixture
def hub_storage(settings, tmp_path):
    """The default storage in a temporary folder (version files are written there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def labeled_project(make_project, worker, do_work) -> Any:
    """A launched text classification project of 4 items, each answered once (review
    policy "auto": the answers count while they wait, so every item has a result)."""
    project = make_project(items=4, overlap=1, review_policy="auto")
    for label in ("pos", "neg", "pos", "neu"):
        do_work(project, worker, {"label": label})
    return project


@pytest.fixture
def build() -> Callable[[Any], DatasetVersion]:
    """Run the build job of the dataset's newest version; the version, refreshed."""
    from datadam.hub.snapshot import version_build

    def run(dataset: Dataset) -> DatasetVersion:
        version = DatasetVersion.objects.filter(dataset=dataset).order_by("-number").first()
        outcome = version_build(version_id=version.pk)
        version.refresh_from_db()
        assert version.status == "ready", outcome
        return version

    return run


@pytest.fixture
def published(client_org, labeled_project, hub_storage, build) -> Dataset:
    """The project published as a public dataset, version 1 built."""
    from datadam.hub.services.datasets import dataset_publish

    user, _org = client_org
    dataset = dataset_publish(user=user, project_ids=[labeled_project.pk], title="Sentiment",
                              description="Short texts with their sentiment.",
                              languages=["en"], tags=["sentiment"])
    build(dataset)
    dataset.refresh_from_db()
    return dataset
