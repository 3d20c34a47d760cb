"""The navigation each role sees, with the current section marked; the unread count of the
header's notification bell."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from datadam.notifications.selectors import unread_count

# Operator pages opened now and then: listed under the header's "More" disclosure, so that an
# operator's navigation fits one row at 1280 px (in English and Korean).
# A worker's row holds their daily pages; the dataset hub, visited now and then, goes under
# "More" so that the row fits 1280 px in English and Korean.
WORKER_MORE = frozenset({"/hub/"})
OPERATOR_MORE = frozenset({"/qualifications/credentials/", "/review-checks/", "/hub/",
                           "/admin/"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    links: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.is_worker:
            links += [("/work/", _("Tasks")), ("/work/mine/", _("My work")),
                      ("/work/earnings/", _("Earnings")), ("/qualifications/", _("Qualifications")),
                      ("/quality/", _("Quality")),
                      ("/skills/", _("Skills")), ("/talent/invitations/", _("Invitations")),
                      ("/hub/", _("Datasets"))]
            if user.is_reviewer:
                links.append(("/review/", _("Review")))
            links.append(("/accounts/profile/", _("Profile")))
        elif user.is_client:
            links += [("/console/", _("Projects")), ("/console/new/", _("New project")),
                      ("/review/", _("Review")), ("/qualifications/manage/", _("Qualifications")),
                      ("/hub/", _("Datasets")), ("/accounts/organization/", _("Organization"))]
        if user.is_operator:
            links += [("/ops/payouts/", _("Payouts")), ("/ops/users/", _("Users")),
                      ("/ops/appeals/", _("Appeals")),
                      ("/ops/organizations/", _("Organizations")), ("/ops/ledger/", _("Ledger"))]
            if all(href != "/review/" for href, _label in links):
                links.append(("/review/", _("Review")))  # operators review any project
            links += [("/ops/audit/", _("Audit log")),
                      ("/qualifications/credentials/", _("Credentials")),
                      ("/review-checks/", _("Reviewer checks"))]
            if all(href != "/hub/" for href, _label in links):
                links.append(("/hub/", _("Datasets")))
            links.append(("/admin/", _("Admin")))
    path = request.path
    best = max((href for href, _label in links if path.startswith(href)), key=len, default="")
    signed = user is not None and user.is_authenticated
    more = OPERATOR_MORE if signed and user.is_operator else (
        WORKER_MORE if signed and user.is_worker else ())
    nav = [{"href": h, "label": label, "current": h == best, "more": h in more}
           for h, label in links]
    return {"nav_links": nav, "nav_more": any(link["more"] for link in nav)}


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: the signed-in user's unread count for the header's bell (0
    signed out). Counted when a template first uses it, so the fragments htmx swaps in
    (which show no header) cost no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
