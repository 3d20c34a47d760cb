"""The task loop's views: claim, answer (htmx and plain), skip, stop, and every refusal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.projects.models import Item
from datadam.projects.services import project_close, project_pause
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def task_of(html: str) -> dict[str, str]:
    """The hidden fields and the item text of a rendered task."""
    fields = dict(
        re.findall(r'<input type="hidden" name="(assignment|key|done)" value="(\w*)"', html)
    )
    fields["text"] = re.search(r'<div class="text"[^>]*>(.*?)</div>', html).group(1)
    return fields


@pytest.fixture
def start(client, make_project, worker):
    def go(**kwargs):
        project = make_project(**kwargs)
        client.force_login(worker)
        response = client.get(f"/work/projects/{project.pk}/task/")
        assert response.status_code == 200
        return project, task_of(response.content.decode())

    return go


def answer(client, project, task, label="pos", headers=HX, **extra):
    data = {"assignment": task["assignment"], "key": task["key"], "done": task["done"], **extra}
    if label is not None:
        data["label"] = label
    return client.post(f"/work/projects/{project.pk}/task/answer/", data, headers=headers)


def test_task_page_leases_one_item_and_shows_widget_timer_and_key(client, start, worker):
    project, task = start(items=3)
    assignment = Assignment.objects.get(worker=worker)
    assert task["assignment"] == str(assignment.pk) and task["text"] == "text 0"
    assert len(task["key"]) == 32
    html = client.get(f"/work/projects/{project.pk}/task/").content.decode()
    assert f'data-expires="{assignment.expires_at.isoformat()}"' in html
    assert 'data-key="1"' in html and 'data-key="Enter"' in html and 'data-key="s"' in html
    assert Assignment.objects.filter(worker=worker).count() == 1  # a reload keeps the lease


def test_answer_by_htmx_stores_it_and_returns_the_next_task_fragment(client, start, worker):
    project, task = start(items=3)
    response = answer(client, project, task, duration_ms="2345")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="task"') and "<html" not in html
    nxt = task_of(html)
    assert nxt["text"] == "text 1" and nxt["done"] == "1" and nxt["key"] != task["key"]
    sub = Submission.objects.get()
    assert (sub.assignment_id, sub.answer, sub.client_duration_ms) == (
        int(task["assignment"]),
        {"label": "pos"},
        2345,
    )
    assert "Saved." in html


def test_same_idempotency_key_twice_stores_one_answer_and_shows_the_same_next_item(client, start):
    project, task = start(items=3)
    first = task_of(answer(client, project, task).content.decode())
    second = task_of(answer(client, project, task).content.decode())
    assert Submission.objects.count() == 1
    assert first["assignment"] == second["assignment"] and second["done"] == "1"


def test_nothing_picked_is_an_inline_error_and_nothing_is_stored(client, start):
    project, task = start(items=3)
    html = answer(client, project, task, label=None).content.decode()
    assert 'id="task-error"' in html and "Pick an answer first" in html
    assert task_of(html)["assignment"] == task["assignment"]
    assert Submission.objects.count() == 0


def test_an_unknown_label_shows_the_kinds_message_and_stores_nothing(client, start):
    project, task = start(items=3)
    html = answer(client, project, task, label="sarcastic").content.decode()
    assert "unknown label &#x27;sarcastic&#x27;" in html
    assert Submission.objects.count() == 0


def test_a_silly_client_duration_is_dropped_not_stored(client, start):
    project, task = start(items=2)
    answer(client, project, task, duration_ms="-5")
    assert Submission.objects.get().client_duration_ms is None


def test_without_javascript_an_answer_redirects_back_to_the_task(client, start):
    project, task = start(items=2)
    response = answer(client, project, task, headers={})
    assert response.status_code == 302 and response.url == f"/work/projects/{project.pk}/task/"
    assert Submission.objects.count() == 1
    html = client.get(response.url).content.decode()
    assert "Saved." in html and task_of(html)["text"] == "text 1"


def test_skip_releases_the_item_and_shows_another(client, start):
    project, task = start(items=3)
    response = client.post(
        f"/work/projects/{project.pk}/task/skip/", {"assignment": task["assignment"]}, headers=HX
    )
    assert Assignment.objects.get(pk=task["assignment"]).status == AssignmentStatus.RELEASED
    assert task_of(response.content.decode())["text"] == "text 1"
    assert Submission.objects.count() == 0


def test_stop_for_now_gives_the_item_back_as_stopped_and_goes_back_to_the_feed(client, start):
    project, task = start(items=3)
    response = client.post(
        f"/work/projects/{project.pk}/task/stop/", {"assignment": task["assignment"]}
    )
    assert response.status_code == 302 and response.url == "/work/"
    assert Assignment.objects.get(pk=task["assignment"]).status == AssignmentStatus.STOPPED
    item_id = Assignment.objects.get(pk=task["assignment"]).item_id
    assert Item.objects.get(pk=item_id).slots_open == 1  # its slot is back for someone else
    assert "Stopped for now" in client.get("/work/").content.decode()


def test_an_answer_after_the_lease_expired_is_not_saved_and_a_new_item_follows(client, start):
    project, task = start(items=3)
    Assignment.objects.filter(pk=task["assignment"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    html = answer(client, project, task).content.decode()
    assert "Time for that item ran out" in html
    assert Submission.objects.count() == 0
    assert task_of(html)["assignment"] != task["assignment"]


def test_a_paused_project_shows_a_message_with_a_way_back(client, start, client_org):
    project, task = start(items=3)
    project_pause(user=client_org[0], project_id=project.pk)
    html = answer(client, project, task).content.decode()
    assert 'id="task-unavailable"' in html and "paused by its owner" in html
    assert 'href="/work/"' in html
    page = client.get(f"/work/projects/{project.pk}/task/")
    assert page.status_code == 200 and "paused by its owner" in page.content.decode()


def test_a_closed_project_says_it_takes_no_more_answers(client, start, client_org):
    project, _task = start(items=3)
    project_close(user=client_org[0], project_id=project.pk)
    html = client.get(f"/work/projects/{project.pk}/task/").content.decode()
    assert "closed and takes no more answers" in html


def test_when_nothing_is_left_the_worker_sees_an_empty_state(client, start):
    project, task = start(items=1)
    html = answer(client, project, task).content.decode()
    assert 'id="task-empty"' in html and "No more tasks for you here" in html


def test_someone_elses_assignment_cannot_be_answered_skipped_or_stopped(client, start, make_user):
    project, task = start(items=3)
    client.force_login(make_user())
    assert answer(client, project, task).status_code == 404
    assert (
        client.post(
            f"/work/projects/{project.pk}/task/skip/", {"assignment": task["assignment"]}
        ).status_code
        == 404
    )
    client.post(f"/work/projects/{project.pk}/task/stop/", {"assignment": task["assignment"]})
    assert Assignment.objects.get(pk=task["assignment"]).status == AssignmentStatus.LEASED
    assert Submission.objects.count() == 0


def test_answers_must_be_posted(client, start):
    project, _task = start(items=1)
    assert client.get(f"/work/projects/{project.pk}/task/answer/").status_code == 405


def test_an_image_project_with_several_labels_takes_checkbox_answers(
    client, make_project, worker, client_org
):
    from datadam.projects.importing import items_import, parse_records
    from datadam.projects.services import project_launch

    project = make_project(
        items=0,
        launch=False,
        kind="image_classification",
        config={"labels": ["cat", "dog", "bird"], "multi_label": True},
    )
    items_import(
        user=client_org[0],
        project_id=project.pk,
        lines=parse_records([{"image": f"/media/pet-{i}.png"} for i in range(2)]),
    )
    project_launch(user=client_org[0], project_id=project.pk)
    client.force_login(worker)
    html = client.get(f"/work/projects/{project.pk}/task/").content.decode()
    assert '<img src="/media/pet-0.png" alt="The image to classify"' in html
    assert html.count('type="checkbox" name="labels"') == 3
    fields = dict(re.findall(r'<input type="hidden" name="(assignment|key)" value="(\w*)"', html))
    response = client.post(
        f"/work/projects/{project.pk}/task/answer/",
        {**fields, "labels": ["bird", "cat"]},
        headers=HX,
    )
    assert '<img src="/media/pet-1.png"' in response.content.decode()
    assert Submission.objects.get().answer == {"labels": ["cat", "bird"]}


def test_a_worker_missing_a_projects_requirements_is_told_why_and_where_to_qualify(
    client, make_project, worker, client_org
):
    from datadam.qualifications.services import requirements_set

    project = make_project(items=2)
    requirements_set(user=client_org[0], project_id=project.pk, languages=["ko"])
    client.force_login(worker)
    response = client.get(f"/work/projects/{project.pk}/task/")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="task-not-eligible"' in html
    assert "<li>" in html and 'href="/work/"' in html
    assert not Assignment.objects.exists()
