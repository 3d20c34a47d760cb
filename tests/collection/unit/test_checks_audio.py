"""Recordings: decoding real containers, and the duration, silence, clipping and noise checks."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from datadam.collection.checks.audio import audio_checks, decode_audio
from datadam.errors import InvalidInput

RATE = 16_000
VOWELS = [(730, 1090), (270, 2290), (300, 870), (530, 1840), (640, 1190), (400, 2000)]


def speech(seconds: float = 4.0, seed: int = 0, rate: int = RATE) -> np.ndarray:
    """Speech-like sound: voiced syllables (harmonics shaped by two formants), some
    fricatives (high band-passed noise), pauses between them, a faint noise floor."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    out = np.zeros(n)
    f0 = rng.uniform(90, 230)
    pos = rng.uniform(0.1, 0.3)
    while pos < seconds - 0.3:
        start = int(pos * rate)
        if rng.random() < 0.4:
            m = int(rng.uniform(0.05, 0.15) * rate)
            spectrum = np.fft.rfft(rng.normal(0, 1, m))
            freq = np.fft.rfftfreq(m, 1 / rate)
            spectrum[(freq < rng.uniform(2500, 4500)) | (freq > 0.47 * rate)] = 0
            burst = np.fft.irfft(spectrum, m) * np.hanning(m) * rng.uniform(0.05, 0.2)
            out[start : start + m] += burst[: max(0, min(m, n - start))]
            pos += m / rate
            start = int(pos * rate)
        length = rng.uniform(0.12, 0.35)
        m = int(length * rate)
        t = np.arange(m) / rate
        f1, f2 = VOWELS[rng.integers(len(VOWELS))]
        pitch = f0 * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(1, 4) * t))
        phase = 2 * np.pi * np.cumsum(pitch) / rate
        syllable = np.zeros(m)
        for k in range(1, int(4000 / f0)):
            gain = sum(1 / (1 + ((k * f0 - f) / bw) ** 2) for f, bw in ((f1, 90), (f2, 120)))
            syllable += gain / k**0.5 * np.sin(k * phase)
        syllable *= np.sin(np.pi * t / length) ** 0.6 * rng.uniform(0.3, 1.0) * 0.2
        out[start : start + m] += syllable[: max(0, min(m, n - start))]
        pos += length + rng.uniform(0.05, 0.25)
    out += rng.normal(0, 0.001, n)
    return np.clip(out, -1, 1).astype(np.float32)


def encode(samples: np.ndarray, rate: int = RATE, fmt: str = "webm", codec: str = "libopus",
           channels: int = 1, bit_rate: int | None = 24_000) -> io.BytesIO:
    """The samples written through PyAV into a real container, as a browser or phone would."""
    layout = "mono" if channels == 1 else "stereo"
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=48_000 if codec == "libopus" else rate,
                                      layout=layout)
        if bit_rate:
            stream.bit_rate = bit_rate
        planar = np.repeat(samples.reshape(1, -1), channels, axis=0).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    buf.seek(0)
    return buf


def checks(samples: np.ndarray, **limits) -> dict:
    found = audio_checks(samples, RATE, **{"min_seconds": 1, "max_seconds": 30, **limits})
    assert [f.check for f in found] == ["duration", "silence", "clipping", "noise"]
    return {f.check: f for f in found}


def test_speech_passes_all_four_checks():
    found = checks(speech(5))
    assert all(f.passed for f in found.values()), found
    assert found["duration"].value == 5.0
    assert found["noise"].value > 30
    assert found["clipping"].value == 0
    assert found["silence"].as_dict()["check"] == "silence"


@pytest.mark.parametrize("silence", [np.zeros(5 * RATE, np.float32),
                                     np.random.default_rng(1).normal(0, 0.0003, 5 * RATE)])
def test_a_silent_clip_fails_silence_and_its_noise_is_not_judged(silence):
    found = checks(silence.astype(np.float32))
    assert not found["silence"].passed
    assert found["silence"].value < -45
    assert "microphone" in found["silence"].message
    assert found["noise"].passed and found["noise"].value == 0
    assert found["duration"].passed and found["clipping"].passed


def test_a_clipped_clip_fails_the_clipping_check():
    loud = np.clip(speech(5, seed=2) * 10, -1, 1)
    found = checks(loud)
    assert not found["clipping"].passed
    assert found["clipping"].value > 0.01
    assert "distorted" in found["clipping"].message


def test_single_peaks_at_full_scale_are_not_clipping():
    clip = speech(5, seed=3)
    clip[::400] = 1.0  # isolated full-scale samples: 0.25% of them
    found = checks(clip)
    assert found["clipping"].passed and found["clipping"].value == 0


def test_a_tone_under_white_noise_at_0_db_fails_the_noise_check():
    t = np.arange(5 * RATE) / RATE
    tone = 0.1 * np.sin(2 * np.pi * 440 * t)
    noise = np.random.default_rng(4).normal(0, 0.1 / np.sqrt(2), len(t))
    found = checks((tone + noise).astype(np.float32))
    assert found["silence"].passed
    assert not found["noise"].passed
    assert found["noise"].value < 10
    assert "noisy" in found["noise"].message


def test_too_short_and_too_long_recordings_fail_the_duration_check():
    short = checks(speech(0.8), min_seconds=2)["duration"]
    assert not short.passed and short.limit == 2 and short.value == 0.8
    assert "too short" in short.message
    long = checks(speech(6), max_seconds=5)["duration"]
    assert not long.passed and long.limit == 5 and "too long" in long.message


def test_an_empty_recording_is_checked_without_error():
    found = checks(np.zeros(0, np.float32))
    assert not found["duration"].passed and not found["silence"].passed


def test_webm_opus_as_recorded_in_a_browser_is_decoded_to_16_khz_mono():
    original = speech(4, seed=5)
    samples, rate = decode_audio(encode(original))
    assert rate == RATE and samples.dtype == np.float32
    assert abs(len(samples) - len(original)) < 0.05 * RATE
    assert np.abs(samples).max() <= 1.0
    assert all(f.passed for f in checks(samples).values())


def test_stereo_wav_at_44_1_khz_is_mixed_down_and_resampled():
    t = np.arange(3 * 44_100) / 44_100
    tone = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    samples, rate = decode_audio(encode(tone, 44_100, "wav", "pcm_s16le", channels=2,
                                        bit_rate=None))
    assert rate == RATE
    assert abs(len(samples) - 3 * RATE) <= 64
    # Channels are averaged: two equal channels keep their level (FFmpeg would add 3 dB).
    assert abs(np.sqrt(np.mean(samples[1000:-1000] ** 2)) - 0.3 / np.sqrt(2)) < 0.01


def test_clipping_survives_a_wav_container():
    loud = np.clip(speech(4, seed=6) * 10, -1, 1)
    samples, _ = decode_audio(encode(loud, fmt="wav", codec="pcm_s16le", bit_rate=None))
    assert not checks(samples)["clipping"].passed


@pytest.mark.parametrize("data", [b"", b"RIFF....WAVEfmt nonsense", b"\x1a\x45\xdf\xa3" * 40])
def test_files_that_cannot_be_decoded_are_refused(data):
    with pytest.raises(InvalidInput) as refused:
        decode_audio(io.BytesIO(data))
    assert "could not be read" in refused.value.message


def test_a_file_without_sound_is_refused():
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8),
                                               format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    buf.seek(0)
    with pytest.raises(InvalidInput) as refused:
        decode_audio(buf)
    assert "no sound" in refused.value.message


def test_a_recording_longer_than_the_limit_is_refused_while_decoding():
    with pytest.raises(InvalidInput) as refused:
        decode_audio(encode(speech(4, seed=7), fmt="wav", codec="pcm_s16le", bit_rate=None),
                     max_seconds=2)
    assert "longer than 2 seconds" in refused.value.message
