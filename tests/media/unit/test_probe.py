"""Probing audio and video by content (PyAV): what a file holds, what is refused whatever
its name, the limits."""

from __future__ import annotations

import io

import pytest

from datadam.errors import InvalidInput
from datadam.media.probe import extension, media_check, probe

LIMITS = {"max_bytes": 10_000_000, "max_seconds": 60}


def test_a_wav_is_probed_as_audio_with_its_rate_channels_and_duration(avfiles):
    found = probe(io.BytesIO(avfiles.wav(seconds=1.5, rate=16000, channels=2)))
    assert (found.kind, found.format, found.codecs) == ("audio", "wav", ("pcm_s16le",))
    assert (found.sample_rate, found.channels, found.duration) == (16000, 2, 1.5)
    assert (found.width, found.height, found.fps) == (0, 0, 0.0)
    assert found.web_playable and extension(found) == "wav"


@pytest.mark.parametrize("fmt, codec, ext", [("ogg", "libopus", "ogg"),
                                             ("webm", "libopus", "webm"),
                                             ("mp3", "libmp3lame", "mp3")])
def test_encoded_audio_is_probed_by_content(avfiles, fmt, codec, ext):
    found = probe(io.BytesIO(avfiles.audio(fmt, codec, seconds=1.0)))
    assert found.kind == "audio" and found.sample_rate == 48000 and found.channels == 1
    assert found.duration == pytest.approx(1.0, abs=0.05)
    assert extension(found) == ext


def test_a_webm_video_is_probed_with_its_size_frame_rate_and_codecs(avfiles):
    found = probe(io.BytesIO(avfiles.video(seconds=2.0, fps=10, size=(64, 48))))
    assert (found.kind, found.width, found.height, found.fps) == ("video", 64, 48, 10.0)
    assert found.codecs == ("vp9", "opus") and found.duration == pytest.approx(2.0, abs=0.1)
    assert found.web_playable and extension(found) == "webm"


def test_an_mp4_with_h264_is_taken_but_not_web_playable(avfiles):
    found = probe(io.BytesIO(avfiles.video("mp4", "libx264", sound=False)))
    assert found.kind == "video" and found.codecs == ("h264",)
    assert not found.web_playable and extension(found) == "mp4"


@pytest.mark.parametrize("data", [b"hello, I am not a recording\n" * 50, b"\x00" * 4096])
def test_a_text_file_named_wav_is_refused(data):
    with pytest.raises(InvalidInput, match="not an audio or video file"):
        media_check(io.BytesIO(data), **LIMITS)


def test_an_image_is_not_taken_as_one_frame_video(pics):
    with pytest.raises(InvalidInput, match="not an audio or video file"):
        probe(io.BytesIO(pics.png()))


def test_a_cut_off_recording_is_refused_as_damaged(avfiles):
    data = avfiles.video(seconds=1.0)
    with pytest.raises(InvalidInput):
        probe(io.BytesIO(data[:200]))


def test_limits_on_bytes_duration_and_empty_files(avfiles):
    data = avfiles.wav(seconds=2.0)
    checked = media_check(io.BytesIO(data), **LIMITS)
    assert (checked.size, checked.ext, checked.content_type) == (len(data), "wav", "audio/wav")
    assert len(checked.sha256) == 64
    with pytest.raises(InvalidInput, match="longer than 0.025 minutes"):
        media_check(io.BytesIO(data), max_bytes=10**7, max_seconds=1.5)
    with pytest.raises(InvalidInput, match="larger than"):
        media_check(io.BytesIO(data), max_bytes=1000, max_seconds=60)
    with pytest.raises(InvalidInput, match="empty"):
        media_check(io.BytesIO(b""), **LIMITS)
    video = avfiles.video(size=(64, 48))
    with pytest.raises(InvalidInput, match="pixels"):
        media_check(io.BytesIO(video), max_bytes=10**7, max_seconds=60, max_pixels=1000)
