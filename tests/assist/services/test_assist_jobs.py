"""The model jobs and the bias rules: training on approved labels (idempotent), suggestions
and claim order, the target accuracy, failures that never block workers, and what a
worker did with a suggestion."""

from __future__ import annotations

import pytest

from datadam.assist.models import Mode, Outcome, ProjectModel, Suggestion, SuggestionOutcome
from datadam.assist.selectors import shows_suggestions, suggestion_for_item
from datadam.assist.services.jobs import assist_predict, assist_train, training_labels
from datadam.assist.services.settings import assist_configure, assist_disable
from datadam.datasets.models import ItemResult
from datadam.errors import InvalidInput, NotFound
from datadam.notifications.models import Notification
from datadam.projects.models import Item
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db


def _label_of(item: Item) -> str:
    return "pos" if item.data["text"].startswith("good") else "neg"


def _settle(project, n: int, start: int = 0) -> None:
    """Approved results for ``n`` items from the ``start``-th (as the aggregation writes
    them)."""
    from django.utils import timezone

    for item in Item.objects.filter(project=project).order_by("pk")[start:start + n]:
        ItemResult.objects.create(item=item, project=project, label=_label_of(item),
                                  result={"label": _label_of(item)}, confidence=0.9, answers=1,
                                  provisional=False, method="majority", run=1,
                                  updated_at=timezone.now())


def test_settings_are_checked_against_the_projects_kind(make_project, client_org):
    user, _org = client_org
    boxes = make_project(kind="bounding_box", config={"labels": ["car"]}, items=0,
                         launch=False)
    with pytest.raises(InvalidInput, match="does not serve"):
        assist_configure(user=user, project_id=boxes.pk, source="text_embeddings")
    text = make_project()
    for bad, message in (({"source": "backend"}, "backend_url"),
                         ({"source": "backend", "backend_url": "ftp://x"}, "backend_url"),
                         ({"source": "text_embeddings", "mode": "sometimes"}, "mode"),
                         ({"source": "text_embeddings", "target_accuracy": 1.5}, "target"),
                         ({"source": "text_embeddings", "min_labels": 1}, "min_labels"),
                         ({"source": "text_embeddings", "colour": "red"}, "unknown")):
        with pytest.raises(InvalidInput, match=message):
            assist_configure(user=user, project_id=text.pk, **bad)


def test_another_organizations_project_has_no_model_to_set(make_project, make_client_org):
    project = make_project()
    stranger, _org = make_client_org()
    with pytest.raises(NotFound):
        assist_configure(user=stranger, project_id=project.pk, source="text_embeddings")


@pytest.mark.parametrize(("mode", "overlap", "gold", "shown"), [
    (Mode.ASSIST, 1, False, True),
    (Mode.ASSIST, 3, False, False),  # several workers answer: their answers must stay independent
    (Mode.ASSIST, 1, True, False),  # never on gold
    (Mode.CORRECT, 3, False, True),  # the client asked the crowd to correct the model
    (Mode.CORRECT, 3, True, False),
    (Mode.OFF, 1, False, False),
])
def test_the_bias_rules_decide_who_sees_a_suggestion(make_project, mode, overlap, gold, shown):
    project = make_project(overlap=overlap)
    model = ProjectModel(project=project, source="text_embeddings", mode=mode)
    assert shows_suggestions(model, project, gold=gold) is shown


def test_training_needs_enough_approved_labels_and_runs_once_per_label_set(
        sentiment, fake_encoder, client_org):
    user, _org = client_org
    project = sentiment(40)
    assist_configure(user=user, project_id=project.pk, source="text_embeddings", min_labels=10)
    _settle(project, 6)
    assert assist_train(project_id=project.pk)["trained"] is False  # 6 < 10 labels
    assert not Suggestion.objects.filter(project=project).exists()
    _settle(project, 6, start=6)
    first = assist_train(project_id=project.pk)
    model = ProjectModel.objects.get(project=project)
    assert first["trained"] is True and model.trained_on == 12
    assert model.version.startswith("minilm-l6+head:") and model.estimated_accuracy > 0.9
    again = assist_train(project_id=project.pk)
    assert again["trained"] is False  # the same labels: the same head, nothing to do
    assert ProjectModel.objects.get(project=project).version == model.version
    suggestions = Suggestion.objects.filter(project=project)
    assert suggestions.count() == 40 - 0  # every open item (none is full yet)
    right = sum(s.answer["label"] == _label_of(s.item) for s in suggestions.select_related("item"))
    assert right >= 38


def test_training_uses_approved_results_and_gold_but_not_provisional_ones(sentiment, client_org):
    project = sentiment(6)
    items = list(Item.objects.filter(project=project).order_by("pk"))
    from django.utils import timezone

    ItemResult.objects.create(item=items[0], project=project, label="pos", result={"label": "pos"},
                              confidence=0.9, answers=1, provisional=True, method="majority",
                              run=1, updated_at=timezone.now())
    Item.objects.filter(pk=items[1].pk).update(gold={"label": "neg"})
    assert training_labels(project) == [(items[1].pk, "neg")]


def test_an_uncertainty_order_puts_the_least_certain_items_first_in_the_queue(
        sentiment, fake_encoder, client_org, worker):
    user, _org = client_org
    project = sentiment(30)
    # An item the model cannot place: neither "good" nor "bad".
    odd = Item.objects.filter(project=project).order_by("-pk").first()
    Item.objects.filter(pk=odd.pk).update(data={"text": "a film about nothing at all"})
    assist_configure(user=user, project_id=project.pk, source="text_embeddings", min_labels=10,
                     order="margin")
    _settle(project, 12)
    assist_train(project_id=project.pk)
    ranked = list(Item.objects.filter(project=project, slots_open__gt=0)
                  .order_by("priority", "pk").values_list("pk", flat=True))
    assert ranked[0] == odd.pk  # the model is least sure of the odd one
    first = assignment_claim(worker=worker, project_id=project.pk)
    assert first.item_id == odd.pk


def test_removing_the_model_puts_the_queue_back_in_import_order(sentiment, fake_encoder,
                                                              client_org):
    user, _org = client_org
    project = sentiment(20)
    assist_configure(user=user, project_id=project.pk, source="text_embeddings", min_labels=10,
                     order="entropy")
    _settle(project, 10)
    assist_train(project_id=project.pk)
    assert Item.objects.filter(project=project).exclude(priority=0).exists()
    assist_disable(user=user, project_id=project.pk)
    assert not Item.objects.filter(project=project).exclude(priority=0).exists()
    assert not Suggestion.objects.filter(project=project).exists()


def test_the_target_accuracy_met_pauses_the_project_and_tells_the_client(
        sentiment, fake_encoder, client_org):
    user, _org = client_org
    project = sentiment(30)
    assist_configure(user=user, project_id=project.pk, source="text_embeddings", min_labels=10,
                     target_accuracy=0.9)
    _settle(project, 12)
    outcome = assist_train(project_id=project.pk)
    project.refresh_from_db()
    assert outcome["target_met"] is True and project.status == "paused"
    assert ProjectModel.objects.get(project=project).target_met_at is not None
    assert Notification.objects.filter(user=user, code="assist.target_met").count() == 1
    assert assist_predict(project_id=project.pk)["target_met"] is False  # once


def test_a_failing_model_is_recorded_once_and_workers_go_on_without_suggestions(
        sentiment, client_org, worker, monkeypatch):
    from datadam.assist import predictors

    user, _org = client_org
    project = sentiment(4)
    assist_configure(user=user, project_id=project.pk, source="backend",
                     backend_url="http://127.0.0.1:9/")

    def down(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setitem(predictors.PREDICTORS, "backend", down)
    monkeypatch.setattr(predictors, "backend_of", lambda model: type(
        "B", (), {"setup": staticmethod(lambda **kw: "")})())
    for _ in range(2):
        assert "connection refused" in assist_train(project_id=project.pk)["error"]
    assert ProjectModel.objects.get(project=project).last_error
    assert Notification.objects.filter(user=user, code="assist.failed").count() == 1
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    assert suggestion_for_item(project_id=project.pk, item_id=assignment.item_id) is None
    assignment_submit(worker=worker, assignment_id=assignment.pk, answer={"label": "pos"})


def test_what_a_worker_did_with_the_suggestion_is_recorded_with_the_answer(
        sentiment, client_org, worker):
    user, _org = client_org
    project = sentiment(4)
    assist_configure(user=user, project_id=project.pk, source="text_embeddings")
    for item in Item.objects.filter(project=project):
        Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                                  score=0.8, uncertainty=0.2, model_version="m1")
    outcomes = []
    for label in ("pos", "neg"):
        a = assignment_claim(worker=worker, project_id=project.pk)
        shown = suggestion_for_item(project_id=project.pk, item_id=a.item_id)
        assert shown == {"answer": {"label": "pos"}, "score": 0.8, "model_version": "m1"}
        submission, _created = assignment_submit(worker=worker, assignment_id=a.pk,
                                                 answer={"label": label})
        outcomes.append(SuggestionOutcome.objects.get(submission=submission).outcome)
    assert outcomes == [Outcome.ACCEPTED, Outcome.REPLACED]


def test_no_outcome_is_recorded_where_the_worker_saw_no_suggestion(make_project, client_org,
                                                                  worker):
    user, _org = client_org
    project = make_project(overlap=3, items=2)  # assist mode hides suggestions here
    assist_configure(user=user, project_id=project.pk, source="text_embeddings")
    for item in Item.objects.filter(project=project):
        Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                                  score=0.8, model_version="m1")
    a = assignment_claim(worker=worker, project_id=project.pk)
    assert suggestion_for_item(project_id=project.pk, item_id=a.item_id) is None
    submission, _created = assignment_submit(worker=worker, assignment_id=a.pk,
                                             answer={"label": "pos"})
    assert not SuggestionOutcome.objects.filter(submission=submission).exists()


@pytest.mark.parametrize("url", ["http://[::1", "http://a:b@[x]/", "javascript:alert(1)", ""])
def test_a_malformed_server_address_is_refused_with_a_message(make_project, client_org, url):
    user, _org = client_org
    project = make_project()
    with pytest.raises(InvalidInput, match="backend_url"):
        assist_configure(user=user, project_id=project.pk, source="backend", backend_url=url)
