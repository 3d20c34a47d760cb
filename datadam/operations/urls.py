"""The operators' pages, mounted at /ops/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="ops_index"),
    path("payouts/", views.payouts, name="ops_payouts"),
    path("payouts/decided/", views.payouts_decided, name="ops_payouts_decided"),
    path("payouts/<int:payout_id>/decide/", views.payout_decide, name="ops_payout_decide"),
    path("users/", views.users, name="ops_users"),
    path("users/<int:user_id>/", views.user_detail, name="ops_user"),
    path("users/<int:user_id>/active/", views.user_set_active, name="ops_user_active"),
    path("users/<int:user_id>/reviewer/", views.user_reviewer, name="ops_user_reviewer"),
    path("organizations/", views.organizations, name="ops_organizations"),
    path("organizations/<int:org_id>/", views.organization_detail, name="ops_organization"),
    path("audit/", views.audit_log, name="ops_audit"),
    path("ledger/", views.ledger, name="ops_ledger"),
]
