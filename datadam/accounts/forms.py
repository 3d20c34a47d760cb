"""Forms of the account pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .languages import language_choices
from .models import WorkerProfile
from .services import FIELD_ATTRIBUTES


def language_list(**attrs: str) -> forms.CheckboxSelectMultiple:
    """Every language as a checkbox, in a scrolling box (``div.language-list``)."""
    return forms.CheckboxSelectMultiple(attrs={"class": "language-list", **attrs})


def _native_choices() -> list[tuple[str, str]]:
    return [("", "—"), *language_choices()]


DEVICE_CHOICES = [("android", _("Android phone")), ("iphone", _("iPhone")),
                  ("desktop", _("Desktop or laptop")), ("tablet", _("Tablet")),
                  ("camera", _("Phone camera")), ("microphone", _("Microphone"))]


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class LoginForm(AuthenticationForm):
    """E-mail and password, with failed attempts counted and throttled."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed sign-ins. Wait 15 minutes and try again."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django labels the field with User.email's verbose name ("Email", untranslated).
        self.fields["username"].label = _("E-mail")

    def clean(self):
        email = (self.data.get("username") or "").strip().lower()
        ip = client_ip(self.request) if self.request else None
        if services.login_throttled(ip=ip, email=email):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failed(ip=ip, email=email)
            raise
        services.login_succeeded(email=email)
        return cleaned


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               help_text=_("At least 8 characters."))
    display_name = forms.CharField(label=_("Name shown to others"), required=False,
                                   max_length=100)


class ClientSignupForm(SignupForm):
    organization_name = forms.CharField(label=_("Organization"), max_length=200)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to others"), required=False,
                                   max_length=100)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)
    gender = forms.ChoiceField(label=_("Gender"), choices=WorkerProfile.Gender.choices,
                               required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=100,
                             help_text=_("e.g. Seoul, Busan, California"))
    native_language = forms.ChoiceField(label=_("Native language"), choices=_native_choices,
                                        required=False)
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages you read and write well"), choices=language_choices,
        required=False, widget=language_list())
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    devices = forms.MultipleChoiceField(label=_("Devices you can work on"),
                                        choices=DEVICE_CHOICES, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    attributes = forms.CharField(
        label=_("Other attributes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line as name=value, e.g. dialect=Busan"),
    )

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.now().year - 14:
            raise forms.ValidationError(_("You must be at least 14 years old."))
        return year

    def clean_attributes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for number, line in enumerate((self.cleaned_data.get("attributes") or "").splitlines(), 1):
            if not line.strip():
                continue
            if "=" not in line:
                raise forms.ValidationError(
                    _("Line %(n)s: write name=value.") % {"n": number}
                )
            name, value = line.split("=", 1)
            if not name.strip():
                raise forms.ValidationError(_("Line %(n)s: the name is empty.") % {"n": number})
            if name.strip().casefold() in FIELD_ATTRIBUTES:
                raise forms.ValidationError(
                    _("Line %(n)s: choose your languages in the fields above, not as an "
                      "attribute.") % {"n": number})
            out[name.strip()[:50]] = value.strip()[:200]
        return out


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, initial="api")
