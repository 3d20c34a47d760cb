"""Publishing a dataset and editing what it says about itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from datadam.accounts.languages import LANGUAGE_CODES
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.projects.models import Project
from datadam.projects.services import user_can_manage

from ..models import Dataset, DatasetSource, Licence, SourceRole, Visibility
from ..visibility import dataset_managed

MAX_TAGS = 20
MAX_TAG = 40
MAX_SOURCES = 20
#: Fields ``dataset_update`` may change (versions are built, never edited).
EDITABLE = frozenset({"title", "title_ko", "description", "description_ko", "licence",
                      "usage_terms", "tags", "languages", "visibility"})


def _text(fields: dict[str, Any], name: str, *, limit: int, required: bool = False) -> None:
    if name not in fields:
        if required:
            raise InvalidInput(_("%(name)s is required") % {"name": name})
        return
    value = fields[name]
    if not isinstance(value, str):
        raise InvalidInput(_("%(name)s must be text") % {"name": name})
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("%(name)s must not be empty") % {"name": name})
    if len(value) > limit:
        raise InvalidInput(_("%(name)s is longer than %(limit)s characters")
                           % {"name": name, "limit": limit})
    fields[name] = value


def _words(value: Any, name: str) -> list[str]:
    """Tags or language codes: a list, or one comma-separated text (as a form sends them)."""
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(_("%(name)s must be a list of words") % {"name": name})
    out: list[str] = []
    for word in (v.strip() for v in value):
        if word and word not in out:
            out.append(word)
    return out


def clean_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The dataset fields checked and normalised; InvalidInput says what is wrong."""
    out = dict(fields)
    unknown = set(out) - EDITABLE
    if unknown:
        raise InvalidInput(_("unknown fields: %(unknown)s")
                           % {"unknown": ", ".join(sorted(unknown))})
    _text(out, "title", limit=200, required=creating or "title" in out)
    _text(out, "title_ko", limit=200)
    _text(out, "description", limit=20_000)
    _text(out, "description_ko", limit=20_000)
    _text(out, "usage_terms", limit=20_000)
    if "licence" in out and out["licence"] not in Licence.values:
        raise InvalidInput(_("unknown licence %(licence)s; choose one of: %(known)s")
                           % {"licence": repr(out["licence"]), "known": ", ".join(Licence.values)})
    if "visibility" in out and out["visibility"] not in Visibility.values:
        raise InvalidInput(_("visibility must be one of: %(known)s")
                           % {"known": ", ".join(Visibility.values)})
    if "tags" in out:
        tags = _words(out["tags"], "tags")
        if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG for t in tags):
            raise InvalidInput(_("at most %(n)s tags of at most %(chars)s characters each")
                               % {"n": MAX_TAGS, "chars": MAX_TAG})
        out["tags"] = tags
    if "languages" in out:
        languages = [code.lower() for code in _words(out["languages"], "languages")]
        bad = [code for code in languages if code not in LANGUAGE_CODES]
        if bad:
            raise InvalidInput(_("unknown language codes: %(codes)s (use two-letter ISO 639-1 "
                                 "codes such as ko, en)") % {"codes": ", ".join(bad)})
        out["languages"] = languages
    return out


def _check_terms(visibility: str, terms: str) -> None:
    if visibility == Visibility.REQUEST and not terms.strip():
        raise InvalidInput(_("a dataset shared by request needs usage terms for requesters "
                             "to accept"))


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "dataset"
    slug, n = base, 1
    while Dataset.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _source_projects(user: Any, project_ids: Any) -> list[Project]:
    if (not isinstance(project_ids, list) or not project_ids or len(project_ids) > MAX_SOURCES
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in project_ids)):
        raise InvalidInput(_("project_ids must list 1 to %(n)s project ids") % {"n": MAX_SOURCES})
    projects = list(Project.objects.filter(pk__in=set(project_ids)).order_by("pk"))
    found = {p.pk for p in projects if user_can_manage(user, p)}
    missing = [pk for pk in project_ids if pk not in found]
    if missing:
        raise NotFound(_("project not found: %(ids)s") % {"ids": ", ".join(map(str, missing))})
    if len({p.organization_id for p in projects}) > 1:
        raise InvalidInput(_("the projects of one dataset must belong to one organization"))
    if len({p.kind for p in projects}) > 1:
        raise InvalidInput(_("the projects of one dataset must be of one task kind"))
    return projects


def dataset_publish(*, user: Any, project_ids: list[int], changelog: str = "",
                    **fields: Any) -> Dataset:
    """Publish the results of the projects as a new dataset and build its version 1 (in the
    background). ``fields``: title (required), title_ko, description, description_ko,
    licence, usage_terms, tags, languages, visibility."""
    from .versions import version_create

    projects = _source_projects(user, project_ids)
    clean = clean_fields(fields, creating=True)
    _check_terms(clean.get("visibility", Visibility.PUBLIC), clean.get("usage_terms", ""))
    with transaction.atomic():
        dataset = Dataset.objects.create(
            organization_id=projects[0].organization_id, kind=projects[0].kind,
            slug=_unique_slug(clean["title"]), created_by=user, **clean)
        DatasetSource.objects.bulk_create(
            DatasetSource(dataset=dataset, project=p, role=SourceRole.BASE) for p in projects)
        audit_record(actor=user, action="hub.dataset.publish", target=dataset,
                     organization_id=dataset.organization_id,
                     data={"projects": [p.pk for p in projects], "visibility": dataset.visibility})
        _reindex(dataset)
        # In the same transaction: a changelog it refuses leaves no dataset without versions.
        version_create(user=user, dataset_id=dataset.pk,
                       changelog=changelog or _("First version."))
    return dataset


def dataset_update(*, user: Any, dataset_id: int, **fields: Any) -> Dataset:
    """Change what the dataset says about itself (title, description, licence, tags,
    languages, visibility, usage terms). Its versions stay as they were built."""
    clean = clean_fields(fields, creating=False)
    with transaction.atomic():
        dataset = dataset_managed(user=user, dataset_id=dataset_id, lock=True)
        for name, value in clean.items():
            setattr(dataset, name, value)
        _check_terms(dataset.visibility, dataset.usage_terms)
        dataset.save()
        audit_record(actor=user, action="hub.dataset.update", target=dataset,
                     organization_id=dataset.organization_id, data={"fields": sorted(clean)})
        _reindex(dataset)
    return dataset


def dataset_source_add(*, user: Any, dataset_id: int, project_id: int) -> DatasetSource:
    """Add a project (say, one that collects the data an improvement request asked for) to
    the dataset: its results go into the next version."""
    with transaction.atomic():
        dataset = dataset_managed(user=user, dataset_id=dataset_id, lock=True)
        (project,) = _source_projects(user, [project_id])
        if project.organization_id != dataset.organization_id:
            raise NotFound(_("project not found: %(ids)s") % {"ids": project_id})
        if project.kind != dataset.kind:
            raise InvalidInput(_("the project's task kind (%(kind)s) is not the dataset's "
                                 "(%(dataset_kind)s)")
                               % {"kind": project.kind, "dataset_kind": dataset.kind})
        if DatasetSource.objects.filter(dataset=dataset, project=project).exists():
            raise Conflict(_("the project is already a source of this dataset"))
        source = DatasetSource.objects.create(dataset=dataset, project=project,
                                              role=SourceRole.BASE)
        audit_record(actor=user, action="hub.dataset.source_add", target=dataset,
                     project_id=project.pk, organization_id=dataset.organization_id)
    return source


def _reindex(dataset: Dataset) -> None:
    from ..search import search_index

    search_index(dataset)
