"""Speech dataset formats of the audio kinds: a NeMo ASR manifest and a Kaldi data folder
(plain Python, no Django; docs/kinds/exports.md).

**NeMo** (``nemo``, ``.jsonl``): one JSON object a line for each item with a result,
``{"audio_filepath", "duration", "text", "item_id"}`` (the voted transcript). With media
included, a zip of ``manifest.jsonl`` and ``audio/`` (our own files; ``audio_filepath``
then names the file in the zip).

**Kaldi** (``kaldi``, ``.zip``): a data folder, every file sorted as Kaldi's tools want
(C locale):

- ``wav.scp``: ``<recording> <path>`` for WAV files, else a pipe that decodes to 16 kHz mono
  WAV (``ffmpeg … -f wav - |``). Recordings are ``item<item id, 9 digits>``.
- ``text``: ``<utterance> <words>``; ``utt2spk`` and ``spk2utt``.
- transcripts (``audio_transcription``): one utterance per recording, its own speaker.
- segments (``audio_segments``): ``segments`` (``<utterance> <recording> <start> <end>``,
  seconds); each label in each recording is a speaker ``<recording>-L<label number>``
  (speaker turns: the speakers), each segment an utterance
  ``<speaker>-<start cs>-<end cs>`` whose ``text`` is its label.
- ``skipped.txt`` (``item_id<TAB>audio<TAB>reason``) and ``dataset_card.json``.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Generator, Iterable, Iterator

import orjson

from datadam.kinds.archive import FLUSH_AT, LineSpool, Media, ZipStream
from datadam.kinds.exporting import ExportContext, ExportFormat, Record, gettext_noop

FLUSH = 256 << 10


def reference(record: Record) -> str:
    data = record.get("data")
    audio = data.get("audio") if isinstance(data, dict) else None
    return audio if isinstance(audio, str) else ""


def duration(record: Record) -> float | None:
    data = record.get("data")
    value = data.get("duration") if isinstance(data, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def one_line(text: str) -> str:
    return " ".join(str(text).split())


# --- NeMo ------------------------------------------------------------------------------------
def _nemo_line(record: Record, path: str) -> bytes:
    result = record["result"]
    return orjson.dumps({"audio_filepath": path, "duration": duration(record),
                         "text": one_line(result.get("text", "")),
                         "item_id": record["item_id"]}) + b"\n"


def write_nemo(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The manifest, lazily (a zip with ``audio/`` when media are included)."""
    if ctx.options.media == "include":
        return _nemo_zip(ctx, records)
    return _nemo_plain(records)


def _nemo_plain(records: Iterable[Record]) -> Iterator[bytes]:
    out: list[bytes] = []
    size = 0
    for record in records:
        if not isinstance(record.get("result"), dict):
            continue
        line = _nemo_line(record, reference(record))
        out.append(line)
        size += len(line)
        if size >= FLUSH:
            yield b"".join(out)
            out.clear()
            size = 0
    if out:
        yield b"".join(out)


def _nemo_zip(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    zs = ZipStream()
    media = Media(ctx.open_media, include=True, folder="audio")
    lines = LineSpool()
    for record in records:
        if not isinstance(record.get("result"), dict):
            continue
        ref = reference(record)
        path = ref
        if ref:
            _stem, path, _copied = yield from media.copy(zs, ref, record["item_id"])
        lines.file.write(_nemo_line(record, path))
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    yield from zs.copy("manifest.jsonl", lines.reader(), compress=True, large=True)
    yield zs.close()


# --- Kaldi -----------------------------------------------------------------------------------
def recording_id(item_id: int) -> str:
    return f"item{item_id:09d}"


def wav_entry(path: str) -> str:
    """What ``wav.scp`` says for a file: its path, or a pipe decoding it to WAV."""
    if path.lower().endswith(".wav"):
        return path
    return f"ffmpeg -nostdin -v error -i {shlex.quote(path)} -ac 1 -ar 16000 -f wav - |"


def _centis(seconds: float) -> int:
    return round(seconds * 100)


def _utterances(ctx: ExportContext, record: Record, rec: str, segments: bool
                ) -> list[tuple[str, str, str, tuple[float, float] | None]]:
    """(utterance, speaker, text, (start, end) or None) of one item's result, sorted."""
    result = record["result"]
    if not segments:
        return [(rec, rec, one_line(result.get("text", "")), None)]
    labels = list(ctx.config.get("labels") or [])
    out = []
    for seg in result.get("segments", []):
        label = str(seg.get("label", ""))
        number = labels.index(label) if label in labels else len(labels)
        spk = f"{rec}-L{number:02d}"
        start, end = float(seg["start"]), float(seg["end"])
        out.append((f"{spk}-{_centis(start):07d}-{_centis(end):07d}", spk, one_line(label),
                    (start, end)))
    return sorted(out, key=lambda u: u[0].encode())


def write_kaldi(ctx: ExportContext, records: Iterable[Record], *, segments: bool
                ) -> Iterator[bytes]:
    """The Kaldi data folder as a zip, lazily; memory flat (lines spooled)."""
    zs = ZipStream()
    media = Media(ctx.open_media, include=ctx.options.media == "include", folder="audio")
    files = {name: LineSpool() for name in ("wav.scp", "text", "utt2spk", "spk2utt",
                                            "segments", "skipped.txt")}
    for record in records:
        yield from _kaldi_record(ctx, zs, media, files, record, segments)
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    names = ["wav.scp", "text", "utt2spk", "spk2utt"] + (["segments"] if segments else [])
    for name in names + (["skipped.txt"] if files["skipped.txt"].count else []):
        yield from zs.copy(name, files[name].reader(), compress=True, large=True)
    if ctx.card is not None:
        zs.writestr("dataset_card.json", json.dumps(ctx.card, ensure_ascii=False, indent=2,
                                                    default=str))
    yield zs.close()


def _kaldi_record(ctx: ExportContext, zs: ZipStream, media: Media,
                  files: dict[str, LineSpool], record: Record, segments: bool
                  ) -> Generator[bytes, None, None]:
    ref = reference(record)
    if not isinstance(record.get("result"), dict):
        files["skipped.txt"].add(f"{record['item_id']}\t{ref}\tno result")
        return
    if not ref:
        files["skipped.txt"].add(f"{record['item_id']}\t\tno audio")
        return
    _stem, path, _copied = yield from media.copy(zs, ref, record["item_id"])
    rec = recording_id(record["item_id"])
    files["wav.scp"].add(f"{rec} {wav_entry(path)}")
    speakers: dict[str, list[str]] = {}
    for utt, spk, text, span in _utterances(ctx, record, rec, segments):
        files["text"].add(f"{utt} {text}".rstrip())
        files["utt2spk"].add(f"{utt} {spk}")
        speakers.setdefault(spk, []).append(utt)
        if span is not None:
            files["segments"].add(f"{utt} {rec} {span[0]:.3f} {span[1]:.3f}")
    for spk in sorted(speakers, key=str.encode):
        files["spk2utt"].add(f"{spk} {' '.join(speakers[spk])}")


def kaldi_format(*, segments: bool) -> ExportFormat:
    return ExportFormat(
        slug="kaldi", title="Kaldi", extension="zip", content_type="application/zip",
        write=lambda ctx, records: write_kaldi(ctx, records, segments=segments),
        description=gettext_noop("A zip of Kaldi data files: wav.scp, text, utt2spk and "
                                 "spk2utt (and segments for time segments)."))


NEMO = ExportFormat(slug="nemo", title="NeMo manifest", extension="jsonl",
                    content_type="application/x-ndjson", write=write_nemo,
                    description=gettext_noop("An ASR manifest: audio path, duration and "
                                             "transcript a line, as NeMo trains from it."))
KALDI_TRANSCRIPTS = kaldi_format(segments=False)
KALDI_SEGMENTS = kaldi_format(segments=True)
