"""The dataset hub: published datasets, their immutable versions, access and improvement
requests (docs/hub.md).

A ``Dataset`` publishes the results of one or more projects of one task kind. Each
``DatasetVersion`` is a snapshot taken by a background job: one ``VersionItem`` row per
record (for browsing, filtering by label, improvement requests and the diff against the
previous version) and a folder of files in storage (``VersionFile``: the JSONL, the Parquet
file with its README that ``datasets.load_dataset`` reads, the checksum manifest, and the
kind's export formats built on request). A ready version is never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    ODC_BY = "odc-by", "ODC-By 1.0"
    MIT = "mit", "MIT"
    APACHE = "apache-2.0", "Apache 2.0"
    OTHER = "other", _("Other (see the usage terms)")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone may browse and download")
    ORGANIZATION = "organization", _("Organization: only its members")
    REQUEST = "request", _("By request: approved requesters download under the usage terms")


class Dataset(models.Model):
    """A published dataset of an organization."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE,
                                     related_name="datasets")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    title_ko = models.CharField(max_length=200, blank=True, default="")
    description = models.TextField(blank=True, default="")
    description_ko = models.TextField(blank=True, default="")
    licence = models.CharField(max_length=24, choices=Licence.choices, default=Licence.CC_BY)
    usage_terms = models.TextField(blank=True, default="",
                                   help_text="What a requester agrees to (by-request datasets).")
    tags = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="Codes such as ko, en.")
    kind = models.CharField(max_length=64)
    visibility = models.CharField(max_length=16, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The latest ready version's figures, kept here for the listing and its filters.
    latest = models.ForeignKey("DatasetVersion", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    items = models.PositiveIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    # Title, descriptions and tags in one text, for the full-text index (hub.search).
    search_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["visibility", "-downloads"], name="dataset_popular_idx"),
            models.Index(fields=["organization", "-id"], name="dataset_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class SourceRole(models.TextChoices):
    BASE = "base", _("Labeled data")
    RELABEL = "relabel", _("Relabeling")


class DatasetSource(models.Model):
    """A project whose results go into the dataset's next version. A relabeling project's
    results replace those of the items it relabels (``RelabelItem``)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="sources")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=8, choices=SourceRole.choices, default=SourceRole.BASE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "project"],
                                               name="dataset_source_once")]


class VersionStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DatasetVersion(models.Model):
    """One numbered, immutable snapshot of the dataset."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    changelog = models.TextField(blank=True, default="")
    status = models.CharField(max_length=8, choices=VersionStatus.choices,
                              default=VersionStatus.BUILDING)
    error = models.TextField(blank=True, default="")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    #: the dataset card at build time: accuracy per source project and pooled
    card = models.JSONField(default=dict, blank=True)
    #: counts of labels in this version, {label: n}
    label_counts = models.JSONField(default=dict, blank=True)
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    relabelled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "number"],
                                               name="dataset_version_number_once")]

    def __str__(self) -> str:
        return f"{self.dataset_id} v{self.number}"


class VersionItem(models.Model):
    """One record of a version: the item (or capture) ``key``, its label in a few words for
    browsing, a digest of its result for the diff, and the record as one JSON line."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(help_text="The item's id (a capture's id for capture kinds).")
    label = models.CharField(max_length=200, blank=True, default="")
    digest = models.CharField(max_length=32, help_text="Hash of the result, meta left out.")
    record = models.TextField(help_text="The record as JSON: item_id, external_id, data, "
                                        "result.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "key"],
                                               name="version_item_once")]
        indexes = [models.Index(fields=["version", "label", "key"], name="version_label_idx")]


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class VersionFile(models.Model):
    """A file of a version's folder in the default storage."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=200, help_text="Path inside the version's folder.")
    format = models.CharField(max_length=32, blank=True, default="",
                              help_text="Export format slug for files built on request.")
    media = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=8, choices=FileStatus.choices,
                              default=FileStatus.QUEUED)
    storage_name = models.CharField(max_length=300, blank=True, default="")
    bytes = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "path"],
                                               name="version_file_once")]

    def __str__(self) -> str:
        return self.path


class AccessStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class AccessRequest(models.Model):
    """A user's request to use a by-request dataset under its usage terms."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE,
                                related_name="access_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    purpose = models.TextField()
    organization_name = models.CharField(max_length=200, blank=True, default="")
    terms_digest = models.CharField(max_length=64, help_text="SHA-256 of the terms accepted.")
    terms_accepted_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=AccessStatus.choices,
                              default=AccessStatus.PENDING)
    reason = models.TextField(blank=True, default="", help_text="Why declined or revoked.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "user"],
                                               name="access_request_once")]
        indexes = [models.Index(fields=["dataset", "status"], name="access_status_idx")]


class Download(models.Model):
    """One download of a version's file (every request, ranged ones included)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    range_start = models.BigIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["dataset", "-id"], name="download_dataset_idx")]


class RequestKind(models.TextChoices):
    RELABEL = "relabel", _("Wrong label: relabel these items")
    EXTEND = "extend", _("Missing data: add more items")
    OTHER = "other", _("Something else")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")
    RELEASED = "released", _("Released")


class ImprovementRequest(models.Model):
    """A user's report that items of a version are wrong or that data is missing."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="requests")
    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=8, choices=RequestKind.choices)
    keys = models.JSONField(default=list, blank=True, help_text="Keys of the items meant.")
    proposed_label = models.CharField(max_length=200, blank=True, default="")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    response = models.TextField(blank=True, default="", help_text="The owner's answer.")
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    relabel_project = models.ForeignKey("projects.Project", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+")
    released_in = models.ForeignKey(DatasetVersion, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="resolved_requests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["dataset", "status", "-id"], name="improvement_status_idx"),
            models.Index(fields=["relabel_project"], condition=Q(relabel_project__isnull=False),
                         name="improvement_relabel_idx"),
        ]


class RelabelItem(models.Model):
    """An item of a relabeling project and the dataset record (``key``) it relabels."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    item = models.OneToOneField("projects.Item", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["project", "key"], name="relabel_project_key_idx")]
