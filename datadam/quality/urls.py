"""Quality pages for workers and clients, mounted at /quality/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="quality_mine"),
    path("hits/<int:hit_id>/appeal/", views.appeal, name="quality_appeal"),
    path("projects/<int:project_id>/", views.project_page, name="quality_project"),
    path("projects/<int:project_id>/rules/<int:rule_id>/delete/", views.rule_delete,
         name="quality_rule_delete"),
]
