"""Audio and video renditions (no database): the Opus web copy and its waveform peaks, the
poster frame, the VP9 copy of a video Chromium cannot play as it is; the same bytes twice."""

from __future__ import annotations

import io
import json

import av
from PIL import Image

from datadam.media.avrenditions import audio_renditions, rendition_keys, video_renditions
from datadam.media.probe import probe


def test_audio_becomes_mono_opus_in_webm_with_about_a_thousand_peak_pairs(avfiles):
    data = avfiles.wav(seconds=3.0, rate=16000, channels=2)
    web = io.BytesIO()
    peaks = json.loads(audio_renditions(io.BytesIO(data), web, duration=3.0, pairs=1000,
                                        max_seconds=60))
    with av.open(io.BytesIO(web.getvalue())) as c:
        (stream,) = c.streams.audio
        assert c.format.name.startswith("matroska")
        assert (stream.codec_context.name, stream.sample_rate, stream.channels) == (
            "opus", 48000, 1)
    assert peaks["length"] == len(peaks["max"]) == len(peaks["min"]) == 1000
    assert peaks["duration"] == 3.0 and peaks["samples_per_pair"] == 144
    assert max(peaks["max"]) > 0.35 and min(peaks["min"]) < -0.35  # the tone's 0.4 peak
    assert all(-1 <= lo <= hi <= 1 for lo, hi in zip(peaks["min"], peaks["max"], strict=True))


def test_the_same_audio_gives_the_same_bytes(avfiles):
    data = avfiles.audio("ogg", "libopus", seconds=1.0)
    outs = []
    for _ in range(2):
        web = io.BytesIO()
        peaks = audio_renditions(io.BytesIO(data), web, duration=1.0, pairs=100,
                                 max_seconds=60)
        outs.append((web.getvalue(), peaks))
    assert outs[0] == outs[1]


def test_audio_past_the_time_limit_stops_the_rendition(avfiles):
    import pytest

    with pytest.raises(ValueError, match="longer than"):
        audio_renditions(io.BytesIO(avfiles.wav(seconds=3.0)), io.BytesIO(), duration=1.0,
                         pairs=10, max_seconds=2)


def test_a_webm_video_gets_a_poster_only(avfiles):
    data = avfiles.video(seconds=2.0, size=(64, 48))
    poster = video_renditions(io.BytesIO(data), None, probe=probe(io.BytesIO(data)),
                              web_px=1280, max_seconds=60)
    assert Image.open(io.BytesIO(poster)).format == "JPEG"
    assert Image.open(io.BytesIO(poster)).size == (64, 48)


def test_an_mp4_video_gets_a_smaller_vp9_copy_with_opus_sound(avfiles):
    data = avfiles.video("mp4", "libx264", seconds=1.0, size=(320, 240))
    web = io.BytesIO()
    poster = video_renditions(io.BytesIO(data), web, probe=probe(io.BytesIO(data)),
                              web_px=160, max_seconds=60)
    copy = probe(io.BytesIO(web.getvalue()))
    assert copy.codecs == ("vp9", "opus") and (copy.width, copy.height) == (160, 120)
    assert copy.web_playable and copy.duration > 0.8
    assert Image.open(io.BytesIO(poster)).size == (160, 120)


def test_rendition_keys_sit_next_to_the_original():
    assert rendition_keys("audio/3/ab/ab12_ff.wav", ("web", "peaks")) == {
        "web": "audio/3/ab/ab12_ff.web.webm", "peaks": "audio/3/ab/ab12_ff.peaks.json"}
    assert rendition_keys("video/3/x", ("poster",)) == {"poster": "video/3/x.poster.jpg"}
