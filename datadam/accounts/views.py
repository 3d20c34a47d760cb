"""Account pages: sign-up, sign-in, profile, organization members and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.errors import DomainError

from . import services
from .forms import ClientSignupForm, LoginForm, MemberForm, ProfileForm, SignupForm, TokenForm
from .models import ApiToken, Membership, Role, WorkerProfile


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is (a reviewer's is the review queue); visitors see
    what the platform is."""
    user = request.user
    if user.is_authenticated:
        if user.is_operator:
            return redirect("/ops/payouts/")
        if user.is_client:
            return redirect("/console/")
        if user.is_reviewer:
            return redirect("/review/")
        return redirect("/work/")
    return render(request, "home.html")


class SignInView(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _signup(request: HttpRequest, form_class: type, role: str) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(role=role, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to datadam!"))
            return redirect("/accounts/profile/" if role == Role.WORKER else "/console/")
    return render(request, "accounts/signup.html", {"form": form, "role": role})


def signup(request: HttpRequest) -> HttpResponse:
    return _signup(request, SignupForm, Role.WORKER)


def signup_client(request: HttpRequest) -> HttpResponse:
    return _signup(request, ClientSignupForm, Role.CLIENT)


def _tokens_context(request: HttpRequest) -> dict:
    return {
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at=None).order_by("-pk"),
        "token_form": TokenForm(),
        "new_token": request.session.pop("new_token", None),
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if not request.user.is_worker:
        return redirect("/accounts/organization/")
    current = WorkerProfile.objects.filter(user=request.user).first()
    initial = {"display_name": request.user.display_name}
    if current:
        initial.update(
            birth_year=current.birth_year, gender=current.gender, region=current.region,
            native_language=current.native_language,
            other_languages=current.other_languages, occupation=current.occupation,
            devices=current.devices,
            attributes="\n".join(f"{k}={v}" for k, v in current.attributes.items()),
        )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("/accounts/profile/")
    return render(request, "accounts/profile.html", {"form": form, **_tokens_context(request)})


@login_required
def organization(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    orgs = []
    for m in memberships:
        members = Membership.objects.filter(organization=m.organization).select_related("user")
        orgs.append({"org": m.organization, "level": m.level, "members": members})
    return render(request, "accounts/organization.html", {
        "orgs": orgs, "member_form": MemberForm(), **_tokens_context(request),
    })


@login_required
@require_POST
def member_add(request: HttpRequest, org_id: int) -> HttpResponse:
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.member_add(owner=request.user, organization_id=org_id, **form.cleaned_data)
            messages.success(request, _("Member added."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Enter an e-mail and a password of at least 8 characters."))
    return redirect("/accounts/organization/")


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else "api"
    _token, raw = services.token_create(user=request.user, name=name)
    request.session["new_token"] = raw
    return redirect(request.POST.get("next") or "/accounts/profile/")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.token_revoke(user=request.user, token_id=token_id)
        messages.success(request, _("Token revoked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "/accounts/profile/")
