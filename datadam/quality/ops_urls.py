"""The operators' appeals queue, mounted at /ops/appeals/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.appeals, name="quality_appeals"),
    path("<int:appeal_id>/decide/", views.appeal_decide, name="quality_appeal_decide"),
]
