"""Finding and inviting workers, mounted at /talent/."""

from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/<str:answer>/", views.respond, name="respond"),
    path("projects/<int:project_id>/", views.recommend, name="recommend"),
    path("projects/<int:project_id>/invite/", views.invite, name="invite"),
]
