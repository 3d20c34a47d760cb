"""The skills, talent and reviewer-check pages render in Korean."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from datadam.accounts.models import Role, WorkerProfile
from datadam.recommendations.services import invitation_create
from datadam.review.services import review_decide
from datadam.skills.services import project_skills_set, skills_compute

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_korean(page, pages):
    for url, words in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "ko", url
        main = page.locator("main").inner_text()
        for word in words:
            assert word in main, (url, word)


def test_skills_talent_and_review_check_pages_render_in_korean(
    ko_page, browser_login, mark_gold, make_project, make_user, do_work, reviewer, client_org,
    operator,
):
    history = make_project(items=4)
    skilled = make_user(Role.WORKER)
    skilled.display_name = "Min-ji"
    skilled.save()
    WorkerProfile.objects.create(user=skilled, native_language="ko")
    for _ in range(4):
        s = do_work(history, skilled)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(history, 4)
    skills_compute()
    target = make_project(items=2, reward=1)
    project_skills_set(user=client_org[0], project_id=target.pk, invite_only=True)
    invited = make_user(Role.WORKER)
    invitation_create(user=client_org[0], project_id=target.pk, worker_id=invited.pk,
                      message="함께해요", reasons=["한국어 원어민"])

    browser_login(ko_page, client_org[0])
    # The parser reads Korean descriptions too; the explanation lines come out in Korean.
    query = quote("꼼꼼하고 한국어 원어민")
    _assert_korean(ko_page, {
        f"/skills/projects/{target.pk}/": ("숙련도와 작업자", "작업자 찾기", "설정",
                                           "작업에 필요한 최소 숙련도", "보너스 기준 숙련도",
                                           "초대받은 작업자만", "이 프로젝트 작업자의 숙련도"),
        f"/skills/projects/{history.pk}/": ("유형 또는 태그", "숙련도", "일치율",
                                            "승인 / 반려 / 수정 요청", "소요 시간 중앙값"),
        f"/talent/projects/{target.pk}/?query={query}": (
            "검색 조건", "꼼꼼하고 정확함", "원어민", "추천 작업자", "Min-ji", "한국어 원어민",
            "기준 숙련도", "초대", "응답 대기 중"),
    })
    ko_page.context.clear_cookies()
    browser_login(ko_page, skilled)
    _assert_korean(ko_page, {
        "/skills/": ("내 숙련도", "유형 또는 태그", "지금 다시 계산", "내 초대"),
    })
    ko_page.context.clear_cookies()
    browser_login(ko_page, invited)
    _assert_korean(ko_page, {
        "/talent/invitations/": ("초대", "숙련도가 프로젝트에 맞는 작업자", "응답 대기 중",
                                 "함께해요", "초대 이유:", "수락", "거절"),
    })
    ko_page.context.clear_cookies()
    browser_login(ko_page, operator)
    _assert_korean(ko_page, {
        "/review-checks/": ("검수자 점검", "검수 묶음", "점검용 답변을 판정한 검수자가 없습니다"),
    })
