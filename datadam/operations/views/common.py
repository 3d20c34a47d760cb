"""What paged views share (the operators' and others'): the keyset cursor and page links,
and the htmx check."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def cursor_of(request: HttpRequest, name: str = "after") -> int:
    """A keyset cursor from the query string (0, the first page, for anything odd)."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 18 else 0


def page_query(request: HttpRequest, cursor_name: str, cursor: int | None) -> str | None:
    """The current query string with the cursor replaced (None when there is no next page)."""
    if cursor is None:
        return None
    query: QueryDict = request.GET.copy()
    query[cursor_name] = str(cursor)
    return "?" + query.urlencode()


def first_page_query(request: HttpRequest, cursor_name: str) -> str | None:
    """The current filters without the cursor, when the page shown is not the first."""
    if not request.GET.get(cursor_name):
        return None
    query: QueryDict = request.GET.copy()
    query.pop(cursor_name, None)
    return "?" + query.urlencode()
