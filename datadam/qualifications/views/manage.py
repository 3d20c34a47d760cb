"""Clients (and operators) manage qualifications: create and edit them, write exams and their
questions, add rules for computed ones and run them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.accounts.models import Organization
from datadam.errors import DomainError
from datadam.kinds import get_kind
from datadam.projects.selectors import projects_visible

from .. import selectors, services
from ..exams import exam_for_manager
from ..forms import ExamForm, NewQualificationForm, QualificationForm, QuestionForm, RuleForm
from ..models import (
    ExamQuestion,
    Granting,
    ProjectRequirement,
    QualificationRule,
    WorkerQualification,
)


def _organizations(user) -> list[Organization]:
    if user.is_operator:
        return list(Organization.objects.order_by("name"))
    return list(Organization.objects.filter(membership__user=user).order_by("name"))


@manager_required
def manage_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NewQualificationForm(request.POST or None, organizations=_organizations(user),
                                platform=user.is_operator)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            q = services.qualification_create(user=user, organization_id=data.pop("organization"),
                                              **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Qualification created."))
            return redirect(f"/qualifications/manage/{q.pk}/")
    managed = list(selectors.qualifications_managed(user))
    platform = [] if user.is_operator else list(
        selectors.qualifications_visible(user).filter(organization=None).order_by("name")
    )
    projects = list(projects_visible(user).order_by("-pk")[:50])
    gated = set(ProjectRequirement.objects.filter(pk__in=[p.pk for p in projects])
                .values_list("pk", flat=True))
    return render(request, "qualifications/manage/index.html", {
        "form": form, "managed": managed, "platform": platform,
        "projects": [{"project": p, "gated": p.pk in gated} for p in projects],
    })


def _qualification_context(qualification, **forms) -> dict:
    holders = (WorkerQualification.objects.filter(qualification=qualification)
               .select_related("worker").order_by("-granted_at")[:50])
    context = {
        "qualification": qualification,
        "form": forms.get("form") or QualificationForm(initial={
            "name": qualification.name, "description": qualification.description,
            "granting": qualification.granting, "document_hint": qualification.document_hint,
        }),
        "exam_form": forms.get("exam_form") or ExamForm(),
        "rule_form": forms.get("rule_form") or RuleForm(),
        "exams": list(qualification.exams.order_by("pk")),
        "rules": list(qualification.rules.order_by("pk")),
        "holders": list(holders),
    }
    return context


@manager_required
def manage_qualification(request: HttpRequest, qualification_id: int) -> HttpResponse:
    user = request.user
    qualification = services.qualification_for_manager(user=user,
                                                       qualification_id=qualification_id)
    form = None
    if request.method == "POST":
        form = QualificationForm(request.POST)
        if form.is_valid():
            try:
                services.qualification_update(user=user, qualification_id=qualification.pk,
                                              **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Qualification saved."))
                return redirect(request.path)
    return render(request, "qualifications/manage/qualification.html",
                  _qualification_context(qualification, form=form))


@manager_required
@require_POST
def qualification_delete(request: HttpRequest, qualification_id: int) -> HttpResponse:
    try:
        services.qualification_delete(user=request.user, qualification_id=qualification_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect(f"/qualifications/manage/{qualification_id}/")
    messages.success(request, _("Qualification deleted."))
    return redirect("/qualifications/manage/")


@manager_required
@require_POST
def exam_new(request: HttpRequest, qualification_id: int) -> HttpResponse:
    user = request.user
    qualification = services.qualification_for_manager(user=user,
                                                       qualification_id=qualification_id)
    form = ExamForm(request.POST)
    if form.is_valid():
        try:
            exam = services.exam_create(user=user, qualification_id=qualification.pk,
                                        **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Exam created. Now add its questions."))
            return redirect(f"/qualifications/manage/exams/{exam.pk}/")
    return render(request, "qualifications/manage/qualification.html",
                  _qualification_context(qualification, exam_form=form))


@manager_required
@require_POST
def rule_new(request: HttpRequest, qualification_id: int) -> HttpResponse:
    user = request.user
    qualification = services.qualification_for_manager(user=user,
                                                       qualification_id=qualification_id)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.rule_add(user=user, qualification_id=qualification.pk,
                              **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Rule added."))
            return redirect(f"/qualifications/manage/{qualification.pk}/")
    return render(request, "qualifications/manage/qualification.html",
                  _qualification_context(qualification, rule_form=form))


@manager_required
@require_POST
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = QualificationRule.objects.filter(pk=rule_id).first()
    services.rule_delete(user=request.user, rule_id=rule_id)  # 404 for anyone else's
    messages.success(request, _("Rule deleted."))
    return redirect(f"/qualifications/manage/{rule.qualification_id}/")


@manager_required
@require_POST
def compute(request: HttpRequest, qualification_id: int) -> HttpResponse:
    from ..tasks import compute_task

    qualification = services.qualification_for_manager(user=request.user,
                                                       qualification_id=qualification_id)
    if qualification.granting != Granting.COMPUTED:
        messages.error(request, _("Only computed qualifications have rules to run."))
    else:
        compute_task.enqueue(qualification_id=qualification.pk)
        messages.success(request, _("The rules will run in the background in a moment."))
    return redirect(f"/qualifications/manage/{qualification.pk}/")


def _exam_context(exam, form=None, question_form=None) -> dict:
    kind = get_kind(exam.kind)
    return {
        "exam": exam, "qualification": exam.qualification, "kind": kind,
        "form": form or ExamForm(initial=ExamForm.initial_from(exam)),
        "question_form": question_form or QuestionForm(),
        "questions": list(exam.questions.all()),
    }


@manager_required
def manage_exam(request: HttpRequest, exam_id: int) -> HttpResponse:
    user = request.user
    exam = exam_for_manager(user=user, exam_id=exam_id)
    form = None
    if request.method == "POST":
        form = ExamForm(request.POST)
        if form.is_valid():
            try:
                services.exam_update(user=user, exam_id=exam.pk, **form.service_fields())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Exam saved."))
                return redirect(request.path)
    return render(request, "qualifications/manage/exam.html", _exam_context(exam, form=form))


@manager_required
@require_POST
def exam_delete(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = exam_for_manager(user=request.user, exam_id=exam_id)
    try:
        services.exam_delete(user=request.user, exam_id=exam.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"/qualifications/manage/exams/{exam.pk}/")
    messages.success(request, _("Exam deleted."))
    return redirect(f"/qualifications/manage/{exam.qualification_id}/")


@manager_required
@require_POST
def question_new(request: HttpRequest, exam_id: int) -> HttpResponse:
    user = request.user
    exam = exam_for_manager(user=user, exam_id=exam_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(user=user, exam_id=exam.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Question added."))
            return redirect(f"/qualifications/manage/exams/{exam.pk}/#questions")
    return render(request, "qualifications/manage/exam.html",
                  _exam_context(exam, question_form=form))


@manager_required
@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = ExamQuestion.objects.filter(pk=question_id).first()
    services.question_delete(user=request.user, question_id=question_id)  # 404 if not theirs
    messages.success(request, _("Question deleted."))
    return redirect(f"/qualifications/manage/exams/{question.exam_id}/#questions")
