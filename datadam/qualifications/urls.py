"""The qualification pages, mounted at /qualifications/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="qual_index"),
    path("<int:qualification_id>/", views.qualification_detail, name="qual_detail"),
    path("projects/<int:project_id>/", views.project_eligibility, name="qual_project"),
    path("projects/<int:project_id>/requirements/", views.requirements,
         name="qual_requirements"),
    path("exams/<int:exam_id>/start/", views.exam_start, name="qual_exam_start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="qual_attempt"),
    path("credentials/", views.credentials, name="qual_credentials"),
    path("credentials/<int:check_id>/document/", views.document, name="qual_document"),
    path("credentials/<int:check_id>/decide/", views.credential_decide, name="qual_decide"),
    path("grants/", views.grants, name="qual_grants"),
    path("manage/", views.manage_index, name="qual_manage"),
    path("manage/<int:qualification_id>/", views.manage_qualification, name="qual_manage_one"),
    path("manage/<int:qualification_id>/delete/", views.qualification_delete,
         name="qual_delete"),
    path("manage/<int:qualification_id>/exams/", views.exam_new, name="qual_exam_new"),
    path("manage/<int:qualification_id>/rules/", views.rule_new, name="qual_rule_new"),
    path("manage/<int:qualification_id>/compute/", views.compute, name="qual_compute"),
    path("manage/rules/<int:rule_id>/delete/", views.rule_delete, name="qual_rule_delete"),
    path("manage/exams/<int:exam_id>/", views.manage_exam, name="qual_manage_exam"),
    path("manage/exams/<int:exam_id>/delete/", views.exam_delete, name="qual_exam_delete"),
    path("manage/exams/<int:exam_id>/questions/", views.question_new, name="qual_question_new"),
    path("manage/questions/<int:question_id>/delete/", views.question_delete,
         name="qual_question_delete"),
]
