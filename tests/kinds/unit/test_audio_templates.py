"""The audio kinds' widget.html and review.html render in every context the site gives them:
with or without an answer, a result with scores, revise (pre-loaded), readonly, the item's
renditions used when present; and the wizard's preview draws each with its sample clip."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

ITEM = {"audio": "https://example.com/a.wav", "duration": 10.0, "sample_rate": 16000,
        "web": "/media/audio/1/a.web.webm", "peaks": "/media/audio/1/a.peaks.json"}
CASES = {
    "audio_transcription": ({"language": "ko", "strict": [], "pass_score": 0.8},
                            {"text": "안녕하세요 <b>여러분</b>"}),
    "audio_classification": ({"labels": ["cry", "music"], "multi_label": False},
                             {"label": "music"}),
    "audio_segments": ({"labels": ["cry", "speech"], "colors": {"cry": "#e6194b"}},
                       {"segments": [{"start": 1.0, "end": 2.5, "label": "cry", "score": 0.67},
                                     {"start": 4.0, "end": 9.5, "label": "speech"}]}),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_widget_renders_the_player_with_the_renditions_and_the_answer(kind):
    config, answer = CASES[kind]
    html = render_to_string(f"{kind}/widget.html",
                            {"item": ITEM, "config": config, "answer": answer, "readonly": False})
    assert f'data-audio-player="{kind}"' in html
    assert 'data-src="/media/audio/1/a.web.webm"' in html
    assert 'data-peaks="/media/audio/1/a.peaks.json"' in html and 'data-duration="10.0"' in html
    assert f"/static/kinds/{kind}/widget.js" in html and "wavesurfer.esm.js" in html
    if kind == "audio_transcription":
        assert "안녕하세요 &lt;b&gt;여러분&lt;/b&gt;</textarea>" in html and 'lang="ko"' in html
    if kind == "audio_classification":
        assert 'value="music"' in html and "checked" in html
    if kind == "audio_segments":
        assert '<input type="hidden" name="answer" value="">' in html
        assert '"label": "cry"' in html  # the answer, pre-loaded for the script


@pytest.mark.parametrize("kind", sorted(CASES))
def test_readonly_and_bare_url_items_render(kind):
    config, answer = CASES[kind]
    html = render_to_string(f"{kind}/widget.html", {
        "item": {"audio": "https://example.com/b.mp3"}, "config": config, "answer": answer,
        "readonly": True})
    assert "data-readonly" in html and 'data-src="https://example.com/b.mp3"' in html
    assert "data-peaks" not in html and 'name="answer"' not in html


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_review_card_has_a_plain_player_and_the_answer(kind):
    config, answer = CASES[kind]
    html = render_to_string(f"{kind}/review.html",
                            {"item": ITEM, "answer": answer, "config": config})
    assert '<audio controls preload="none" src="/media/audio/1/a.web.webm"' in html
    if kind == "audio_segments":
        assert 'viewBox="0 0 10.0 1"' in html and 'x1="1.0" x2="2.5"' in html
        assert 'stroke="#e6194b"' in html and "(0.67)" in html
    elif kind == "audio_transcription":
        assert "안녕하세요 &lt;b&gt;" in html
    else:
        assert "<b>music</b>" in html


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_wizard_preview_plays_the_sample_clip(client_org, kind, db):
    client = Client()
    client.force_login(client_org[0])
    data = {"kind": kind, "name": "x", "reward": "5", "labels": "cry\nspeech"}
    response = client.post("/console/preview/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-audio-player="{kind}"' in html and 'data-src="data:audio/wav;base64,' in html
