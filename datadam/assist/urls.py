"""The console page of a project's model, mounted at /console/."""

from django.urls import path

from . import views

app_name = "assist"

urlpatterns = [
    path("projects/<int:project_id>/assist/", views.settings_page, name="settings"),
    path("projects/<int:project_id>/assist/train/", views.train_now, name="train"),
    path("projects/<int:project_id>/assist/remove/", views.remove, name="remove"),
]
