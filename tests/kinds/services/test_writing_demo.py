"""The writing demo: five projects worked on, aggregated, with warnings for the reviewer."""

from __future__ import annotations

import random

import pytest

from datadam.accounts.models import Role
from datadam.datasets.models import ItemResult, WorkerEstimate
from datadam.demo.text_writing import PROJECTS, demo_text_writing
from datadam.quality import gold
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db
SEED = 1


def test_the_demo_makes_worked_aggregated_writing_projects(client_org, make_user, monkeypatch):
    # Gold is served at random (the global generator): seeded, the demo runs the same each
    # time (unseeded, about one run in five let the good worker's typos win a tie).
    monkeypatch.setattr(gold, "random", random.Random(SEED))
    client, org = client_org
    workers = [make_user(Role.WORKER) for _ in range(3)]
    reviewer = make_user(Role.WORKER, reviewer=True)
    projects = demo_text_writing(client=client, organization_id=org.pk, workers=workers,
                                 reviewer=reviewer, rng=random.Random(7))
    assert [p.kind for p in projects] == [spec["kind"] for spec in PROJECTS]
    for project in projects:
        results = ItemResult.objects.filter(project=project)
        assert results.exists(), project.kind
        assert all(r.method == "fusion" and 0 <= r.confidence <= 1 for r in results)
        assert WorkerEstimate.objects.filter(project=project).exists()
    # The careful worker's answers become the results of the summaries (the medoid).
    summary = projects[1]
    careful = {s.assignment.item_id: s.answer["text"] for s in Submission.objects.filter(
        assignment__project=summary, assignment__worker=workers[0])}
    chosen = {r.item_id: r.result["text"] for r in ItemResult.objects.filter(project=summary)}
    assert sum(careful.get(i) == t for i, t in chosen.items()) >= len(chosen) // 2
    # The sloppy worker's copied summaries carry a warning; the careful ones none.
    sloppy = Submission.objects.filter(assignment__project=summary,
                                       assignment__worker=workers[2])
    assert any(c["check"] == "copy" for s in sloppy for c in s.answer.get("checks", []))
    assert not any("checks" in s.answer for s in Submission.objects.filter(
        assignment__project=summary, assignment__worker=workers[0]))
    assert all(s.answer["meta"]["pastes"] >= 1 for s in sloppy)
