"""Generated recordings whose true answers are known, for the audio kinds' demo and tests.

No recorded sound ships with datadam, and no model: the clips are made here with numpy and
written as 16 kHz mono WAV.

- **Events** (``event_clip``): a quiet noise floor ("silence") with sounds placed at known
  times: a "cry" is a tone near 450 Hz whose pitch warbles 5 times a second, with two
  harmonics and a swelling envelope (a stand-in for a baby's cry, not a recording of one);
  "speech" is noise shaped into syllables (a band of 300–3000 Hz switched on and off 4 times
  a second), which sounds like murmur, not words; "music" is a few notes of a major chord.
- **Digits** (``digits_clip``): telephone keypad tones (DTMF), one per digit, with pauses:
  the transcript is the digits ("3 1 4"). Where ``espeak-ng`` is installed
  (``shutil.which``), ``spoken_clip`` speaks a sentence instead and the transcript is the
  sentence.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

RATE = 16_000
EVENTS = ("cry", "speech", "music")
#: DTMF: each key is the sum of a low and a high tone (Hz).
DTMF = {"1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "4": (770, 1209),
        "5": (770, 1336), "6": (770, 1477), "7": (852, 1209), "8": (852, 1336),
        "9": (852, 1477), "0": (941, 1336)}
SENTENCES = {
    "en": ["the cat sat on the mat", "please call me back tomorrow",
           "the train leaves at seven", "turn left at the next corner",
           "the weather is nice today", "my phone number has changed"],
    "ko": ["오늘 날씨가 좋습니다", "내일 다시 전화해 주세요", "기차는 일곱 시에 떠납니다",
           "다음 모퉁이에서 왼쪽으로 가세요"],
}


def wav_bytes(x: np.ndarray, rate: int = RATE) -> bytes:
    """16-bit mono WAV of samples in [-1, 1]."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def _envelope(n: int, attack: int) -> np.ndarray:
    env = np.ones(n)
    a = min(attack, n // 2)
    if a:
        env[:a] = np.linspace(0, 1, a)
        env[-a:] = np.linspace(1, 0, a)
    return env


def cry(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of a warbling tone with harmonics (the demo's "cry")."""
    seconds = n / RATE
    t = np.arange(n) / RATE
    base = rng.uniform(420, 500)
    pitch = base + 60 * np.sin(2 * np.pi * 5.0 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    x = 0.5 * np.sin(phase) + 0.2 * np.sin(2 * phase) + 0.1 * np.sin(3 * phase)
    swell = 0.6 + 0.4 * np.sin(np.pi * t / max(seconds, 1e-3))
    return 0.6 * x * swell * _envelope(n, RATE // 50)


def speech_like(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of noise in the voice band, switched into syllables 4 times a second."""
    noise = rng.standard_normal(n)
    spectrum = np.fft.rfft(noise)
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum[(freqs < 300) | (freqs > 3000)] = 0
    band = np.fft.irfft(spectrum, n)
    band /= np.max(np.abs(band)) or 1.0
    t = np.arange(n) / RATE
    syllables = np.clip(np.sin(2 * np.pi * rng.uniform(3.5, 4.5) * t), 0, None) ** 0.7
    return 0.5 * band * syllables * _envelope(n, RATE // 50)


def music(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of the notes of a major chord, one after the other."""
    root = rng.choice([261.6, 293.7, 329.6])
    notes = [root, root * 5 / 4, root * 3 / 2, root * 2]
    step = max(1, n // 8)
    x = np.zeros(n)
    for k, start in enumerate(range(0, n, step)):
        m = min(step, n - start)
        t = np.arange(m) / RATE
        f = notes[k % len(notes)]
        x[start:start + m] = (np.sin(2 * np.pi * f * t) * np.exp(-3 * t)
                              * _envelope(m, RATE // 200))
    return 0.45 * x


SOUNDS = {"cry": cry, "speech": speech_like, "music": music}


def _floor(n: int, rng: np.random.Generator) -> np.ndarray:
    return 0.003 * rng.standard_normal(n)


def event_clip(seed: int, *, labels: tuple[str, ...] = ("cry", "speech"), seconds: float = 8.0,
               silence: bool = True) -> tuple[bytes, dict[str, Any]]:
    """(WAV, {"segments": [...]}) of a clip with 2–4 sounds at known times; with
    ``silence``, the quiet stretches of at least half a second are "silence" segments."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    x = _floor(n, rng)
    segments: list[dict[str, Any]] = []
    t = float(rng.uniform(0.3, 1.0))
    while t < seconds - 1.2 and len(segments) < 4:
        length = float(rng.uniform(0.8, 2.0))
        end = min(t + length, seconds - 0.3)
        label = str(rng.choice(labels))
        a, b = int(t * RATE), int(end * RATE)
        x[a:b] += SOUNDS[label](b - a, rng)
        segments.append({"start": round(t, 3), "end": round(end, 3), "label": label})
        t = end + float(rng.uniform(0.6, 1.5))
    if silence:
        quiet, last = [], 0.0
        for s in segments:
            if s["start"] - last >= 0.5:
                quiet.append({"start": round(last, 3), "end": s["start"], "label": "silence"})
            last = s["end"]
        if seconds - last >= 0.5:
            quiet.append({"start": round(last, 3), "end": round(seconds, 3), "label": "silence"})
        segments = sorted(segments + quiet, key=lambda s: s["start"])
    return wav_bytes(x), {"segments": segments}


def class_clip(seed: int, label: str, seconds: float = 3.0) -> bytes:
    """A clip of one kind of sound (or only the quiet floor, for "silence")."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    x = _floor(n, rng)
    if label in SOUNDS:
        a, b = int(0.3 * RATE), int((seconds - 0.3) * RATE)
        x[a:b] += SOUNDS[label](b - a, rng)
    return wav_bytes(x)


def digits_clip(seed: int) -> tuple[bytes, dict[str, str]]:
    """(WAV, {"text": "3 1 4"}): 3 to 6 keypad tones with pauses."""
    rng = random.Random(seed)
    digits = [rng.choice("0123456789") for _ in range(rng.randint(3, 6))]
    parts = [np.zeros(int(0.3 * RATE))]
    for d in digits:
        low, high = DTMF[d]
        t = np.arange(int(0.25 * RATE)) / RATE
        tone = 0.3 * (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t))
        parts += [tone * _envelope(len(t), RATE // 200), np.zeros(int(0.2 * RATE))]
    x = np.concatenate(parts)
    return wav_bytes(x + 0.002 * np.random.default_rng(seed).standard_normal(len(x))), {
        "text": " ".join(digits)}


def espeak() -> str | None:
    """The espeak-ng program, when installed."""
    return shutil.which("espeak-ng")


def spoken_clip(text: str, language: str = "en") -> bytes:
    """``text`` spoken by espeak-ng, as WAV (needs ``espeak()``)."""
    program = espeak()
    if program is None:
        raise RuntimeError("espeak-ng is not installed")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run([program, "-v", language, "-s", "150", "-w", str(out), text],
                       check=True, capture_output=True, timeout=30)
        return out.read_bytes()
