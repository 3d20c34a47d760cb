"""The audio demo: generated clips whose truth is known, answered by a careful, a good and a
sloppy worker, reviewed, aggregated; renditions made; the results land near the truth."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from django.core.files.storage import default_storage

from datadam.accounts.models import Membership, Role
from datadam.datasets.export_jobs import export_create, export_run
from datadam.datasets.models import AggregationState, ItemResult
from datadam.demo import audio, sounds
from datadam.demo.audio import demo_audio
from datadam.demo.crowd import SPARE_ITEMS
from datadam.kinds import get_kind
from datadam.media.models import MediaAsset, MediaStatus
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db


def test_the_audio_demo_makes_three_worked_and_aggregated_projects(
    settings, tmp_path, client_org, make_user, reviewer
):
    settings.MEDIA_ROOT = tmp_path
    user, org = client_org
    Membership.objects.get_or_create(user=user, organization=org)
    workers = [make_user(Role.WORKER) for _ in range(3)]
    projects = demo_audio(client=user, organization_id=org.pk, workers=workers,
                          reviewer=reviewer, rng=random.Random(7))
    assert [p.kind for p in projects] == ["audio_transcription", "audio_classification",
                                          "audio_segments"]
    assert not MediaAsset.objects.exclude(status=MediaStatus.READY).exists()
    for number, project in enumerate(projects):
        kind = get_kind(project.kind)
        state = AggregationState.objects.get(project=project)
        assert state.n_items > 0, project.kind
        items = Item.objects.filter(project=project, gold__isnull=True)
        assert items.count() == audio.ITEMS
        item = items.first()
        assert item.data["peaks"].endswith(".peaks.json") and item.data["web"]
        assert default_storage.exists(item.data["audio"].split("/media/", 1)[-1])
        results = {r.item_id: r.result for r in ItemResult.objects.filter(project=project)}
        right = 0
        for it in items:
            if it.pk not in results:
                continue
            seed = 7000 + 100 * number + int(it.external_id.rsplit("-", 1)[1].split(".")[0])
            truth = audio._clip(project.kind, int(it.external_id.rsplit("-", 1)[1][:-4]),
                                seed)[1]
            right += kind.answer_matches(results[it.pk], truth, project.config)
        assert right >= 0.6 * len(results), (project.kind, right, len(results))

    # The speech formats through the real export job, media included: files in the zip.
    transcription, _cls, segments = projects
    for project, fmt, entry in ((transcription, "nemo", "manifest.jsonl"),
                                (transcription, "kaldi", "wav.scp"),
                                (segments, "kaldi", "segments")):
        export = export_create(user=user, project_id=project.pk, fmt=fmt, media="include")
        export_run(export_id=export.pk)
        export.refresh_from_db()
        assert export.status == "done", export.error
        with default_storage.open(export.file) as handle, \
                zipfile.ZipFile(io.BytesIO(handle.read())) as zf:
            lines = zf.read(entry).decode().splitlines()
            assert len(lines) >= audio.ITEMS - 2 - SPARE_ITEMS, (fmt, lines)
            assert any(n.startswith("audio/") and n.endswith(".wav") for n in zf.namelist())


def test_the_demo_clips_hold_what_their_truth_says():
    wav, truth = sounds.event_clip(3)
    assert wav.startswith(b"RIFF") and truth["segments"]
    labels = {s["label"] for s in truth["segments"]}
    assert labels <= {"cry", "speech", "silence"}
    assert all(0 <= s["start"] < s["end"] <= 8.0 for s in truth["segments"])
    wav, truth = sounds.digits_clip(5)
    assert all(d.isdigit() for d in truth["text"].split())
