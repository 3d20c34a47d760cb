"""The built-in OCR and morpheme models through the jobs: suggestions for the items still
to answer, in the kind's answer format."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from datadam.assist.models import Suggestion
from datadam.assist.services.jobs import assist_train
from datadam.assist.services.settings import assist_configure
from datadam.projects.importing import items_import, parse_records
from datadam.projects.services import project_launch

pytestmark = pytest.mark.django_db
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _png(text: str) -> bytes:
    image = Image.new("RGB", (640, 200), "white")
    try:
        font = ImageFont.truetype(FONT, 64)
    except OSError:
        pytest.skip("the DejaVu font is not installed")
    ImageDraw.Draw(image).text((40, 60), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_ocr_suggestions_read_the_items_pictures(make_project, client_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user, _org = client_org
    name = default_storage.save("images/assist/sign.png", ContentFile(_png("OPEN 2026")))
    project = make_project(kind="ocr", config={"languages": ["en"], "tools": ["box"]},
                           items=0, launch=False)
    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"image": f"{settings.MEDIA_URL}{name}", "width": 640, "height": 200},
         {"image": f"{settings.MEDIA_URL}images/assist/missing.png", "width": 10,
          "height": 10}]))
    project_launch(user=user, project_id=project.pk)
    assist_configure(user=user, project_id=project.pk, source="ocr")
    outcome = assist_train(project_id=project.pk)
    assert outcome["predicted"] == 1, outcome  # the missing picture gets no suggestion
    suggestion = Suggestion.objects.get(project=project)
    text = " ".join(r["text"] for r in suggestion.answer["regions"]).replace(" ", "")
    assert "OPEN" in text and "2026" in text
    assert 0 < suggestion.score <= 1


def test_morpheme_suggestions_are_kiwis_analysis(make_project, client_org):
    user, _org = client_org
    project = make_project(kind="korean_morphemes", config={}, items=0, launch=False)
    items_import(user=user, project_id=project.pk,
                 lines=parse_records([{"text": "나는 밥을 먹었다."}]))
    project_launch(user=user, project_id=project.pk)
    assist_configure(user=user, project_id=project.pk, source="morphemes")
    assert assist_train(project_id=project.pk)["predicted"] == 1
    tokens = Suggestion.objects.get(project=project).answer["tokens"]
    assert [t["form"] for t in tokens][:3] == ["나", "는", "밥"]
