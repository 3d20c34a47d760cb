"""The analysis job: Kiwi's morphemes stored in the items' data, after import.

Import stays constant work per item (``validate_item`` analyses nothing). When items are
imported into a ``korean_morphemes`` project (the ``items.import`` audit event, which every
import writes: a file, the API, gold) or the project is launched or resumed, the job is
queued once the transaction commits; it adds ``morphemes`` (the tokens a worker starts
from) and ``analyser`` (package and model versions) to each item without them. Why a job,
not analysis when the task is shown: see docs/kinds/korean_morphemes.md ("Analysis").

Safe to run twice or concurrently: an item that has ``morphemes`` is skipped (also when
another run wrote them meanwhile: checked again under the row lock before writing), and
Kiwi gives the same analysis for the same text.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from datadam.audit.models import AuditEvent
from datadam.projects.models import Item, Project

from .analysis import analyse, analyser_name

log = logging.getLogger(__name__)
SLUG = "korean_morphemes"
CHUNK = 500
#: Audit events after which a project's items may lack their analysis.
TRIGGERS = frozenset({"items.import", "project.launch", "project.resume"})


def morphemes_analyse(*, project_id: int) -> dict[str, int]:
    """Analyse the project's items that have no ``morphemes`` yet, ``CHUNK`` at a time
    (keyset by id; flat memory). Returns the counts analysed and skipped."""
    counts = {"analysed": 0, "skipped": 0}
    name = None
    after = 0
    while True:
        rows = list(Item.objects.filter(project_id=project_id, pk__gt=after)
                    .exclude(data__has_key="morphemes").order_by("pk")
                    .values_list("pk", "data")[:CHUNK])
        if not rows:
            return counts
        after = rows[-1][0]
        texts = {pk: data["text"] for pk, data in rows
                 if isinstance(data, dict) and isinstance(data.get("text"), str)}
        counts["skipped"] += len(rows) - len(texts)
        name = name or analyser_name()
        analysed = {pk: analyse(text) for pk, text in texts.items()}
        with transaction.atomic():
            items = list(Item.objects.select_for_update().filter(pk__in=list(analysed))
                         .order_by("pk"))
            changed = []
            for item in items:
                data = item.data
                if (not isinstance(data, dict) or "morphemes" in data
                        or data.get("text") != texts[item.pk]):
                    counts["skipped"] += 1  # written by another run, or changed meanwhile
                    continue
                item.data = {**data, "morphemes": analysed[item.pk], "analyser": name}
                changed.append(item)
            Item.objects.bulk_update(changed, ["data"])
            counts["analysed"] += len(changed)


def analyse_later(project_id: int) -> None:
    """Queue the job for the project once the current transaction commits."""

    def enqueue() -> None:
        from .tasks import morphemes_analyse_task

        morphemes_analyse_task.enqueue(project_id=project_id)

    transaction.on_commit(enqueue, robust=True)


def _after_audit(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.action not in TRIGGERS or not instance.project_id:
        return
    if Project.objects.filter(pk=instance.project_id, kind=SLUG).exists():
        analyse_later(instance.project_id)


def connect() -> None:
    """Listen for the audit events after which items may need analysis (once per process:
    the kind's package is imported once)."""
    post_save.connect(_after_audit, sender=AuditEvent, dispatch_uid="korean_morphemes.analyse")
