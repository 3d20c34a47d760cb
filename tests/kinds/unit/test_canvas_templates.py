"""The image kinds' widget.html and review.html render in every context the site gives them:
with or without an answer, a result with scores, no image size, readonly, the config under
``config``, ``project.config`` or not at all (some review screens have none)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

ITEM = {"image": "https://example.com/a.jpg", "web": "/media/web/a.jpg", "width": 4000,
        "height": 3000}
CASES = {
    "bounding_box": ({"labels": ["car", "person"], "colors": {"car": "#e6194b"}},
                     {"boxes": [{"label": "car", "box": [10.5, 20, 300, 400.25], "score": 0.9},
                                {"label": "car", "box": [1, 2, 3, 4]}]}),
    "polygon": ({"labels": ["road"], "tools": ["polygon", "polyline"]},
                {"shapes": [{"label": "road", "type": "polygon",
                             "points": [[1, 2], [30, 4], [5, 60.5]]},
                            {"label": "road", "type": "polyline", "points": [[1, 1], [9, 9]]}]}),
    "keypoints": ({"points": ["nose", "eye"], "skeleton": [["nose", "eye"]]},
                  {"keypoints": {"nose": [100, 200, 2], "eye": [150, 180, 1]}}),
    "ocr": ({"languages": ["ko"], "tools": ["box", "polygon"]},
            {"regions": [{"box": [1, 2, 3, 4], "text": "서울 <b>"},
                         {"box": [5, 5, 10, 10], "points": [[5, 5], [15, 5], [10, 15]],
                          "text": ""}]}),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_widget_renders_the_annotator_root_with_its_data(kind):
    config, answer = CASES[kind]
    html = render_to_string(f"{kind}/widget.html",
                            {"item": ITEM, "config": config, "answer": answer, "readonly": False})
    assert f'data-annotator="{kind}"' in html
    assert 'data-image="/media/web/a.jpg"' in html  # the smaller rendition is drawn
    assert 'data-width="4000" data-height="3000"' in html
    assert '<input type="hidden" name="answer" value="">' in html
    assert f"kinds/{kind}/widget.js" in html and 'type="module"' in html
    scripts = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert [json.loads(s) for s in scripts] == [config, answer]

    readonly = render_to_string(f"{kind}/widget.html",
                                {"item": {"image": "x.png"}, "config": config, "answer": None,
                                 "readonly": True})
    assert "data-readonly" in readonly and 'name="answer"' not in readonly
    assert "data-width" not in readonly  # the image's own size is used


@pytest.mark.parametrize("kind", sorted(CASES))
def test_review_renders_shapes_in_original_pixels_with_or_without_config(kind):
    config, answer = CASES[kind]
    for extra in ({"config": config}, {"project": SimpleNamespace(config=config)}, {}):
        with translation.override("ko"):
            html = render_to_string(f"{kind}/review.html",
                                    {"item": ITEM, "answer": answer, **extra})
        assert 'viewBox="0 0 4000 3000"' in html
        assert "kinds/canvas/review.js" in html
        assert ("data-json=\"colors\"" in html) == ("colors" in config and bool(extra))
    bare = render_to_string(f"{kind}/review.html", {"item": {"image": "x.png"}, "answer": None})
    assert "<svg" not in bare and 'src="x.png"' in bare


def test_review_details():
    config, answer = CASES["bounding_box"]
    html = render_to_string("bounding_box/review.html", {"item": ITEM, "answer": answer,
                                                          "config": config})
    assert '<rect x="10.5" y="20" width="300" height="400.25"/>' in html
    assert "2 boxes" in html and "car ×2" in html
    empty = render_to_string("bounding_box/review.html", {"item": ITEM, "answer": {"boxes": []}})
    assert "nothing to mark" in empty

    config, answer = CASES["keypoints"]
    html = render_to_string("keypoints/review.html", {"item": ITEM, "answer": answer,
                                                       "config": config})
    assert 'data-a="nose" data-b="eye"' in html and "dd-rv-occ" in html
    assert "2 of 2 points placed" in html

    config, answer = CASES["ocr"]
    html = render_to_string("ocr/review.html", {"item": ITEM, "answer": answer, "config": config})
    assert 'lang="ko"' in html and "서울 &lt;b&gt;" in html  # escaped
    assert '<polygon points="5,5 15,5 10,15 "/>' in html
