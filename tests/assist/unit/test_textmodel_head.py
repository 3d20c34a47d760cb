"""The logistic-regression head: fits, agrees with scikit-learn, survives storage."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.assist.textmodel.head import Head, cross_val_accuracy, fit, fold_of


def _clusters(n: int, classes: list[str], *, spread: float = 0.3, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(classes), 8)) * 3
    y = [classes[i % len(classes)] for i in range(n)]
    x = np.stack([centres[classes.index(v)] for v in y]) + rng.normal(size=(n, 8)) * spread
    return x, y


def test_separable_classes_are_learned_with_columns_in_the_given_order():
    x, y = _clusters(90, ["b", "a", "c"])
    head = fit(x, y, ["c", "a", "b"])
    assert head.classes == ("c", "a", "b")
    proba = head.predict_proba(x)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(1), 1.0)
    assert head.predict(x) == y
    assert [head.classes[i] for i in proba.argmax(1)] == y


def test_fit_is_deterministic():
    x, y = _clusters(60, ["p", "n"], spread=2.0)
    one, two = fit(x, y, ["p", "n"]), fit(x, y, ["p", "n"])
    assert np.array_equal(one.weights, two.weights)
    assert np.array_equal(one.intercepts, two.intercepts)


def test_probabilities_match_scikit_learn_logistic_regression():
    sklearn = pytest.importorskip("sklearn.linear_model")
    x, y = _clusters(200, ["0", "1", "2"], spread=3.0, seed=3)
    ours = fit(x, y, ["0", "1", "2"], c=0.5)
    theirs = sklearn.LogisticRegression(C=0.5, max_iter=5000, tol=1e-10).fit(x, y)
    assert np.abs(ours.predict_proba(x) - theirs.predict_proba(x)).max() < 1e-4


def test_bytes_round_trip_gives_the_same_predictions():
    x, y = _clusters(40, ["긍정", "부정"], spread=1.0)
    head = fit(x, y, ["긍정", "부정"])
    data = head.to_bytes()
    back = Head.from_bytes(data)
    assert isinstance(data, bytes) and back.classes == ("긍정", "부정")
    assert np.array_equal(back.predict_proba(x), head.predict_proba(x))


def test_a_class_without_examples_gets_a_small_finite_probability():
    x, y = _clusters(40, ["a", "b"])
    proba = fit(x, y, ["a", "b", "never"]).predict_proba(x)
    assert np.all(np.isfinite(proba)) and proba[:, 2].max() < 0.05


def test_balanced_weights_raise_the_rare_class():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(0, 1, (190, 4)), rng.normal(1, 1, (10, 4))])
    y = ["common"] * 190 + ["rare"] * 10
    plain = fit(x, y, ["common", "rare"]).predict_proba(x)[190:, 1].mean()
    balanced = fit(x, y, ["common", "rare"], balanced=True).predict_proba(x)[190:, 1].mean()
    assert balanced > plain + 0.2


def test_bad_input_is_refused():
    x, y = _clusters(10, ["a", "b"])
    with pytest.raises(ValueError, match="not one of the classes"):
        fit(x, y, ["a", "c"])
    with pytest.raises(ValueError, match="two distinct"):
        fit(x, y, ["a", "a"])
    with pytest.raises(ValueError, match="same"):
        fit(x[:5], y, ["a", "b"])


def test_folds_are_stratified_and_deterministic():
    y = ["a"] * 10 + ["b"] * 5
    folds = fold_of(y, 5)
    assert np.array_equal(folds, fold_of(y, 5))
    assert sorted(np.bincount(folds).tolist()) == [3, 3, 3, 3, 3]
    for f in range(5):
        assert sum(1 for v, g in zip(y, folds, strict=True) if g == f and v == "b") == 1


def test_cross_validated_accuracy_separates_signal_from_noise():
    x, y = _clusters(100, ["a", "b"])
    assert cross_val_accuracy(x, y) == 1.0
    rng = np.random.default_rng(5)
    noise = [str(v) for v in rng.integers(0, 2, 100)]
    assert cross_val_accuracy(rng.normal(size=(100, 8)), noise) < 0.7
    with pytest.raises(ValueError):
        cross_val_accuracy(x[:1], y[:1], ["a", "b"])
