"""Reading the audit log: operators see everything, clients their own projects."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_client_reads_its_projects_events_newest_first(client_org, make_project, worker, api):
    project = make_project(items=2)
    api(worker).post(f"projects/{project.pk}/next")
    r = api(client_org[0]).get(f"projects/{project.pk}/audit")
    assert r.status_code == 200
    actions = [e["action"] for e in r.json()]
    assert actions == ["assignment.claim", "project.launch", "items.import", "project.create"]
    assert r.json()[0]["actor_id"] == worker.pk
    older = api(client_org[0]).get(f"projects/{project.pk}/audit?before={r.json()[1]['id']}")
    assert [e["action"] for e in older.json()] == ["items.import", "project.create"]


def test_another_organizations_project_audit_is_not_found(make_client_org, make_project, api):
    project = make_project(items=1)
    outsider, _ = make_client_org()
    assert api(outsider).get(f"projects/{project.pk}/audit").status_code == 404


def test_operators_filter_the_whole_log_by_action_and_actor(make_project, worker, operator, api):
    project = make_project(items=2)
    api(worker).post(f"projects/{project.pk}/next")
    ops = api(operator)
    rows = ops.get("ops/audit?action=assignment.claim").json()
    assert [(e["action"], e["actor_id"]) for e in rows] == [("assignment.claim", worker.pk)]
    mine = ops.get(f"ops/audit?actor_id={worker.pk}").json()
    assert {e["action"] for e in mine} == {"assignment.claim", "token.create"}
    assert api(worker).get("ops/audit").status_code == 403
