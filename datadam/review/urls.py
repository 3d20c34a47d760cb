"""Review pages, mounted at /review/."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("projects/<int:project_id>/", views.batch, name="batch"),
    path("projects/<int:project_id>/approve-rest/", views.approve_rest, name="approve_rest"),
    path("submissions/<int:submission_id>/decide/", views.decide, name="decide"),
]
