"""Codes the database keeps (audit target types, ledger kinds, counts, timestamps) reach a
Korean reader in Korean words, not as model names or English. Found by a page-by-page
review of the UI in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from datadam.accounts.models import Role
from datadam.datasets.templatetags.labels import moment

pytestmark = pytest.mark.django_db


def korean(user=None) -> Client:
    client = Client(headers={"accept-language": "ko"})
    if user is not None:
        client.force_login(user)
    return client


def test_the_login_form_labels_the_email_field_in_korean() -> None:
    html = korean().get("/accounts/login/").content.decode()
    assert "이메일" in html and ">Email<" not in html


def test_the_console_counts_items_in_korean_word_order(make_project) -> None:
    project = make_project(items=6)
    html = korean(project.created_by).get("/console/").content.decode()
    assert "항목 6개" in html


def test_audit_targets_and_ledger_kinds_are_named_not_coded(make_project, operator) -> None:
    project = make_project(items=2)  # launching it funds escrow and records project.launch
    client = korean(operator)
    audit = client.get("/ops/audit/").content.decode()
    assert f"프로젝트 #{project.pk}" in audit and f"project #{project.pk}" not in audit
    org = client.get(f"/ops/organizations/{project.organization_id}/").content.decode()
    assert "프로젝트 예산 에스크로 예치" in org and "<code>project_fund</code>" not in org


def test_a_stored_timestamp_is_shown_in_the_local_format_not_iso() -> None:
    with translation.override("ko"):
        assert moment("2026-11-29T04:45:12.345678+00:00") == "2026년 11월 29일 04:45 UTC"
    with translation.override("en"):
        assert moment("2026-11-29T04:45:12.345678+00:00") == "29 Nov 2026, 04:45 UTC"
    assert moment(None) == moment("not a time") == ""


def test_a_worker_without_the_role_sees_the_forbidden_page_in_korean(make_user) -> None:
    html = korean(make_user(Role.WORKER)).get("/console/").content.decode()
    assert "이 계정으로 볼 수 없는 페이지입니다" in html
