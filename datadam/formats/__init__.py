"""The site's date and time formats, one per language (``FORMAT_MODULE_PATH``).

Django's own formats differ from page to page (``12/05/2026 1:03 p.m.`` beside
``2026-12-05 13:03``) and are ambiguous between countries (is 12/05 May or December?).
Here each language has one format, used for the long and the short names alike, with the
month in words or marked (월) and the time on a 24-hour clock followed by the time zone's
name, since the server's zone (``TIME_ZONE``, UTC unless set) is not the reader's.
"""
