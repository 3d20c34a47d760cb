"""The worker's pages: my qualifications and exams, one qualification (with the document
upload), and what a project needs before the worker may take its tasks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from datadam.accounts.access import signed_in, worker_required
from datadam.errors import DomainError
from datadam.projects.selectors import project_visible

from .. import selectors, services
from ..credentials import document_response
from ..forms import CredentialForm
from ..models import Granting


def _exams_by_qualification(worker) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in selectors.exams_for_worker(worker=worker):
        out.setdefault(row["qualification"].pk, []).append(row)
    return out


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_operator:
        return redirect("/qualifications/credentials/")
    if user.is_client:
        return redirect("/qualifications/manage/")
    return render(request, "qualifications/index.html", {
        "holdings": selectors.my_holdings(worker=user),
        "exams": selectors.exams_for_worker(worker=user),
        "documents": selectors.credential_qualifications(worker=user),
        "unlockable": selectors.unlockable_projects(worker=user),
    })


@worker_required
def qualification_detail(request: HttpRequest, qualification_id: int) -> HttpResponse:
    worker = request.user
    qualification = selectors.qualification_visible(worker, qualification_id)
    form = None
    if qualification.granting == Granting.CREDENTIAL:
        form = CredentialForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.credential_submit(
                    worker=worker, qualification_id=qualification.pk,
                    file=form.cleaned_data["document"], note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error("document", exc.message)
            else:
                messages.success(request, _("Document sent. An operator will check it."))
                return redirect(request.path)
    holding = next((h for h in selectors.my_holdings(worker=worker)
                    if h.qualification_id == qualification.pk), None)
    return render(request, "qualifications/detail.html", {
        "qualification": qualification,
        "holding": holding,
        "exams": _exams_by_qualification(worker).get(qualification.pk, []),
        "checks": [c for c in selectors.my_credential_checks(worker=worker)
                   if c.qualification_id == qualification.pk],
        "form": form,
        "rules": list(qualification.rules.all()) if qualification.granting == "computed" else [],
    })


@worker_required
def project_eligibility(request: HttpRequest, project_id: int) -> HttpResponse:
    """What the worker lacks for a project, with the exams and uploads that would help."""
    worker = request.user
    project = project_visible(worker, project_id)  # not open: 404
    gaps = selectors.project_gaps(worker=worker, project=project)
    exams = _exams_by_qualification(worker)
    documents = {row["qualification"].pk: row
                 for row in selectors.credential_qualifications(worker=worker)}
    rows = [
        {"gap": gap, "exams": exams.get(gap.qualification_id, []),
         "document": documents.get(gap.qualification_id)}
        for gap in gaps
    ]
    return render(request, "qualifications/project.html", {
        "project": project, "rows": rows, "eligible": not gaps,
    })


@signed_in
def document(request: HttpRequest, check_id: int) -> HttpResponse:
    """The uploaded document, for operators and the worker who sent it."""
    check, handle = services.credential_document(user=request.user, check_id=check_id)
    return document_response(check, handle)
