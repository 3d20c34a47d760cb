"""Decoding a recording and checking it: duration, silence, clipping and noise (no database).

``decode_audio`` reads whatever PyAV (FFmpeg) reads: WebM/Opus and Ogg from the browser's
MediaRecorder, WAV, MP3, M4A/AAC, and the sound of a video. It resamples to 16 kHz, averages
the channels to mono, and returns float32 in [-1, 1]: 10 minutes take 38 MB, and every check and the
fingerprint work at that rate.

The checks, measured on 30-ms frames:

* **duration**: from ``min_seconds`` to ``max_seconds``.
* **silence**: the RMS level (dBFS) of the loudest 10% of frames. The loudest frames, not the
  whole clip, so a recording with long pauses (speech) is not called silent while one whose
  loudest moments are still near the noise floor is. Below ``silence_dbfs`` it fails.
* **clipping**: the share of samples in runs of 3 or more consecutive samples at full scale
  (``|x| >= 0.999``); a lone peak at full scale is not clipping. Above ``clip_share`` it
  fails. Lossy codecs turn the flat tops of a clipped wave into ripples around full scale,
  which the decoder's overshoot past 1.0 (kept at 1.0 here) only partly restores: speech
  driven ×10 into clipping reads 4.1% clipped as WAV but 0.014% through Opus at 24 kbit/s.
  Clipping is therefore caught in uncompressed and lightly compressed recordings; in
  browser recordings (Opus) only when it is heavy.
* **noise**: an SNR estimate: 10·log10 of the mean energy of the loudest 10% of frames over
  that of the quietest 10% (floored at 1e-10, -100 dBFS, so digital silence is finite). It
  assumes the recording has pauses, as speech does: a continuous sound (music, an engine)
  has no quiet frames and reads as noisy. A silent clip fails the silence check; its noise
  finding is then reported as passed with value 0, since a ratio of two noise floors means
  nothing.
"""

from __future__ import annotations

import math
from typing import IO

import av
import numpy as np
from django.utils.translation import gettext as _

from datadam.collection.checks.findings import Finding
from datadam.errors import InvalidInput

RATE = 16_000
FRAME_SECONDS = 0.030
FULL_SCALE = 0.999
CLIP_RUN = 3
LOUD_SHARE = 0.10
_FLOOR_DBFS = -100.0
_FLOOR_ENERGY = 10 ** (_FLOOR_DBFS / 10)


def _unreadable() -> InvalidInput:
    return InvalidInput(_("The recording could not be read: record it again, or choose a "
                          "sound file in a common format (WebM, Ogg, WAV, MP3, M4A)."))


def decode_audio(fileobj: IO[bytes], *, max_seconds: float = 600) -> tuple[np.ndarray, int]:
    """The first audio stream of ``fileobj`` as mono float32 samples at 16 kHz, and the rate.

    ``max_seconds`` bounds the memory: a longer recording is refused with InvalidInput (it
    also fails any sensible duration check). A file without an audio stream, or one that
    cannot be decoded, is refused with InvalidInput saying so.
    """
    limit = int(max_seconds * RATE)
    try:
        with av.open(fileobj, mode="r") as container:
            if not container.streams.audio:
                raise InvalidInput(_("The file has no sound: record it again with the "
                                     "microphone switched on."))
            stream = container.streams.audio[0]
            # Channels are averaged here: FFmpeg's own downmix adds identical channels at
            # -3 dB each, which lifts a stereo recording of one microphone by 3 dB.
            resampler = av.AudioResampler(format="fltp", rate=RATE)
            parts: list[np.ndarray] = []
            total = 0
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    part = out.to_ndarray().mean(axis=0, dtype=np.float32)
                    parts.append(part)
                    total += len(part)
                if total > limit:
                    raise InvalidInput(
                        _("The recording is longer than %(seconds)s seconds: record a "
                          "shorter one.") % {"seconds": f"{max_seconds:g}"}
                    )
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().mean(axis=0, dtype=np.float32))
    except InvalidInput:
        raise
    except (av.FFmpegError, ValueError, OSError, EOFError):
        raise _unreadable() from None
    if not parts or not sum(len(p) for p in parts):
        raise _unreadable()
    # Lossy decoders overshoot a little past full scale; [-1, 1] is what was recorded.
    return np.clip(np.concatenate(parts), -1.0, 1.0).astype(np.float32, copy=False), RATE


def _frame_energies(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of each whole 30-ms frame (the whole clip is one frame if shorter)."""
    size = max(1, int(rate * FRAME_SECONDS))
    count = len(samples) // size
    if count == 0:
        return np.array([np.mean(np.square(samples, dtype=np.float64))])
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    return np.mean(np.square(frames), axis=1)


def _loud_quiet(energies: np.ndarray) -> tuple[float, float]:
    """Mean energy of the loudest and of the quietest 10% of frames."""
    k = max(1, math.ceil(LOUD_SHARE * len(energies)))
    ordered = np.sort(energies)
    return float(ordered[-k:].mean()), float(ordered[:k].mean())


def _clipped_share(samples: np.ndarray) -> float:
    """Share of samples in runs of at least ``CLIP_RUN`` consecutive full-scale samples."""
    if not len(samples):
        return 0.0
    at_full = np.abs(samples) >= FULL_SCALE
    if not at_full.any():
        return 0.0
    edges = np.diff(np.concatenate(([0], at_full.view(np.int8), [0])))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    runs = ends - starts
    return float(runs[runs >= CLIP_RUN].sum() / len(samples))


def _db(energy: float) -> float:
    return 10 * math.log10(max(energy, _FLOOR_ENERGY))


def audio_checks(
    samples: np.ndarray,
    rate: int,
    *,
    min_seconds: float,
    max_seconds: float,
    silence_dbfs: float = -45.0,
    clip_share: float = 0.01,
    min_snr_db: float = 10.0,
) -> list[Finding]:
    """The duration, silence, clipping and noise findings of a recording, always all four
    in that order (the module docstring says how each is measured)."""
    seconds = len(samples) / rate if rate > 0 else 0.0
    energies = _frame_energies(samples, rate) if len(samples) else np.zeros(1)
    loud, quiet = _loud_quiet(energies)
    level = _db(loud)
    silent = level < silence_dbfs
    clipped = _clipped_share(samples)
    snr = 0.0 if silent else _db(loud) - _db(quiet)
    return [
        _duration(seconds, min_seconds, max_seconds),
        _silence(level, silence_dbfs, silent),
        _clipping(clipped, clip_share),
        _noise(snr, min_snr_db, silent),
    ]


def _duration(seconds: float, low: float, high: float) -> Finding:
    params = {"seconds": f"{seconds:.1f}", "low": f"{low:g}", "high": f"{high:g}"}
    if seconds < low:
        passed, limit = False, low
        message = _("The recording is too short (%(seconds)s s, at least %(low)s s needed): "
                    "record it again and speak until the end.") % params
    elif seconds > high:
        passed, limit = False, high
        message = _("The recording is too long (%(seconds)s s, at most %(high)s s): record "
                    "it again and stop sooner.") % params
    else:
        passed, limit = True, low
        message = _("The recording lasts %(seconds)s s (from %(low)s to %(high)s s "
                    "needed).") % params
    return Finding("duration", passed, round(seconds, 2), float(limit), message)


def _silence(level: float, limit: float, silent: bool) -> Finding:
    params = {"level": f"{level:.0f}", "limit": f"{limit:g}"}
    if silent:
        message = _("The recording is silent (loudest parts at %(level)s dBFS, at least "
                    "%(limit)s dBFS needed): check that the microphone is allowed and not "
                    "covered, hold it closer and speak up.") % params
    else:
        message = _("The recording is loud enough (loudest parts at %(level)s dBFS, at least "
                    "%(limit)s dBFS needed).") % params
    return Finding("silence", not silent, round(level, 1), float(limit), message)


def _clipping(share: float, limit: float) -> Finding:
    params = {"percent": f"{share * 100:.1f}", "limit": f"{limit * 100:g}"}
    passed = share <= limit
    if passed:
        message = _("The sound is not distorted (%(percent)s%% of it at full scale, at most "
                    "%(limit)s%%).") % params
    else:
        message = _("The sound is distorted: %(percent)s%% of it is cut off at full scale "
                    "(at most %(limit)s%%). Hold the microphone further away or speak more "
                    "softly, and record it again.") % params
    return Finding("clipping", passed, round(share, 4), float(limit), message)


def _noise(snr: float, limit: float, silent: bool) -> Finding:
    params = {"snr": f"{snr:.0f}", "limit": f"{limit:g}"}
    if silent:
        passed = True
        message = _("Background noise was not measured: the recording is silent.")
    elif snr >= limit:
        passed = True
        message = _("The voice stands out from the background (%(snr)s dB, at least "
                    "%(limit)s dB needed).") % params
    else:
        passed = False
        message = _("The background is too noisy (the voice is %(snr)s dB above it, at least "
                    "%(limit)s dB needed): move somewhere quieter or closer to the microphone "
                    "and record it again.") % params
    return Finding("noise", passed, round(snr, 1), float(limit), message)
