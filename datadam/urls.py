"""URL map: the API under /api/v1/, pages per part of the product, the operators' admin."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from datadam.accounts.views import home
from datadam.api import api
from datadam.media.serving import serve_urlpatterns


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("", home, name="home"),
    path("healthz", health),
    path("api/v1/", api.urls),
    path("accounts/", include("datadam.accounts.urls")),
    path("", include("datadam.consent.urls")),  # /console/…/consent/, /consent/, /ops/consents/
    path("work/", include("datadam.work.urls")),
    path("review/", include("datadam.review.urls")),
    path("console/", include("datadam.projects.urls")),
    path("console/", include("datadam.assist.urls")),
    path("console/", include("datadam.media.urls")),
    path("ops/appeals/", include("datadam.quality.ops_urls")),
    path("ops/", include("datadam.operations.urls")),
    path("qualifications/", include("datadam.qualifications.urls")),
    path("quality/", include("datadam.quality.urls")),
    path("skills/", include("datadam.skills.urls")),
    path("talent/", include("datadam.recommendations.urls")),
    path("review-checks/", include("datadam.reviewchecks.urls")),
    path("collection/", include("datadam.collection.urls")),
    path("notifications/", include("datadam.notifications.urls")),
    path("hub/", include("datadam.hub.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Uploaded media for signed-in users, with byte ranges (audio and video seek), DEBUG or not.
urlpatterns += serve_urlpatterns()
if settings.DEBUG:  # the rest of the media folder, for development
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
