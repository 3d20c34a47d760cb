"""The span tagging exports read back by readers that are not ours: CoNLL-2003 by spaCy's
CoNLL NER converter, spaCy JSONL by spaCy itself (``spacy.blank("xx")``, no model download)
through ``Doc.char_span`` and a ``DocBin`` round trip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from datadam.kinds.exporting import ExportContext, ExportOptions
from datadam.kinds.span_tagging.formats import CONLL, SPACY, bio_tags, tokens
from datadam.kinds.span_tagging.vote import Span

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402
from spacy.training.converters import conll_ner_to_docs  # noqa: E402

ENGLISH = "Kim Min-jun flew from Seoul to New York City."
KOREAN = "서울에서 🎉 축제가 열렸다"
FAMILY = "👩‍👩‍👧 family"
NESTED = "Seoul National University opened"


def span(start, end, label):
    return {"start": start, "end": end, "label": label, "score": 1.0}


RECORDS = [
    {"item_id": 1, "external_id": "en", "data": {"text": ENGLISH},
     "result": {"spans": [span(0, 11, "PER"), span(22, 27, "LOC"), span(31, 44, "LOC")],
                "confidence": 0.9, "answers": 3}},
    {"item_id": 2, "external_id": "ko", "data": {"text": KOREAN},
     "result": {"spans": [span(0, 2, "LOC"), span(5, 6, "EVT"), span(7, 9, "EVT")],
                "confidence": 0.8, "answers": 3}},
    {"item_id": 3, "external_id": "none", "data": {"text": "nobody answered"}, "result": None},
    {"item_id": 4, "external_id": "fam", "data": {"text": FAMILY},
     "result": {"spans": [span(0, 5, "PER"), span(6, 12, "PER")], "confidence": 1.0}},
    {"item_id": 5, "external_id": "nested", "data": {"text": NESTED},
     "result": {"spans": [span(0, 25, "ORG"), span(0, 5, "LOC")], "confidence": 0.7}},
    {"item_id": 6, "external_id": "empty", "data": {"text": "Nothing here."},
     "result": {"spans": [], "confidence": 1.0}},
]
CTX = ExportContext(project_id=1, name="NER", kind="span_tagging",
                    config={"labels": ["PER", "LOC", "EVT", "ORG"], "nested": True})


def written(fmt, ctx=CTX) -> bytes:
    return b"".join(fmt.write(ctx, iter(RECORDS)))


def test_tokens_are_whitespace_runs_in_code_points():
    assert tokens(KOREAN) == [(0, 4, "서울에서"), (5, 6, "🎉"), (7, 10, "축제가"),
                              (11, 14, "열렸다")]
    odd = "a\u3000b\x1cc\xa0d\u200be"  # ideographic, separator and no-break spaces; ZWSP
    assert [t for _s, _e, t in tokens(odd)] == odd.split()


def test_bio_tags_take_the_whole_token_a_span_touches_and_keep_neighbours_apart():
    assert bio_tags(KOREAN, [Span(0, 2, "LOC"), Span(7, 9, "EVT")]) == [
        ("서울에서", "B-LOC"), ("🎉", "O"), ("축제가", "B-EVT"), ("열렸다", "O")]
    assert bio_tags("Seoul Busan", [Span(0, 5, "LOC"), Span(6, 11, "LOC")]) == [
        ("Seoul", "B-LOC"), ("Busan", "B-LOC")]
    # Two spans in one token: the one covering more of it.
    assert bio_tags("Seoul-Busan road", [Span(0, 5, "LOC"), Span(6, 11, "ORG")]) == [
        ("Seoul-Busan", "B-LOC"), ("road", "O")]


def test_conll_is_read_back_by_spacys_converter_with_one_doc_per_result():
    text = written(CONLL).decode("utf-8")
    assert text.startswith("-DOCSTART- -X- O O\n\nKim _ _ B-PER\nMin-jun _ _ I-PER\n")
    docs = list(conll_ner_to_docs(text, n_sents=0, no_print=True))
    # The item without a result is left out; the one with no spans is all O.
    assert len(docs) == 5
    got = [[(e.text, e.label_) for e in doc.ents] for doc in docs]
    assert got[0] == [("Kim Min-jun", "PER"), ("Seoul", "LOC"), ("New York City.", "LOC")]
    assert got[1] == [("서울에서", "LOC"), ("🎉", "EVT"), ("축제가", "EVT")]
    assert got[2] == [("👩‍👩‍👧", "PER"), ("family", "PER")]
    assert got[3] == [("Seoul National University", "ORG")]  # the outermost span only
    assert got[4] == []
    assert [t.text for t in docs[1]] == KOREAN.split()


def test_spacy_jsonl_spans_are_character_offsets_spacy_accepts_and_a_docbin_round_trips():
    lines = [json.loads(line) for line in written(SPACY).decode("utf-8").splitlines()]
    assert [line["meta"]["item_id"] for line in lines] == [1, 2, 4, 5, 6]
    assert lines[1]["spans"] == [[0, 2, "LOC"], [5, 6, "EVT"], [7, 9, "EVT"]]
    nlp = spacy.blank("xx")
    bin_ = DocBin(store_user_data=True)
    expected = []
    for line in lines:
        doc = nlp.make_doc(line["text"])
        spans = [doc.char_span(s, e, label=label) for s, e, label in line["spans"]]
        # Every exported span begins and ends at a word edge except 서울 (in 서울에서)
        # and 축제 (in 축제가): spaCy gives None for them, as for any span inside a token.
        aligned = [sp for sp, (s, e, _l) in zip(spans, line["spans"], strict=True)
                   if line["text"][s:e] not in ("서울", "축제")]
        assert all(sp is not None for sp in aligned), line
        assert [(sp.text, sp.label_) for sp in aligned] == [
            (line["text"][s:e], label) for s, e, label in line["spans"]
            if line["text"][s:e] not in ("서울", "축제")]
        kept = [sp for sp in spans if sp is not None]
        doc.spans["sc"] = kept
        doc.ents = [sp for i, sp in enumerate(kept)
                    if not any(o.start <= sp.start and sp.end <= o.end and o is not sp
                               for o in kept[:i])]
        expected.append(([(e.start_char, e.end_char, e.label_) for e in doc.ents],
                         [(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]]))
        bin_.add(doc)
    back = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    assert [([(e.start_char, e.end_char, e.label_) for e in d.ents],
             [(s.start_char, s.end_char, s.label_) for s in d.spans["sc"]]) for d in back
            ] == expected
    korean = back[1]
    assert [(e.text, e.label_) for e in korean.ents] == [("🎉", "EVT")]
    assert expected[2][1] == [(0, 5, "PER"), (6, 12, "PER")]  # the family emoji, 5 points
    assert expected[3][0] == [(0, 25, "ORG")] and len(expected[3][1]) == 2  # nested kept


def test_asked_to_include_media_each_format_is_a_zip_holding_the_file():
    ctx = ExportContext(project_id=1, name="NER", kind="span_tagging", config={},
                        options=ExportOptions(media="include"))
    for fmt, name in ((CONLL, "data.conll"), (SPACY, "data.jsonl")):
        archive = zipfile.ZipFile(io.BytesIO(written(fmt, ctx)))
        assert archive.namelist() == [name]
        assert archive.read(name) == written(fmt)
