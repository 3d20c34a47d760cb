"""A client runs a project from the console in a real browser."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from datadam.accounts.models import Role
from datadam.datasets.models import ItemResult
from datadam.datasets.services import sample_create
from datadam.projects.models import Project, ProjectStatus
from datadam.quality.models import Appeal, RuleHit
from datadam.review.services import review_decide
from datadam.rewards.services import account_topup

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_creates_a_project_in_the_wizard_with_a_live_preview(
    page, make_client_org, browser_login
):
    user, org = make_client_org()
    browser_login(page, user)
    page.goto("/console/new/")
    page.select_option("select[name=kind]", "text_classification")
    page.fill("input[name=name]", "Café reviews")
    page.locator("textarea[name=labels]").press_sequentially("delicious\nbland")
    preview = page.locator("#preview")
    preview.locator(".choice", has_text="bland").wait_for()
    values = preview.locator(".choice input").evaluate_all("els => els.map(e => e.value)")
    assert values == ["delicious", "bland"]
    # The preview refreshes without taking the focus from the field being typed in.
    assert page.evaluate("document.activeElement.name") == "labels"
    page.locator("textarea[name=instructions]").press_sequentially("Was the food good?")
    preview.locator(".instructions", has_text="Was the food good?").wait_for()
    page.check("input[name=multi_label]")
    preview.locator("input[type=checkbox][value=delicious]").wait_for()
    page.fill("input[name=reward]", "8")
    page.fill("input[name=review_reward]", "2")
    page.fill("input[name=overlap]", "2")
    page.locator("input[name=overlap]").press("Tab")
    preview.locator("#item-cost", has_text="Each item will cost 20 points").wait_for()
    page.check("input[name=review_policy][value=auto]")
    page.fill("input[name=auto_approve_hours]", "12")
    page.click("#wizard button[type=submit]")
    project = Project.objects.get(name="Café reviews")
    page.wait_for_url(f"**/console/projects/{project.pk}/items/")
    assert page.locator(".messages").inner_text().startswith("Draft project created.")
    assert project.organization == org
    assert project.config == {"labels": ["delicious", "bland"], "multi_label": True}
    assert (project.reward, project.review_reward, project.overlap) == (8, 2, 2)
    assert (project.review_policy, project.auto_approve_hours) == ("auto", 12)


def test_wizard_shows_a_form_error_for_repeated_labels(page, client_org, browser_login):
    browser_login(page, client_org[0])
    page.goto("/console/new/")
    page.fill("input[name=name]", "Dupes")
    page.fill("textarea[name=labels]", "yes\nyes")
    page.click("#wizard button[type=submit]")
    assert page.locator(".errorlist").inner_text().strip() == "labels must be unique"
    assert not Project.objects.exists()


def test_client_uploads_items_then_tops_up_and_launches(
    page, make_client_org, make_project, browser_login, operator, tmp_path
):
    owner = make_client_org(credit=0)
    project = make_project(items=0, launch=False, owner=owner, overlap=2, reward=10,
                           review_reward=2)
    browser_login(page, owner[0])
    page.goto(f"/console/projects/{project.pk}/items/")
    assert page.locator("#example-jsonl").inner_text() == (
        '{"text":"The delivery was quick and the staff were friendly."}'
    )

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"txt": "typo"}\n{"text": "also fine"}\n')
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload button[type=submit]")
    report = page.locator("#import-errors")
    report.wait_for()
    assert "Nothing was imported." in report.inner_text()
    assert report.locator("tbody tr").all_inner_texts() == [
        '2\titem needs a non-empty "text" field'
    ]
    project.refresh_from_db()
    assert project.items_count == 0

    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps({"text": f"review {i}"}) + "\n" for i in range(5)))
    page.set_input_files("input[name=file]", str(good))
    page.click("#upload button[type=submit]")
    page.locator("#import-ok", has_text="Imported 5 items.").wait_for()
    assert page.locator("#items-count").inner_text() == "5"
    assert page.locator("#upload-progress").is_hidden()

    page.click("#import-ok a")
    page.wait_for_url(f"**/console/projects/{project.pk}/")
    # 5 items × 2 answers × (10 + 2) points, and nothing in the account yet.
    assert page.locator("#estimate [data-stat=cost]").inner_text() == "120"
    assert page.locator("#estimate [data-stat=balance]").inner_text() == "0"
    assert "120 points short" in page.locator("#shortfall").inner_text()

    account_topup(operator=operator, organization=owner[1], amount=500)
    page.reload()
    assert page.locator("#estimate [data-stat=balance]").inner_text() == "500"
    assert page.locator("#shortfall").count() == 0
    page.click("#launch")
    page.locator(".messages", has_text="The project is open").wait_for()
    assert page.locator("#status").inner_text() == "Open"
    assert page.locator("#spend [data-stat=budget]").inner_text() == "120"
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_launch_with_too_little_credit_shows_the_error_and_stays_a_draft(
    page, make_client_org, make_project, browser_login
):
    owner = make_client_org(credit=50)
    project = make_project(items=5, launch=False, owner=owner)
    browser_login(page, owner[0])
    page.goto(f"/console/projects/{project.pk}/")
    page.click("#launch")
    error = page.locator(".messages .error")
    error.wait_for()
    assert error.inner_text() == (
        "Not enough points: this needs 60 points and the organization has 50. "
        "Ask an operator to top up the account, then try again."
    )
    assert page.locator("#status").inner_text() == "Draft"
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_dashboard_follows_the_work_and_the_client_pauses_and_resumes(
    page, client_org, make_project, make_user, do_work, browser_login
):
    user, _org = client_org
    project = make_project(items=4, overlap=1, reward=10, review_reward=2)
    browser_login(page, user)
    page.goto(f"/console/projects/{project.pk}/")
    numbers = page.locator("#numbers")
    assert numbers.locator("[data-stat=approved]").inner_text() == "0"
    assert numbers.locator("#throughput text.empty").text_content() == "No submissions yet"

    reviewer = make_user(Role.WORKER, reviewer=True)
    first = do_work(project, make_user(Role.WORKER), {"label": "pos"})
    do_work(project, make_user(Role.WORKER), {"label": "neg"})
    do_work(project, make_user(Role.WORKER), {"label": "neu"})
    review_decide(reviewer=reviewer, submission_id=first.pk, decision="approve")

    # The numbers refresh on their own (every 30 s); trigger the same refresh now.
    page.evaluate("htmx.trigger('#numbers', 'refresh')")
    numbers.locator("[data-stat=approved]", has_text="1").wait_for()
    assert numbers.locator("[data-stat=awaiting]").inner_text() == "2"
    assert numbers.locator("[data-stat=remaining]").inner_text() == "1"
    assert numbers.locator("[data-stat=approval-rate]").inner_text() == "100%"
    assert numbers.locator("[data-stat=spent]").inner_text() == "12"
    # The last bars (this hour's, and the previous one's when the hour turned between the
    # submissions and the refresh) count the three submissions.
    bars = numbers.locator("#throughput rect.col")
    assert bars.count() == 24
    last_two = [int(bars.nth(i).get_attribute("data-value")) for i in (22, 23)]
    assert sum(last_two) == 3
    assert any(float(bars.nth(i).get_attribute("height")) > 0 for i in (22, 23))
    assert "1 of 4 answers approved" in numbers.inner_text()
    assert numbers.locator("[data-stat=eta]").inner_text() != "—"

    page.click("#pause")
    page.locator("#status", has_text="Paused").wait_for()
    page.click("#resume")
    page.locator("#status", has_text="Open").wait_for()
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_client_downloads_the_export_with_the_results(
    page, client_org, make_project, make_user, do_work, browser_login
):
    user, _org = client_org
    project = make_project(items=2, overlap=1)
    submission = do_work(project, make_user(Role.WORKER), {"label": "neg"})
    review_decide(reviewer=make_user(Role.WORKER, reviewer=True),
                  submission_id=submission.pk, decision="approve")
    browser_login(page, user)
    page.goto(f"/console/projects/{project.pk}/")
    assert page.locator("#results .sub").count() == 2
    assert "neg" in page.locator("#results .sub").first.inner_text()
    with page.expect_download() as info:
        page.click("#export")
    download = info.value
    assert download.suggested_filename == f"project-{project.pk}.jsonl"
    with open(download.path(), encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert [line["data"]["text"] for line in lines] == ["text 0", "text 1"]
    assert lines[0]["result"]["label"] == "neg"
    assert lines[1]["result"] is None


def test_client_closes_a_project_after_confirming(page, client_org, make_project, browser_login):
    project = make_project()
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/")
    page.click("text=Close project…")
    page.click("#confirm-close")
    page.locator("#status", has_text="Closed").wait_for()
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED


def _assert_korean(page, pages):
    for url, words in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "ko", url
        main = page.locator("main").inner_text()
        for word in words:
            assert word in main, (url, word)


def test_console_pages_render_in_korean(
    ko_page, client_org, make_project, browser_login, worker, operator
):
    project = make_project()
    draft = make_project(launch=False)
    # A delivered result to sample, and a worker's restriction with an appeal.
    item = project.items.order_by("id").first()
    ItemResult.objects.create(item=item, project=project, label="pos", result={"label": "pos"},
                              confidence=0.9, answers=3, method="ds", run=1,
                              updated_at=timezone.now())
    sample = sample_create(user=client_org[0], project_id=project.pk, aql=0.065)
    hit = RuleHit.objects.create(
        worker=worker, project=project, source_project=project, kind="fast_answers",
        action="pause", reason="너무 빠름", key="ko-test", until=timezone.now() + timedelta(hours=6)
    )
    Appeal.objects.create(hit=hit, worker=worker, message="다시 봐 주세요")
    browser_login(ko_page, client_org[0])
    _assert_korean(ko_page, {
        "/console/": ("프로젝트", "진행률", "지출 / 예산(포인트)"),
        "/console/new/": ("작업 유형", "라벨과 안내", "보상과 품질", "작업자에게 보이는 화면"),
        f"/console/projects/{project.pk}/": ("진행률", "승인된 답변", "예산 대비 지출",
                                            "일시 중지", "작업자 자격 요건", "결과 품질",
                                            "추정 정확도", "진행 중인 표본 검사 계속하기"),
        f"/console/projects/{draft.pk}/": ("항목당 비용", "예치할 총액"),
        f"/console/projects/{project.pk}/items/": ("업로드하고 확인",),
        f"/console/projects/{project.pk}/edit/": ("프로젝트 편집", "변경 사항 저장"),
        f"/quality/projects/{project.pk}/": ("품질 관리", "골드 문제", "규칙 추가",
                                            "규칙 적용 내역", "정책 저장"),
        f"/console/projects/{project.pk}/samples/{sample.pk}/": (
            "표본 검사", "납품된 항목 1개 중 1개를 검사하세요", "정답", "오답", "판정 저장"),
    })
    ko_page.context.clear_cookies()
    browser_login(ko_page, worker)
    _assert_korean(ko_page, {
        "/quality/": ("내 품질", "골드 문제 점수", "경고와 제한", "적용 중", "운영자 결정 대기 중"),
    })
    ko_page.context.clear_cookies()
    browser_login(ko_page, operator)
    _assert_korean(ko_page, {
        "/ops/appeals/": ("이의 제기", "대기 중", "작업자에게 남길 메모", "제한 해제", "거절"),
    })


def test_client_runs_the_wizard_and_an_upload_report_in_korean(
    ko_page, make_client_org, browser_login, tmp_path
):
    page = ko_page
    user, _org = make_client_org()
    browser_login(page, user)
    page.goto("/console/new/")
    expect(page.locator("select[name=kind] option[value=text_classification]")).to_have_text(
        "텍스트 분류"
    )
    page.select_option("select[name=kind]", "text_classification")
    page.fill("input[name=name]", "리뷰 감정")
    page.fill("textarea[name=labels]", "긍정\n긍정")
    page.click("#wizard button[type=submit]")
    expect(page.locator(".errorlist")).to_have_text("라벨은 서로 달라야 합니다")
    page.fill("textarea[name=labels]", "긍정\n부정")
    page.locator("textarea[name=labels]").press("Tab")  # the preview follows on change
    page.locator("#preview .choice", has_text="부정").wait_for()
    expect(page.locator("#preview")).to_contain_text("배송이 빨랐고 직원들도 친절했어요.")
    page.click("#wizard button[type=submit]")
    project = Project.objects.get(name="리뷰 감정")
    page.wait_for_url(f"**/console/projects/{project.pk}/items/")
    expect(page.locator(".messages")).to_have_text(
        "초안 프로젝트를 만들었습니다. 이제 항목을 추가하세요."
    )

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "좋아요"}\n{"txt": "오타"}\n')
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload button[type=submit]")
    report = page.locator("#import-errors")
    expect(report).to_contain_text("아무것도 가져오지 않았습니다.")
    assert report.locator("tbody tr").all_inner_texts() == [
        '2\t항목에 비어 있지 않은 "text" 필드가 필요합니다'
    ]
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "좋아요"}\n{"text": "별로예요"}\n')
    page.set_input_files("input[name=file]", str(good))
    page.click("#upload button[type=submit]")
    expect(page.locator("#import-ok")).to_contain_text("항목 2개를 가져왔습니다.")
    page.click("#import-ok a")
    page.wait_for_url(f"**/console/projects/{project.pk}/")
    expect(page.locator("#status")).to_have_text("초안")
    expect(page.locator("main")).to_contain_text("텍스트 분류")


def test_wizard_fits_a_phone_screen(phone_page, client_org, browser_login):
    browser_login(phone_page, client_org[0])
    phone_page.goto("/console/new/")
    phone_page.locator("textarea[name=labels]").press_sequentially("yes\nno")
    phone_page.locator("#preview .choice", has_text="no").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_client_edits_the_instructions_of_a_running_project(
    page, client_org, make_project, browser_login
):
    project = make_project(config={"labels": ["spam", "ham"]})
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/edit/")
    assert page.locator("input[name=reward]").count() == 0
    page.fill("textarea[name=instructions]", "")
    page.locator("textarea[name=instructions]").press_sequentially("Spam sells things.")
    preview = page.locator("#preview")
    preview.locator(".instructions", has_text="Spam sells things.").wait_for()
    assert preview.locator(".choice input").evaluate_all("els => els.map(e => e.value)") == [
        "spam", "ham",
    ]
    page.click("#wizard button[type=submit]")
    page.wait_for_url(f"**/console/projects/{project.pk}/")
    assert "Spam sells things." in page.locator("#settings-title + .table-wrap").inner_text()
    project.refresh_from_db()
    assert project.instructions == "Spam sells things."
