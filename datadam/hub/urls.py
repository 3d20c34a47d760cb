"""The dataset hub's pages, mounted at /hub/."""

from django.urls import path

from .views import browse, manage, requests

app_name = "hub"

urlpatterns = [
    path("", browse.index, name="index"),
    path("publish/", manage.publish, name="publish"),
    path("<int:dataset_id>/", browse.dataset, name="dataset"),
    path("<int:dataset_id>/building/", browse.building, name="building"),
    path("<int:dataset_id>/access-request/", browse.access_request, name="access_request"),
    path("<int:dataset_id>/edit/", manage.edit, name="edit"),
    path("<int:dataset_id>/versions/new/", manage.version_new, name="version_new"),
    path("<int:dataset_id>/access/", manage.access, name="access"),
    path("<int:dataset_id>/access/<int:access_id>/decide/", manage.access_decide,
         name="access_decide"),
    path("<int:dataset_id>/requests/", requests.request_list, name="requests"),
    path("<int:dataset_id>/requests/<int:request_id>/", requests.request_detail,
         name="request"),
    path("<int:dataset_id>/v<int:number>/", browse.version, name="version"),
    path("<int:dataset_id>/v<int:number>/files/", browse.files, name="files"),
    path("<int:dataset_id>/v<int:number>/formats/", browse.format_request, name="format"),
    path("<int:dataset_id>/v<int:number>/items/", browse.items, name="items"),
    path("<int:dataset_id>/v<int:number>/changes/", browse.changes, name="changes"),
    path("<int:dataset_id>/v<int:number>/items/<int:key>/<slug:field>", browse.media,
         name="media"),
]
