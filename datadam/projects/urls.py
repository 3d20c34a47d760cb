"""The client console, mounted at /console/."""

from django.urls import path

from datadam.datasets import views as results

from . import views

app_name = "console"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.project_new, name="new"),
    path("preview/", views.preview, name="preview"),
    path("projects/<int:project_id>/", views.dashboard, name="dashboard"),
    path("projects/<int:project_id>/numbers/", views.numbers, name="numbers"),
    path("projects/<int:project_id>/items/", views.items, name="items"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="edit"),
    path("projects/<int:project_id>/launch/", views.launch, name="launch"),
    path("projects/<int:project_id>/pause/", views.pause, name="pause"),
    path("projects/<int:project_id>/resume/", views.resume, name="resume"),
    path("projects/<int:project_id>/close/", views.close, name="close"),
    path("projects/<int:project_id>/dataset-card/", results.card_page, name="dataset_card"),
    path("projects/<int:project_id>/samples/", results.sample_new, name="sample_new"),
    path("projects/<int:project_id>/exports/", results.exports_page, name="exports"),
    path("projects/<int:project_id>/exports/list/", results.exports_list, name="exports_list"),
    path(
        "projects/<int:project_id>/samples/<int:sample_id>/",
        results.sample_page,
        name="sample",
    ),
]
