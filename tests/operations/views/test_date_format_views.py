"""Dates and times: one unambiguous format per language on every page, with the time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client, override_settings

from datadam.audit.models import AuditEvent
from datadam.rewards.models import LedgerEntry, Payout

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 5, 13, 3, tzinfo=UTC)
SHOWN = {"en": "5 Dec 2026, 13:03 UTC", "ko": "2026년 12월 5일 13:03 UTC"}
# What Django shows without datadam's formats: month and day in an order that depends on
# the country, a 12-hour clock, no zone.
AMBIGUOUS = re.compile(r"\b12/05/2026\b|\d [ap]\.m\.|2026-12-05 13:03(?! UTC)|2026-12-5")
TEMPLATES = Path(__file__).resolve().parents[3] / "datadam"


def _reader(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def payout_at_when(make_payout) -> Payout:
    """A worker's payout requested, and its ledger entries and audit event made, at WHEN."""
    payout = make_payout(300)
    Payout.objects.filter(pk=payout.pk).update(requested_at=WHEN)
    LedgerEntry.objects.filter(account__user=payout.worker).update(created_at=WHEN)
    AuditEvent.objects.update(at=WHEN)
    return payout


@pytest.mark.parametrize("language", ["en", "ko"])
def test_ops_pages_show_the_languages_one_date_format_with_the_zone(
    operator, payout_at_when, language
):
    client = _reader(operator, language)
    for url in ("/ops/payouts/", "/ops/audit/", f"/ops/users/{payout_at_when.worker_id}/"):
        html = client.get(url).content.decode()
        assert SHOWN[language] in html, url
        assert not AMBIGUOUS.search(html), (url, AMBIGUOUS.search(html))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_earnings_page_shows_the_same_format_as_the_ops_pages(payout_at_when, language):
    html = _reader(payout_at_when.worker, language).get("/work/earnings/").content.decode()
    assert html.count(SHOWN[language]) >= 2  # the payout request and the ledger lines
    assert not AMBIGUOUS.search(html), AMBIGUOUS.search(html)


@override_settings(TIME_ZONE="Asia/Seoul")
def test_times_are_shown_in_the_configured_zone_and_named(operator, payout_at_when):
    html = _reader(operator, "ko").get("/ops/payouts/").content.decode()
    assert "2026년 12월 5일 22:03 KST" in html


def test_no_template_formats_a_date_with_a_pattern_of_its_own():
    """Templates name a format (DATE_FORMAT, SHORT_DATETIME_FORMAT, ...), so each language
    shows one; only the machine-readable ISO form ("c") is allowed besides."""
    ad_hoc = []
    for path in TEMPLATES.rglob("*.html"):
        for arg in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if not (arg.endswith("_FORMAT") or arg == "c"):
                ad_hoc.append(f"{path.relative_to(TEMPLATES)}: {arg}")
    assert not ad_hoc
