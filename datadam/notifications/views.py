"""The inbox page: my notifications, newest first; opening one marks it read and follows
its link (local links only); "Mark all as read"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from datadam.accounts.access import signed_in
from datadam.operations.views.common import cursor_of, first_page_query, page_query

from . import selectors, services
from .messages import render as render_message

PAGE = 50



def local_link(link: str) -> bool:
    """Whether ``link`` is a path on this site ("/…"), never another host: "//evil.test",
    "/\\evil.test" and schemes are refused, so opening a notification is no open redirect."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts=set(), require_https=False)
    )


@signed_in
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first, the unread ones marked; "Older" pages by keyset."""
    rows, next_after = selectors.notifications_page(
        request.user, after=cursor_of(request, "after"), limit=PAGE
    )
    items = [{"n": n, "message": render_message(n.code, n.params)} for n in rows]
    return render(request, "notifications/inbox.html", {
        "items": items,
        "next_query": page_query(request, "after", next_after),
        "first_query": first_page_query(request, "after"),
    })


@signed_in
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go where it leads (the inbox when it leads nowhere or
    off the site). Another user's notification is a 404."""
    notification = services.notification_read(user=request.user, notification_id=notification_id)
    return redirect(notification.link if local_link(notification.link) else "notifications:inbox")


@signed_in
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, ngettext(
            "Marked %(n)s notification as read.", "Marked %(n)s notifications as read.", count
        ) % {"n": count})
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect("notifications:inbox")
