"""Reviewer checks pages, mounted at /review-checks/."""

from django.urls import path

from . import views

app_name = "reviewchecks"

urlpatterns = [
    path("", views.scores, name="scores"),
    path("blocks/<int:block_id>/lift/", views.lift, name="lift"),
]
