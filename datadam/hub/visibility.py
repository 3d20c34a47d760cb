"""Who may see, use and manage a published dataset (one place for every page and the API).

- *see* (the page, card, versions, changelog, requests): a public or by-request dataset is
  seen by anyone, signed in or not; an organization-only one by its organization's members
  and operators. Anyone else gets NotFound, exactly as for a dataset that does not exist.
- *use* (browse the items, download, file improvement requests): public: anyone;
  organization: its members and operators; by request: those plus the users whose access
  request was approved (and not revoked).
- *manage* (edit, build versions, triage, decide access): the organization's members and
  operators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from datadam.accounts.models import Membership
from datadam.errors import NotFound, PermissionDenied

from .models import AccessRequest, AccessStatus, Dataset, Visibility


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def is_operator(user: Any) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_operator", False))


def is_member(user: Any, dataset: Dataset) -> bool:
    return _signed_in(user) and Membership.objects.filter(
        user_id=user.pk, organization_id=dataset.organization_id).exists()


def can_manage(user: Any, dataset: Dataset) -> bool:
    return is_operator(user) or is_member(user, dataset)


def can_see(user: Any, dataset: Dataset) -> bool:
    if dataset.visibility != Visibility.ORGANIZATION:
        return True
    return can_manage(user, dataset)


def access_approved(user: Any, dataset: Dataset) -> bool:
    return _signed_in(user) and AccessRequest.objects.filter(
        dataset=dataset, user_id=user.pk, status=AccessStatus.APPROVED).exists()


def can_use(user: Any, dataset: Dataset) -> bool:
    if dataset.visibility == Visibility.PUBLIC:
        return True
    if can_manage(user, dataset):
        return True
    return dataset.visibility == Visibility.REQUEST and access_approved(user, dataset)


def visible_datasets(user: Any) -> QuerySet[Dataset]:
    """The datasets the user may see: the listing and search start here."""
    qs = Dataset.objects.all()
    if is_operator(user):
        return qs
    seen = ~Q(visibility=Visibility.ORGANIZATION)
    if _signed_in(user):
        orgs = Membership.objects.filter(user_id=user.pk).values("organization_id")
        seen |= Q(organization_id__in=orgs)
    return qs.filter(seen)


def dataset_seen(*, user: Any, dataset_id: int) -> Dataset:
    """The dataset if the user may see it; else NotFound (as a missing one)."""
    dataset = Dataset.objects.select_related("organization", "latest").filter(
        pk=dataset_id).first()
    if dataset is None or not can_see(user, dataset):
        raise NotFound(_("dataset not found"))
    return dataset


def dataset_used(*, user: Any, dataset_id: int) -> Dataset:
    """The dataset if the user may browse and download it: NotFound if they may not see it,
    PermissionDenied (saying how to get access) if they may see but not use it."""
    dataset = dataset_seen(user=user, dataset_id=dataset_id)
    if not can_use(user, dataset):
        raise PermissionDenied(
            _("this dataset is shared by approved request: request access and accept its "
              "usage terms first"))
    return dataset


def dataset_managed(*, user: Any, dataset_id: int, lock: bool = False) -> Dataset:
    """The dataset if the user may manage it; NotFound otherwise (a dataset one may see but
    not manage answers PermissionDenied)."""
    qs = Dataset.objects.select_for_update() if lock else Dataset.objects
    dataset = qs.filter(pk=dataset_id).first()
    if dataset is None or not can_see(user, dataset):
        raise NotFound(_("dataset not found"))
    if not can_manage(user, dataset):
        raise PermissionDenied(_("only the dataset's organization can do this"))
    return dataset
