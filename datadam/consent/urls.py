"""The consent pages: the client's under /console/, the worker's under /consent/, the
operators' under /ops/consents/ (mounted at the root)."""

from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("console/projects/<int:project_id>/consent/", views.console, name="console"),
    path("consent/", views.mine, name="mine"),
    path("consent/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("consent/projects/<int:project_id>/", views.project_form, name="project"),
    path("consent/projects/<int:project_id>/sign/", views.sign, name="sign"),
    path("consent/projects/<int:project_id>/new-person/", views.new_person, name="new_person"),
    path("ops/consents/", views.ops_consents, name="ops"),
    path("ops/consents/<int:consent_id>/withdraw/", views.ops_withdraw, name="ops_withdraw"),
]
