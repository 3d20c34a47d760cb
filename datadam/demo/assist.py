"""Demo of model assistance: a product-review project whose first answers, reviewed, have
trained the built-in text classifier; the items left carry its suggestions, ordered most
uncertain first, and two answers given with a suggestion show an accepted and a replaced
one on the client's Model assistance page.

The reviews are generated from short phrases whose sentiment is known (in English: the
packaged model reads English); the demo crowd answers the first items right and the
reviewer approves them, which is what the head learns from.
"""

from __future__ import annotations

import random
from typing import Any

from datadam.assist.models import Mode, Order
from datadam.assist.services.jobs import assist_train
from datadam.assist.services.settings import assist_configure
from datadam.datasets.aggregation import results_aggregate
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, Project
from datadam.projects.services import project_create, project_launch
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.services import assignment_claim, assignment_submit

ITEMS = 48
TRAINED_ON = 20
# English only: all-MiniLM-L6-v2 was trained on English, and Korean text embeds poorly.
GOOD = ["arrived quickly and works perfectly", "great value, I would buy it again",
        "the quality is excellent", "really comfortable and well made",
        "I love it, exactly as described", "my kids are delighted with it"]
BAD = ["broke after two days", "the worst purchase I have made",
       "arrived damaged and support never answered", "cheap material, it smells bad",
       "stopped working within a week", "a waste of money, I returned it"]
THINGS = ["This kettle", "The headphones", "My new chair", "The phone case", "This backpack",
          "These shoes"]


def _reviews(rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for i in range(ITEMS):
        label = "positive" if i % 2 == 0 else "negative"
        phrase = rng.choice(GOOD if label == "positive" else BAD)
        out.append((f"{rng.choice(THINGS)}: {phrase}.", label))
    return out


def demo_assist(*, client: Any, organization_id: int, workers: list[Any], reviewer: Any,
                rng: random.Random, **_: Any) -> list[Project]:
    reviews = _reviews(rng)
    truth = dict(reviews)
    project = project_create(
        user=client, organization_id=organization_id,
        name="Product reviews (model-assisted)", kind="text_classification", reward=5,
        review_reward=1, overlap=1,
        instructions="Is the review positive or negative? A model suggests an answer: check "
                     "it and change it where it is wrong.",
        config={"labels": ["positive", "negative"]})
    items_import(user=client, project_id=project.pk, lines=parse_records(
        [{"data": {"text": text}, "external_id": f"review-{i}"}
         for i, (text, _label) in enumerate(reviews)]))
    project_launch(user=client, project_id=project.pk)
    # The first answers, right and approved: what the model learns from.
    for n in range(TRAINED_ON):
        worker = workers[n % len(workers)]
        assignment = assignment_claim(worker=worker, project_id=project.pk)
        text = Item.objects.get(pk=assignment.item_id).data["text"]
        submission, _created = assignment_submit(worker=worker, assignment_id=assignment.pk,
                                                 answer={"label": truth[text]},
                                                 client_duration_ms=3000)
        review_decide(reviewer=reviewer, submission_id=submission.pk,
                      decision=Decision.APPROVE)
    results_aggregate(project_id=project.pk)
    assist_configure(user=client, project_id=project.pk, source="text_embeddings",
                     mode=Mode.ASSIST, order=Order.MARGIN, min_labels=10)
    assist_train(project_id=project.pk)  # now, not in the job: the demo shows it at once
    # Two answers given with a suggestion: one kept, one changed.
    for keep, worker in ((True, workers[0]), (False, workers[1])):
        assignment = assignment_claim(worker=worker, project_id=project.pk)
        from datadam.assist.models import Suggestion

        suggested = Suggestion.objects.filter(item_id=assignment.item_id).values_list(
            "answer", flat=True).first() or {"label": "positive"}
        other = "negative" if suggested.get("label") == "positive" else "positive"
        assignment_submit(worker=worker, assignment_id=assignment.pk,
                          answer=suggested if keep else {"label": other},
                          client_duration_ms=2500)
    return [project]
