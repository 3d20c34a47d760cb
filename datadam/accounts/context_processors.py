"""The navigation each role sees, with the current section marked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

# Operator pages opened now and then: listed under the header's "More" disclosure, so that an
# operator's navigation fits one row at 1280 px (in English and Korean).
OPERATOR_MORE = frozenset({"/qualifications/credentials/", "/review-checks/", "/admin/"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    links: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.is_worker:
            links += [("/work/", _("Tasks")), ("/work/mine/", _("My work")),
                      ("/work/earnings/", _("Earnings")), ("/qualifications/", _("Qualifications")),
                      ("/quality/", _("Quality")),
                      ("/skills/", _("Skills")), ("/talent/invitations/", _("Invitations"))]
            if user.is_reviewer:
                links.append(("/review/", _("Review")))
            links.append(("/accounts/profile/", _("Profile")))
        elif user.is_client:
            links += [("/console/", _("Projects")), ("/console/new/", _("New project")),
                      ("/review/", _("Review")), ("/qualifications/manage/", _("Qualifications")),
                      ("/accounts/organization/", _("Organization"))]
        if user.is_operator:
            links += [("/ops/payouts/", _("Payouts")), ("/ops/users/", _("Users")),
                      ("/ops/appeals/", _("Appeals")),
                      ("/ops/organizations/", _("Organizations")), ("/ops/ledger/", _("Ledger"))]
            if all(href != "/review/" for href, _label in links):
                links.append(("/review/", _("Review")))  # operators review any project
            links += [("/ops/audit/", _("Audit log")),
                      ("/qualifications/credentials/", _("Credentials")),
                      ("/review-checks/", _("Reviewer checks")), ("/admin/", _("Admin"))]
    path = request.path
    best = max((href for href, _label in links if path.startswith(href)), key=len, default="")
    more = OPERATOR_MORE if user is not None and user.is_authenticated and user.is_operator else ()
    nav = [{"href": h, "label": label, "current": h == best, "more": h in more}
           for h, label in links]
    return {"nav_links": nav, "nav_more": any(link["more"] for link in nav)}
