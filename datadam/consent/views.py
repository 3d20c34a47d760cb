"""The consent pages: the client's form and withdrawn captures, the worker's consents and
the panel's sign and "new person" answers, and the operators' search (thin views over the
services and selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required, operator_required, worker_required
from datadam.errors import DomainError, NotFound
from datadam.operations.views.common import cursor_of, first_page_query, page_query
from datadam.projects.models import Project
from datadam.projects.selectors import project_visible
from datadam.projects.views._common import managed_project

from . import selectors, services
from .forms import ConsentFormForm, ConsentSearchForm, OpsWithdrawForm, WithdrawForm
from .models import ConsentSubject
from .panel import hold_third_party, panel_context

PAGE = 50



def _first_error(form: Any) -> str:
    return next(iter(e for errors in form.errors.values() for e in errors), _("Invalid input."))


# --- The client ----------------------------------------------------------------------------
@manager_required
def console(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's consent form (editing saves a new version), its versions with their
    consent counts, and the captures whose consent was withdrawn."""
    project = managed_project(request, project_id)
    state = selectors.consent_form_state(user=request.user, project_id=project.pk)
    current = state["form"]
    initial = ({"title": current.title, "body": current.body, "subject": current.subject}
               if current else {})
    form = ConsentFormForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.consent_form_remove(user=request.user, project_id=project.pk)
        messages.success(request, _("Workers are no longer asked to sign a consent form."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.consent_form_save(
                user=request.user, project_id=project.pk, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Consent form saved as version %(v)s.")
                             % {"v": saved.version})
            return redirect(request.path)
    after = cursor_of(request, "after")
    try:
        rows, next_after = selectors.withdrawn_page(
            user=request.user, project_id=project.pk, after=after, limit=PAGE
        )
    except DomainError:  # a cursor from another list: start again
        rows, next_after = selectors.withdrawn_page(
            user=request.user, project_id=project.pk, limit=PAGE
        )
    return render(request, "consent/console.html", {
        "project": project, "state": state, "form": form, "withdrawn": rows,
        "next_query": page_query(request, "after", next_after),
        "first_query": first_page_query(request, "after"),
    })


# --- The worker ----------------------------------------------------------------------------
@worker_required
def mine(request: HttpRequest) -> HttpResponse:
    """My consents: each with its project, subject, version, date and captures, and a
    Withdraw form."""
    rows = selectors.my_consents(
        worker=request.user, before=cursor_of(request, "before"), limit=PAGE + 1
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render(request, "consent/mine.html", {
        "consents": rows, "withdraw_form": WithdrawForm(),
        "next_query": page_query(request, "before", rows[-1].pk if more else None),
        "first_query": first_page_query(request, "before"),
    })


@worker_required
@require_POST
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("consent:mine")
    try:
        consent = services.consent_withdraw(
            user=request.user, consent_id=consent_id, reason=form.cleaned_data["reason"]
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consent %(id)s is withdrawn: its captures leave the "
                                    "project's exports.") % {"id": consent.pk})
    return redirect("consent:mine")


@worker_required
def project_form(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's consent form on a page of its own: read it, sign it, see it signed."""
    project = project_visible(request.user, project_id)
    return render(request, "consent/project.html", {
        "project": project, "panel": panel_context(request, project),
    })


def _panel(request: HttpRequest, project: Project, **kwargs: Any) -> HttpResponse:
    panel = panel_context(request, project, **kwargs)
    if panel is None:
        return HttpResponse(_("This project asks for no consent form any more. Reload the "
                              "page."), status=409, content_type="text/plain; charset=utf-8")
    return render(request, "consent/_panel_root.html", {"panel": panel})


@worker_required
@require_POST
def sign(request: HttpRequest, project_id: int) -> HttpResponse:
    """The panel's Sign button: the panel again, signed, or unsigned with what was wrong."""
    project = project_visible(request.user, project_id)
    form = selectors.current_form(project.pk)
    third_party = form is not None and form.subject == ConsentSubject.THIRD_PARTY
    values = {
        "subject_name": request.POST.get("consent_subject_name", ""),
        "signature": request.POST.get("consent_signature", ""),
        "agree": bool(request.POST.get("consent_agree")),
    }
    try:
        consent = services.consent_sign(
            worker=request.user, project_id=project.pk, subject_name=values["subject_name"],
            signature=values["signature"], agree=values["agree"], third_party=third_party,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return _panel(request, project, error=exc.message, values=values)
    if third_party:
        hold_third_party(request, project.pk, consent.pk)
    return _panel(request, project, signed_now=True)


@worker_required
@require_POST
def new_person(request: HttpRequest, project_id: int) -> HttpResponse:
    """The panel's "New person" button: forget the person signed for, show the form again."""
    project = project_visible(request.user, project_id)
    hold_third_party(request, project.pk, None)
    return _panel(request, project)


# --- Operators -------------------------------------------------------------------------------
@operator_required
def ops_consents(request: HttpRequest) -> HttpResponse:
    """Find a consent by id or the person's name; withdraw it at the person's request."""
    search = ConsentSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    rows = selectors.consents_search(
        user=request.user, q=q, before=cursor_of(request, "before"), limit=PAGE + 1
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render(request, "consent/ops.html", {
        "search": search, "q": q, "consents": rows, "withdraw_form": OpsWithdrawForm(),
        "next_query": page_query(request, "before", rows[-1].pk if more else None),
        "first_query": first_page_query(request, "before"),
    })


@operator_required
@require_POST
def ops_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    form = OpsWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        try:
            services.consent_withdraw(
                user=request.user, consent_id=consent_id, reason=form.cleaned_data["reason"]
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Consent %(id)s is withdrawn.") % {"id": consent_id})
    return redirect(f"{reverse('consent:ops')}?q={consent_id}")
