"""The audio kinds' speech formats read back by independent readers: the NeMo manifest as
JSON lines, the Kaldi data folder checked as Kaldi's validate_data_dir.sh would (sorted
files, every utterance in text, utt2spk, spk2utt and segments, recordings in wav.scp)."""

from __future__ import annotations

import io
import json
import shlex
import zipfile

from datadam.kinds import get_kind
from datadam.kinds._audio import formats
from datadam.kinds.exporting import ExportContext, ExportOptions

SEG_CONFIG = {"labels": ["baby", "adult"]}


def ctx(kind: str, config: dict, open_media=None, **options) -> ExportContext:
    return ExportContext(project_id=1, name="Speech", kind=kind, config=config,
                         options=ExportOptions(**options), open_media=open_media,
                         card={"accuracy": {"estimate": 0.93}})


def record(item_id: int, audio: str, result, duration=3.5) -> dict:
    data = {"audio": audio, "duration": duration, "sample_rate": 16000}
    return {"item_id": item_id, "external_id": f"clip-{item_id}", "data": data,
            "result": result, "answers": []}


TRANSCRIPTS = [record(7, "/media/audio/1/aa/a.wav", {"text": "hello   there\nworld",
                                                      "confidence": 0.9}),
               record(12, "/media/audio/1/bb/b.mp3", None),
               record(30, "https://cdn.example/c d.webm", {"text": "", "confidence": 1.0})]


def nemo_lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_the_nemo_manifest_has_one_line_per_transcribed_item():
    kind = get_kind("audio_transcription")
    nemo = next(f for f in kind.exporters if f.slug == "nemo")
    lines = nemo_lines(b"".join(nemo.write(ctx("audio_transcription", {}), TRANSCRIPTS)))
    assert lines == [
        {"audio_filepath": "/media/audio/1/aa/a.wav", "duration": 3.5,
         "text": "hello there world", "item_id": 7},
        {"audio_filepath": "https://cdn.example/c d.webm", "duration": 3.5, "text": "",
         "item_id": 30}]


def test_with_media_included_the_manifest_names_the_files_in_the_zip():
    stored = {"/media/audio/1/aa/a.wav": b"RIFF-wav"}
    opener = lambda ref: io.BytesIO(stored[ref]) if ref in stored else None  # noqa: E731
    nemo = formats.NEMO
    data = b"".join(nemo.write(ctx("audio_transcription", {}, opener, media="include"),
                               TRANSCRIPTS))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("audio/a.wav") == b"RIFF-wav"
        lines = nemo_lines(zf.read("manifest.jsonl"))
    assert [ln["audio_filepath"] for ln in lines] == ["audio/a.wav",
                                                     "https://cdn.example/c d.webm"]


def read_kaldi(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        out = {}
        for name in names - {"dataset_card.json"}:
            text = zf.read(name).decode()
            out[name] = [line.split(" ", 1) if name in ("text", "wav.scp") else line.split()
                         for line in text.splitlines()]
        out["_card"] = json.loads(zf.read("dataset_card.json"))
    return out


def check_data_dir(d: dict) -> None:
    """What validate_data_dir.sh checks: C-sorted files that agree with each other."""
    for name in ("wav.scp", "text", "utt2spk", "spk2utt", "segments"):
        if name in d:
            keys = [row[0].encode() for row in d[name]]
            assert keys == sorted(keys) and len(set(keys)) == len(keys), name
    utt2spk = {u: s for u, s in d["utt2spk"]}
    assert {row[0] for row in d["text"]} == set(utt2spk)
    assert {row[0]: row[1:] for row in d["spk2utt"]} == {
        s: [u for u in utt2spk if utt2spk[u] == s] for s in set(utt2spk.values())}
    for utt, spk in utt2spk.items():
        assert utt.startswith(spk)  # Kaldi sorts speakers and utterances alike
    recordings = {row[0] for row in d["wav.scp"]}
    if "segments" in d:
        assert {row[0] for row in d["segments"]} == set(utt2spk)
        for _utt, rec, start, end in d["segments"]:
            assert rec in recordings and 0 <= float(start) < float(end)
    else:
        assert recordings == set(utt2spk)


def test_the_kaldi_folder_of_transcripts_reads_back_as_a_valid_data_dir():
    kaldi = next(f for f in get_kind("audio_transcription").exporters if f.slug == "kaldi")
    d = read_kaldi(b"".join(kaldi.write(ctx("audio_transcription", {}), TRANSCRIPTS)))
    check_data_dir(d)
    assert "segments" not in d
    assert d["text"] == [["item000000007", "hello there world"], ["item000000030"]]
    wav = dict(d["wav.scp"])
    assert wav["item000000007"] == "/media/audio/1/aa/a.wav"
    pipe = shlex.split(wav["item000000030"])  # not a WAV: decoded by a pipe
    assert pipe[:5] == ["ffmpeg", "-nostdin", "-v", "error", "-i"]
    assert pipe[5] == "https://cdn.example/c d.webm" and pipe[-1] == "|"
    assert d["skipped.txt"] == [["12", "/media/audio/1/bb/b.mp3", "no", "result"]]
    assert d["_card"]["accuracy"]["estimate"] == 0.93


def test_the_kaldi_folder_of_segments_has_segments_and_a_speaker_per_label():
    segs = [record(3, "/media/audio/1/aa/a.wav", {"segments": [
                {"start": 2.5, "end": 4.0, "label": "adult", "score": 1.0},
                {"start": 0.25, "end": 1.5, "label": "baby", "score": 0.67},
                {"start": 1.75, "end": 2.0, "label": "baby", "score": 1.0}]}),
            record(4, "/media/audio/1/cc/c.wav", {"segments": []})]
    kaldi = next(f for f in get_kind("audio_segments").exporters if f.slug == "kaldi")
    d = read_kaldi(b"".join(kaldi.write(ctx("audio_segments", SEG_CONFIG), segs)))
    check_data_dir(d)
    assert d["segments"] == [
        ["item000000003-L00-0000025-0000150", "item000000003", "0.250", "1.500"],
        ["item000000003-L00-0000175-0000200", "item000000003", "1.750", "2.000"],
        ["item000000003-L01-0000250-0000400", "item000000003", "2.500", "4.000"]]
    assert [t for _u, t in d["text"]] == ["baby", "baby", "adult"]
    assert d["spk2utt"][0] == ["item000000003-L00", "item000000003-L00-0000025-0000150",
                               "item000000003-L00-0000175-0000200"]
    assert [row[0] for row in d["wav.scp"]] == ["item000000003", "item000000004"]
