"""A linear classifier over sentence embeddings: multinomial logistic regression.

Trained on a project's approved labels, it turns embeddings into class probabilities for the
pre-labels and the uncertainty ordering. The loss is the one scikit-learn's
``LogisticRegression(C=c)`` minimises (summed cross-entropy + ||W||² / 2C), solved with scipy's
L-BFGS from zeros, so a fit is deterministic. Intercepts get a tiny penalty too, which keeps a
class without examples finite (it just gets a low probability) instead of running off to -inf.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax

INTERCEPT_PENALTY = 1e-6  # relative to the weights' penalty


@dataclass(frozen=True)
class Head:
    """Weights (dimension, classes), intercepts (classes,) and the class labels, in order."""

    weights: np.ndarray
    intercepts: np.ndarray
    classes: tuple[str, ...]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (n, classes), columns in the order of ``classes``."""
        x = np.asarray(x, dtype=np.float64)
        return softmax(x @ self.weights + self.intercepts, axis=1)

    def predict(self, x: np.ndarray) -> list[str]:
        """The most probable label per row."""
        return [self.classes[i] for i in self.predict_proba(x).argmax(1)]

    def to_bytes(self) -> bytes:
        """The head as an in-memory .npz (no pickle), for storing in the database."""
        buffer = io.BytesIO()
        np.savez(buffer, weights=self.weights, intercepts=self.intercepts,
                 classes=np.array(self.classes, dtype=np.str_))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Head:
        """The head that ``to_bytes`` wrote."""
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return cls(weights=npz["weights"], intercepts=npz["intercepts"],
                       classes=tuple(str(c) for c in npz["classes"]))


def fit(x: np.ndarray, y: Sequence[str], classes: Sequence[str], *, c: float = 1.0,
        balanced: bool = False, max_iter: int = 500) -> Head:
    """Fit the head on embeddings ``x`` (n, d) and labels ``y`` (each one of ``classes``).

    ``c`` is the inverse regularisation strength (scikit-learn's C); ``balanced`` weighs each
    example by n / (classes * count of its class), so rare classes count as much as common ones.
    """
    x = np.asarray(x, dtype=np.float64)
    classes = tuple(str(k) for k in classes)
    if len(set(classes)) != len(classes) or len(classes) < 2:
        raise ValueError("classes must be at least two distinct labels")
    index = {k: i for i, k in enumerate(classes)}
    try:
        target = np.array([index[str(label)] for label in y], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"label {exc.args[0]!r} is not one of the classes") from None
    n, d = x.shape
    if len(target) != n or n == 0:
        raise ValueError("x and y must have the same, non-zero length")
    k = len(classes)
    counts = np.bincount(target, minlength=k)
    sample_w = (n / (k * counts[target])) if balanced else np.ones(n)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), target] = 1.0
    penalty = 1.0 / c

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: d * k].reshape(d, k), theta[d * k:]
        logp = log_softmax(x @ w + b, axis=1)
        value = -(sample_w * (onehot * logp).sum(1)).sum()
        value += 0.5 * penalty * ((w * w).sum() + INTERCEPT_PENALTY * (b * b).sum())
        residual = (np.exp(logp) - onehot) * sample_w[:, None]
        grad_w = x.T @ residual + penalty * w
        grad_b = residual.sum(0) + penalty * INTERCEPT_PENALTY * b
        return float(value), np.concatenate([grad_w.ravel(), grad_b])

    result = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                      options={"maxiter": max_iter, "gtol": 1e-6})
    return Head(weights=result.x[: d * k].reshape(d, k).copy(), intercepts=result.x[d * k:].copy(),
                classes=classes)


def fold_of(y: Sequence[str], k: int) -> np.ndarray:
    """Deterministic stratified folds: per class, its items in order dealt round-robin, the
    deal continuing across classes so that fold sizes stay even."""
    folds = np.zeros(len(y), dtype=np.int64)
    position = 0
    for label in sorted(set(map(str, y))):
        for i in (j for j, v in enumerate(y) if str(v) == label):
            folds[i] = position % k
            position += 1
    return folds


def cross_val_proba(x: np.ndarray, y: Sequence[str], classes: Sequence[str], *, k: int = 5,
                    c: float = 1.0, balanced: bool = False) -> np.ndarray:
    """Out-of-fold probabilities (n, classes): each row from a head that did not see it."""
    x = np.asarray(x, dtype=np.float64)
    y = [str(v) for v in y]
    k = min(k, len(y))
    if k < 2:
        raise ValueError("cross-validation needs at least two labeled items")
    folds = fold_of(y, k)
    out = np.zeros((len(y), len(classes)))
    for f in range(k):
        test = folds == f
        train = ~test
        head = fit(x[train], [v for v, t in zip(y, train, strict=True) if t], classes,
                   c=c, balanced=balanced)
        out[test] = head.predict_proba(x[test])
    return out


def cross_val_accuracy(x: np.ndarray, y: Sequence[str], classes: Sequence[str] | None = None,
                       *, k: int = 5, c: float = 1.0, balanced: bool = False) -> float:
    """Estimated accuracy of the head on unseen items: the share of out-of-fold predictions
    (``k`` deterministic stratified folds) that match ``y``."""
    y = [str(v) for v in y]
    classes = tuple(classes) if classes is not None else tuple(sorted(set(y)))
    proba = cross_val_proba(x, y, classes, k=k, c=c, balanced=balanced)
    predicted = [classes[i] for i in proba.argmax(1)]
    return float(np.mean([p == t for p, t in zip(predicted, y, strict=True)]))


#: The regularisation tried by ``fit_selected``: few labels want a weaker penalty on unit
#: embeddings (20 demo reviews: cross-validated 0.5 at C = 1, 0.9 at C = 10), thousands of
#: labels a stronger one (VADER's movie snippets: C = 1 about the best).
C_GRID = (1.0, 4.0, 16.0)


def fit_selected(x: np.ndarray, y: Sequence[str], classes: Sequence[str], *,
                 grid: Sequence[float] = C_GRID) -> tuple[Head, float, float]:
    """The head with C chosen by cross-validated accuracy (ties: the smaller C), fitted on
    every label: (head, its cross-validated accuracy, C). The accuracy of the chosen C is a
    little optimistic, as any maximum over a few tries is."""
    scored = [(cross_val_accuracy(x, y, classes, c=c), -c) for c in grid]
    accuracy, minus_c = max(scored)
    return fit(x, y, classes, c=-minus_c), accuracy, -minus_c
