"""A version's media for the sample viewer, to whoever may use the dataset.

Records name their images, recordings and clips by the media app's URLs, which are served
to signed-in users only, and captures only to their project's people. The viewer asks here
instead: access is checked on the dataset (so a public dataset's pictures show to anonymous
visitors), the record is found by its key (one indexed lookup), and the file is served
from storage. Captures go through the kind's export opener, so a viewer sees them
de-identified exactly as a download has them (faces blurred, metadata removed).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from datadam.errors import NotFound
from datadam.kinds import get_kind
from datadam.kinds.exporting import ExportOptions
from datadam.media.serving import servable, stored_file_response

from .models import VersionItem
from .selectors import version_of
from .snapshot import export_context_of, sources_of
from .visibility import dataset_used

FIELDS = ("image", "thumb", "audio", "video")


def record_media(*, user: Any, dataset_id: int, number: int, key: int,
                 field: str) -> tuple[Any, str]:
    """(dataset's version, the media reference) of a record's field, for who may use it."""
    dataset = dataset_used(user=user, dataset_id=dataset_id)
    version = version_of(dataset, number)
    version.dataset = dataset
    text = VersionItem.objects.filter(version=version, key=key).values_list(
        "record", flat=True).first()
    data = orjson.loads(text).get("data") if text else None
    reference = data.get(field) if isinstance(data, dict) and field in FIELDS else None
    if not isinstance(reference, str) or not reference:
        raise NotFound(_("no such media in this version"))
    return version, reference


def record_media_response(request: HttpRequest, *, dataset_id: int, number: int, key: int,
                          field: str) -> HttpResponse:
    version, reference = record_media(user=request.user, dataset_id=dataset_id,
                                      number=number, key=key, field=field)
    prefix = settings.MEDIA_URL
    if not reference.startswith(prefix):
        if reference.startswith(("https://", "http://")):
            return HttpResponseRedirect(reference)  # the client's own host serves it
        raise NotFound(_("no such media in this version"))
    dataset = version.dataset
    if get_kind(dataset.kind).collects:
        base, _relabel = sources_of(dataset)
        opener = export_context_of(dataset, version, base, ExportOptions()).open_media
        stream = opener(reference) if opener is not None else None
        if stream is None:
            raise NotFound(_("no such media in this version"))
        return FileResponse(stream)
    name = reference[len(prefix):].split("?", 1)[0]
    if not servable(name):  # an item naming another's capture or export by its path
        raise NotFound(_("no such media in this version"))
    return stored_file_response(request, name)
