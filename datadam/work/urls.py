"""The worker's pages, under /work/ (earnings come from the rewards app)."""

from django.urls import path

from datadam.rewards import views as rewards_views

from . import views

urlpatterns = [
    path("", views.feed, name="work_feed"),
    path("projects/<int:project_id>/", views.project_detail, name="work_project"),
    path("projects/<int:project_id>/task/", views.task_page, name="work_task"),
    path("projects/<int:project_id>/task/answer/", views.task_submit, name="work_task_submit"),
    path("projects/<int:project_id>/task/skip/", views.task_skip, name="work_task_skip"),
    path("projects/<int:project_id>/task/stop/", views.task_stop, name="work_task_stop"),
    path("mine/", views.mine, name="work_mine"),
    path("mine/<int:assignment_id>/", views.answer, name="work_answer"),
    path("assignments/<int:assignment_id>/revise/", views.revise, name="work_revise"),
    path("earnings/", rewards_views.earnings, name="work_earnings"),
]
