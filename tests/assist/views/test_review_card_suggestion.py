"""A reviewer sees, on each card, what the worker did with the model's suggestion."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.assist.models import Suggestion
from datadam.assist.services.settings import assist_configure
from datadam.projects.models import Item
from datadam.review.selectors import batch_hints, review_batch

pytestmark = pytest.mark.django_db


def test_the_review_card_says_whether_the_models_suggestion_was_kept(
        make_project, client_org, worker, reviewer, do_work):
    user, _org = client_org
    project = make_project(items=3)
    assist_configure(user=user, project_id=project.pk, source="text_embeddings")
    for item in Item.objects.filter(project=project):
        Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                                  score=0.9, model_version="m1")
    do_work(project, worker, {"label": "pos"})
    do_work(project, worker, {"label": "neg"})
    Suggestion.objects.filter(project=project).delete()  # the third was answered without one
    do_work(project, worker, {"label": "neu"})
    batch = review_batch(reviewer=reviewer, project=project)
    hints = batch_hints(submissions=batch["submissions"])
    assert [h["suggestion"] for h in hints] == ["accepted", "replaced", None]
    browser = Client()
    browser.force_login(reviewer)
    html = browser.get(f"/review/projects/{project.pk}/").content.decode()
    assert "Model&#x27;s suggestion kept as it was" in html or \
        "Model's suggestion kept as it was" in html
    assert "suggestion replaced" in html
