"""The quality API: client policy and rules, gold import, worker view, appeals, permissions."""

from __future__ import annotations

import pytest

from datadam.projects.models import Item
from datadam.quality.models import RuleHit

pytestmark = pytest.mark.django_db


def test_client_sets_policy_rules_and_imports_gold(api, client_org, make_project):
    user, _org = client_org
    project = make_project(items=10)
    c = api(user)
    r = c.patch(f"projects/{project.pk}/quality/policy", {"gold_rate": 20, "gold_min_answers": 3,
                                                        "gold_threshold": 80,
                                                        "gold_action": "remove"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["gold_rate"] == 20 and body["gold_action"] == "remove"
    assert body["gold_funded"] == 3  # ceil(10 × 20 / 80), funded at once: the project is open
    assert c.patch(f"projects/{project.pk}/quality/policy", {"gold_rate": 51}).status_code == 422
    assert c.patch(f"projects/{project.pk}/quality/policy",
                 {"gold_action": "explode"}).status_code == 422
    r = c.post(f"projects/{project.pk}/gold", {"items": [
        {"data": {"text": "g1"}, "gold": {"label": "pos"}, "external_id": "g-1"}]})
    assert r.status_code == 201 and r.json()["imported"] == 1
    assert Item.objects.get(external_id="g-1").gold == {"label": "pos"}
    r = c.post(f"projects/{project.pk}/gold", {"items": [{"data": {"text": "g2"},
                                                         "gold": {"label": "zzz"}}]})
    assert r.status_code == 422 and r.json()["error_count"] == 1
    assert c.post(f"projects/{project.pk}/gold",
                  {"items": [{"data": {"text": "no answer"}}]}).status_code == 422
    r = c.post(f"projects/{project.pk}/quality/rules",
               {"kind": "fast_answers", "params": {"seconds": 3}, "action": "pause"})
    assert r.status_code == 201, r.json()
    rule = r.json()
    assert rule["params"] == {"seconds": 3, "count": 3, "window": 10}
    r = c.patch(f"projects/{project.pk}/quality/rules/{rule['id']}", {"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    assert c.post(f"projects/{project.pk}/quality/rules",
                  {"kind": "skips", "params": {"count": "x"}}).status_code == 422
    overview = c.get(f"projects/{project.pk}/quality").json()
    assert overview["gold_items"] == 1 and len(overview["rules"]) == 1
    assert c.delete(f"projects/{project.pk}/quality/rules/{rule['id']}").status_code == 204
    assert c.get(f"projects/{project.pk}/quality").json()["rules"] == []
    # The export and the results leave gold out.
    lines = b"".join(c.get(f"projects/{project.pk}/export.jsonl").streaming_content)
    assert b"g-1" not in lines
    assert all(r["external_id"] != "g-1"
               for r in c.get(f"projects/{project.pk}/results").json()["results"])


def test_a_gold_rate_without_gold_items_is_saved_with_a_warning_saying_how_to_add_them(
    api, client_org, make_project
):
    user, _org = client_org
    project = make_project(items=4)
    c = api(user)
    r = c.patch(f"projects/{project.pk}/quality/policy", {"gold_rate": 20})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["gold_rate"] == 20
    [warning] = body["warnings"]
    assert "no gold items" in warning and f"POST /api/v1/projects/{project.pk}/gold" in warning
    assert c.get(f"projects/{project.pk}/quality").json()["warnings"] == [warning]
    assert c.patch(f"projects/{project.pk}/quality/policy",
                   {"gold_rate": 0}).json()["warnings"] == []
    c.post(f"projects/{project.pk}/gold", {"items": [{"data": {"text": "g"},
                                                      "gold": {"label": "pos"}}]})
    r = c.patch(f"projects/{project.pk}/quality/policy", {"gold_rate": 20})
    assert r.status_code == 200 and r.json()["warnings"] == []
    assert c.get(f"projects/{project.pk}/quality").json()["warnings"] == []


def test_other_organization_and_workers_get_404(api, make_client_org, make_project, worker):
    project = make_project(items=2)
    rule = api(project.created_by).post(f"projects/{project.pk}/quality/rules",
                                        {"kind": "skips"}).json()
    for outsider in (make_client_org()[0], worker):
        c = api(outsider)
        assert c.get(f"projects/{project.pk}/quality").status_code == 404
        r = c.patch(f"projects/{project.pk}/quality/policy", {"gold_rate": 10})
        assert r.status_code == 404
        assert c.post(f"projects/{project.pk}/gold", {"items": [
            {"data": {"text": "x"}, "gold": {"label": "pos"}}]}).status_code == 404
        assert c.post(f"projects/{project.pk}/quality/rules",
                      {"kind": "skips"}).status_code == 404
        assert c.delete(f"projects/{project.pk}/quality/rules/{rule['id']}").status_code == 404
    assert api(None).get(f"projects/{project.pk}/quality").status_code == 401


def test_worker_sees_score_and_restriction_and_appeals(api, make_project, worker, operator,
                                                       do_work):
    project = make_project(items=5)
    api(project.created_by).post(f"projects/{project.pk}/quality/rules", {
        "kind": "daily_cap", "params": {"count": 1}, "action": "pause"})
    do_work(project, worker)
    w = api(worker)
    r = w.post(f"projects/{project.pk}/next")
    assert r.status_code == 403 and r.json()["error"] == "restricted"
    me = w.get("quality/me").json()
    assert len(me["hits"]) == 1 and me["hits"][0]["in_force"] and me["hits"][0]["action"] == "pause"
    hit_id = me["hits"][0]["id"]
    assert api(project.created_by).post(f"quality/hits/{hit_id}/appeal",
                                        {"message": "mine?"}).status_code == 404
    r = w.post(f"quality/hits/{hit_id}/appeal", {"message": "I was careful"})
    assert r.status_code == 201
    appeal_id = r.json()["id"]
    assert w.get("quality/appeals").status_code == 403
    assert w.post(f"quality/appeals/{appeal_id}/decide", {"lift": True}).status_code == 403
    ops = api(operator)
    assert [a["id"] for a in ops.get("quality/appeals").json()] == [appeal_id]
    r = ops.post(f"quality/appeals/{appeal_id}/decide", {"lift": True, "note": "fine"})
    assert r.status_code == 200 and r.json()["status"] == "lifted"
    assert ops.post(f"quality/appeals/{appeal_id}/decide", {"lift": True}).status_code == 409
    assert RuleHit.objects.get().lifted_at is not None
    assert w.post(f"projects/{project.pk}/next").status_code == 200
    lifted = w.get("quality/me").json()["hits"][0]
    assert lifted["appeal_status"] == "lifted" and not lifted["in_force"]
