"""Skills pages, mounted at /skills/."""

from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("refresh/", views.refresh, name="refresh"),
    path("projects/<int:project_id>/", views.project, name="project"),
]
