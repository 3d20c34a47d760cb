"""The audit log at 1280 px: the table fits, and each event's details are readable."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_audit_log_table_fits_1280_px_with_its_details_readable(
    page, browser_login, operator, make_project, make_user
):
    from datadam.audit.services import audit_record

    make_project(items=2)
    audit_record(actor=make_user(email="a.rather.long.address.of.an.operator@example.test"),
                 action="qualification.credential_check_decide",
                 target_type="qualification_held", target_id=12345)
    audit_record(actor=operator, action="test.long_details", target=None,
                 data={"query": "careful, visually sharp, Korean native, has done boxes "
                                "before, and then some more words to make it long",
                       "results": [4, 5, 6]})
    browser_login(page, operator)
    page.goto("/ops/audit/")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table overflows"
    details = page.locator("tr.event").first.locator("td.event-data")
    assert details.bounding_box()["width"] >= 250  # not squeezed to a sliver
    expect(details).to_contain_text("results: [4, 5, 6]")
    folded = details.locator("details")
    expect(folded.locator("summary")).to_contain_text("careful, visually sharp")
    expect(folded.get_by_text("to make it long", exact=False)).to_be_hidden()
    folded.locator("summary").click()
    expect(folded).to_contain_text("more words to make it long")
