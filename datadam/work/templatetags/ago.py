"""How long ago something happened, as a person says it, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Past this many days a date says more than a count of days.
DAYS_COUNTED = 30


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """"just now" (under a minute), "3 minutes ago", "2 hours ago", "5 days ago", then the
    date. Django's ``timesince`` says "0 minutes" for the first minute and leaves "ago" to
    the sentence around it, which reads wrong in Korean word order."""
    if value is None:
        return ""
    seconds = max(0.0, ((now or timezone.now()) - value).total_seconds())
    minutes = int(seconds // 60)
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    days = hours // 24
    if days <= DAYS_COUNTED:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    return date_format(timezone.localtime(value), "DATE_FORMAT")
