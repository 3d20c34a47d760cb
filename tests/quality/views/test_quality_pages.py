"""The quality pages: client project page, worker page with appeal, operators' appeals."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.quality.models import Appeal, QualityPolicy, QualityRule, RuleHit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def test_client_saves_policy_and_rules_on_the_page(make_project, make_client_org):
    project = make_project(items=4)
    c = _client(project.created_by)
    url = f"/quality/projects/{project.pk}/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"policy-gold_rate": 10, "policy-gold_min_answers": 3,
                     "policy-gold_threshold": 70, "policy-gold_action": "pause",
                     "policy-gold_pause_hours": 5})
    assert r.status_code == 302
    assert QualityPolicy.objects.get(project=project).gold_rate == 10
    r = c.post(url, {"policy-gold_rate": 70, "policy-gold_min_answers": 3,
                     "policy-gold_threshold": 70, "policy-gold_action": "pause",
                     "policy-gold_pause_hours": 5})
    assert r.status_code == 200 and b"errorlist" in r.content
    r = c.post(url, {"rule-kind": "skips", "rule-action": "warn", "rule-pause_hours": 2,
                     "rule-skips_count": 1})
    assert r.status_code == 200 and b"Enter a whole number from 2 to 1000." in r.content
    r = c.post(url, {"rule-kind": "skips", "rule-action": "warn", "rule-pause_hours": 2,
                     "rule-skips_count": 4})
    assert r.status_code == 302
    rule = QualityRule.objects.get()
    assert rule.params == {"count": 4}
    assert c.post(f"{url}rules/{rule.pk}/delete/").status_code == 302
    assert not QualityRule.objects.exists()
    assert _client(make_client_org()[0]).get(url).status_code == 404


def _input(html: str, name: str) -> dict[str, str]:
    """The attributes of the page's input named ``name``."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(0)))


def test_the_add_rule_form_is_filled_in_with_the_defaults_a_rule_would_use(make_project):
    from datadam.quality.rules import PARAMS

    project = make_project(items=1)
    html = _client(project.created_by).get(f"/quality/projects/{project.pk}/").content.decode()
    for kind, spec in PARAMS.items():
        assert f'data-rule-kind="{kind}"' in html
        for param, (low, high, default) in spec.items():
            attrs = _input(html, f"rule-{kind}_{param}")
            assert (attrs["value"], attrs["placeholder"]) == (str(default), str(default))
            assert (attrs["min"], attrs["max"]) == (str(low), str(high))
    assert _input(html, "rule-pause_hours")["value"] == "24"


def test_a_rule_is_made_with_exactly_the_numbers_the_form_sent(make_project):
    project = make_project(items=1)
    c = _client(project.created_by)
    r = c.post(f"/quality/projects/{project.pk}/", {
        "rule-kind": "fast_answers", "rule-action": "pause", "rule-pause_hours": 3,
        "rule-fast_answers_seconds": 4, "rule-fast_answers_count": 2,
        "rule-fast_answers_window": 8, "rule-skips_count": 99})
    assert r.status_code == 302
    rule = QualityRule.objects.get()
    assert (rule.kind, rule.params, rule.pause_hours) == (
        "fast_answers", {"seconds": 4, "count": 2, "window": 8}, 3)


@pytest.mark.parametrize("empty", ["rule-fast_answers_seconds", "rule-fast_answers_window",
                                   "rule-pause_hours"])
def test_an_empty_number_of_the_chosen_rule_is_a_form_error_not_a_default(make_project, empty):
    project = make_project(items=1)
    c = _client(project.created_by)
    data = {"rule-kind": "fast_answers", "rule-action": "warn", "rule-pause_hours": 24,
            "rule-fast_answers_seconds": 5, "rule-fast_answers_count": 3,
            "rule-fast_answers_window": 10, empty: ""}
    r = c.post(f"/quality/projects/{project.pk}/", data)
    assert r.status_code == 200 and not QualityRule.objects.exists()
    html = r.content.decode()
    field = html[html.index(f'name="{empty}"'):]
    assert "This field is required." in field[:field.index("</div>")]  # under that field


def test_saving_a_gold_rate_without_gold_items_warns_on_the_page(make_project, client_org):
    from datadam.quality.services import gold_import

    project = make_project(items=4)
    c = _client(project.created_by)
    url = f"/quality/projects/{project.pk}/"
    policy = {"policy-gold_rate": 10, "policy-gold_min_answers": 3, "policy-gold_threshold": 70,
              "policy-gold_action": "pause", "policy-gold_pause_hours": 5}
    assert 'data-warning="gold"' not in c.get(url).content.decode()  # no rate, no warning
    r = c.post(url, policy, follow=True)
    html = r.content.decode()
    assert "Policy saved." in html and 'data-warning="gold"' in html
    assert "this project has no gold items, so no gold question is served" in html
    assert f"/api/v1/projects/{project.pk}/gold" in html
    assert f'href="/console/projects/{project.pk}/items/"' in html
    gold_import(user=client_org[0], project_id=project.pk,
                items=[{"data": {"text": "g"}, "gold": {"label": "pos"}}])
    assert 'data-warning="gold"' not in c.get(url).content.decode()


def test_worker_appeals_and_operator_lifts(make_project, worker, operator, do_work):
    project = make_project(items=4)
    QualityRule.objects.create(project=project, kind="daily_cap", params={"count": 1},
                               action="pause", pause_hours=2)
    do_work(project, worker)
    hit = RuleHit.objects.get()
    w = _client(worker)
    page = w.get("/quality/").content.decode()
    assert "daily cap" in page and f'action="/quality/hits/{hit.pk}/appeal/"' in page
    assert w.get("/ops/appeals/").status_code == 403
    w.post(f"/quality/hits/{hit.pk}/appeal/", {"message": "please"})
    appeal = Appeal.objects.get()
    ops = _client(operator)
    assert "please" in ops.get("/ops/appeals/").content.decode()
    ops.post(f"/ops/appeals/{appeal.pk}/decide/", {"decision": "lift", "note": "ok"})
    hit.refresh_from_db()
    assert hit.lifted_at is not None
    assert "Accepted: restriction lifted" in w.get("/quality/").content.decode()


def test_the_rules_table_says_what_each_rule_watches_in_words(client_org, make_project):
    from django.conf import settings

    project = make_project(items=1)
    QualityRule.objects.create(project=project, kind="fast_answers", action="warn",
                               params={"seconds": 5, "count": 3, "window": 10})
    QualityRule.objects.create(project=project, kind="gold_accuracy", action="pause",
                               params={"min_answers": 5, "threshold": 70})
    c = _client(client_org[0])
    html = c.get(f"/quality/projects/{project.pk}/").content.decode()
    assert "3 of the last 10 answers faster than 5 s" in html
    assert "gold accuracy below 70% after 5 gold answers" in html
    shown = re.sub(r'data-params="[^"]*"', "", html)  # the raw numbers stay as data only
    assert "seconds=" not in shown and "threshold=" not in shown
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = c.get(f"/quality/projects/{project.pk}/").content.decode()
    assert "골드 답변 5개 이후 골드 정확도가 70% 미만" in korean


def test_a_rule_summary_falls_back_to_its_numbers_when_they_do_not_fit():
    rule = QualityRule(kind="skips", params={"limit": 4})
    assert rule.summary() == "limit=4"


def test_a_hits_reason_is_shown_in_each_readers_language(make_project, worker, api):
    from django.conf import settings
    from django.utils import timezone
    from django.utils.translation import override

    from datadam.quality.rules import fire

    project = make_project(items=1)
    rule = QualityRule.objects.create(project=project, kind="skips", params={"count": 3},
                                      action="pause", pause_hours=2)
    with override("en"):  # made while the active language was English
        hit = fire(rule=rule, worker_id=worker.pk, now=timezone.now(), key="k",
                   reason="%(n)s tasks skipped in a row", reason_params={"n": 3})
    c = _client(worker)
    assert "3 tasks skipped in a row" in c.get("/quality/").content.decode()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert "작업 3개를 연속으로 건너뜀" in c.get("/quality/").content.decode()
    assert "작업 3개를 연속으로 건너뜀" in c.get("/work/").content.decode()  # the feed notice
    r = api(worker).get("quality/me", HTTP_ACCEPT_LANGUAGE="ko")
    assert [h["reason"] for h in r.json()["hits"]] == ["작업 3개를 연속으로 건너뜀"]
    with override("en"):
        assert hit.reason_text() == "3 tasks skipped in a row"
    with override("ko"):
        assert hit.reason_text() == "작업 3개를 연속으로 건너뜀"


def test_a_hit_made_before_reasons_kept_their_numbers_shows_its_text_as_made():
    hit = RuleHit(reason="5 tasks skipped in a row", reason_params=None)
    assert hit.reason_text() == "5 tasks skipped in a row"
    broken = RuleHit(reason="%(n)s tasks skipped in a row", reason_params={"m": 1})
    assert broken.reason_text() == "%(n)s tasks skipped in a row"
