"""The media pages of the client console, mounted at /console/ next to the projects'."""

from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("projects/<int:project_id>/images/", views.upload_page, name="upload"),
]
