"""Capture files, mounted at /collection/."""

from django.urls import path

from . import views

urlpatterns = [
    path("captures/<int:capture_id>/file", views.capture_file, name="capture_file"),
    path("captures/<int:capture_id>/thumb", views.capture_thumb, name="capture_thumb"),
    path("projects/<int:project_id>/captures/", views.captures_page, name="captures_page"),
]
