"""Two stages through the services: similarity reported; a capture without a signature is
found only within the hash-only distance."""

from __future__ import annotations

from datadam.collection import dedup
from datadam.collection.fingerprints.image import HASH_ONLY_DISTANCE, VERIFY_THRESHOLD
from datadam.collection.models import Capture, Fingerprint
from datadam.work.services import assignment_submit

from .test_capture_flow import capture, jpeg, scene


def test_a_cropped_copy_is_confirmed_by_its_signature_and_reports_the_similarity(
        collection, make_user):
    project = collection(blocking=["resolution"])
    first, second = make_user(), make_user()
    original = scene(3)
    a, cap = capture(first, project, jpeg(original))
    assert cap.signature is not None and len(bytes(cap.signature)) == 3073
    assignment_submit(worker=first, assignment_id=a.pk, answer={"capture": cap.pk})
    row = Fingerprint.objects.get(capture_id=cap.pk)
    assert bytes(row.signature) == bytes(cap.signature)
    w, h = original.size
    _b, dup = capture(second, project, jpeg(original.crop((int(w * .06), 0, w, int(h * .95)))))
    assert dup.duplicates[0]["capture"] == cap.pk
    assert dup.duplicates[0]["similarity"] >= VERIFY_THRESHOLD


def test_a_stored_capture_without_a_signature_is_matched_by_its_hash_alone(collection,
                                                                             make_user):
    project = collection(blocking=["resolution"])
    first, second = make_user(), make_user()
    a, cap = capture(first, project, jpeg(scene(8)))
    assignment_submit(worker=first, assignment_id=a.pk, answer={"capture": cap.pk})
    Fingerprint.objects.filter(capture_id=cap.pk).update(signature=None)
    Capture.objects.filter(pk=cap.pk).update(signature=None)
    dedup.forget()
    _b, dup = capture(second, project, jpeg(scene(8), quality=60))
    assert dup.duplicates[0]["capture"] == cap.pk
    assert dup.duplicates[0]["similarity"] is None
    assert dup.duplicates[0]["distance"] <= HASH_ONLY_DISTANCE
