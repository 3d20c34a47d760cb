"""Realistic working times for the demo's answers.

The demo does its work through the services in one go, so every answer is measured as sent
within milliseconds of being taken: the feed would show "Time each 1 s" and tens of
thousands of points an hour. This gives each answer the time a person takes for its kind
(a log-normal spread around a typical time) and moves its lease back to match, so the
pace, earnings-per-hour and skill speed figures read like a real crowd's.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from datadam.projects.models import Project
from datadam.work.models import Assignment, Submission

#: A person's typical seconds per answer by task kind; other kinds take DEFAULT_SECONDS.
TYPICAL_SECONDS: dict[str, float] = {
    "image_classification": 7.0,
    "text_classification": 12.0,
    "bounding_box": 25.0,
    "polygon": 40.0,
    "keypoints": 20.0,
    "ocr": 35.0,
    "span_tagging": 30.0,
    "korean_morphemes": 45.0,
    "writing_qa": 120.0,
    "writing_summary": 150.0,
    "writing_translation": 90.0,
    "writing_dialogue": 120.0,
    "writing_sentences": 60.0,
    "audio_transcription": 60.0,
    "audio_classification": 12.0,
    "audio_segments": 40.0,
    "video_segments": 60.0,
    "video_frames": 45.0,
}
DEFAULT_SECONDS = 15.0
SPREAD = 0.4  # sigma of the log-normal: most answers within 0.5x to 2x the typical time


def demo_timings(*, rng: random.Random) -> int:
    """Give every demo answer a person's working time; returns how many were changed."""
    kinds = dict(Project.objects.values_list("pk", "kind"))
    subs = list(
        Submission.objects.select_related("assignment").order_by("pk")
    )
    leases: dict[int, Assignment] = {}
    for sub in subs:
        typical = TYPICAL_SECONDS.get(kinds.get(sub.assignment.project_id, ""), DEFAULT_SECONDS)
        ms = int(1000 * typical * math.exp(rng.gauss(0.0, SPREAD)))
        sub.duration_ms = ms
        sub.client_duration_ms = max(0, ms - rng.randint(100, 600))
        if sub.revision == 0:  # the lease ran from taking the item to its first answer
            a = sub.assignment
            a.leased_at = sub.created_at - timedelta(milliseconds=ms)
            leases[a.pk] = a
    Submission.objects.bulk_update(subs, ["duration_ms", "client_duration_ms"], batch_size=500)
    Assignment.objects.bulk_update(list(leases.values()), ["leased_at"], batch_size=500)
    return len(subs)
