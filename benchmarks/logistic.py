"""L2-penalised logistic regression in pure Python, for the evidence combiner (issue 22).

The project has no numpy, and the problem is small: a few thousand candidate tags with a
dozen non-zero features each, out of about a hundred. Newton's method on the penalised
log-likelihood converges in a handful of steps; each step accumulates the gradient and the
Hessian over the *distinct* rows (identical feature vectors are merged with their counts)
and solves the system by Cholesky decomposition. Deterministic: the same rows in the same
order give the same weights, bit for bit (features are indexed in sorted order and every sum
runs in a fixed order).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

#: Newton steps at most, and the step size (largest weight change) that ends the fit.
MAX_STEPS = 50
TOLERANCE = 1e-9


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z), without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[bool], *,
        penalty: Callable[[str], float]) -> tuple[float, dict[str, float]]:
    """(bias, weights) maximising the log-likelihood of ``labels`` given ``rows`` minus
    ``penalty(name) / 2 * weight**2`` per feature (the bias is not penalised).

    A feature's penalty must be positive, so the problem is strictly convex and the answer
    unique even when a feature separates the labels. Raises ValueError on mismatched or
    empty input."""
    if len(rows) != len(labels) or not rows:
        raise ValueError("fit needs as many labels as rows, and at least one row")
    names = sorted({name for row in rows for name in row})
    index = {name: i for i, name in enumerate(names)}
    bias = len(names)
    pens = [penalty(name) for name in names] + [0.0]
    if any(p <= 0 for p in pens[:-1]):
        raise ValueError("every feature needs a positive penalty")
    merged = _merge(rows, labels, index)
    w = [0.0] * (bias + 1)
    for _ in range(MAX_STEPS):
        grad, hess = _derivatives(merged, w, pens)
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < TOLERANCE:
            break
    return w[bias], {name: w[i] for name, i in index.items()}


Rows = dict[tuple[tuple[int, float], ...], list[float]]


def _merge(rows: Sequence[Mapping[str, float]], labels: Sequence[bool],
           index: Mapping[str, int]) -> Rows:
    """Distinct rows (sparse: (feature index, value) in index order, then the bias) ->
    [positive count, negative count]."""
    bias = len(index)
    merged: Rows = {}
    for row, label in zip(rows, labels):
        key = tuple(sorted((index[k], float(v)) for k, v in row.items() if v)) + ((bias, 1.0),)
        counts = merged.setdefault(key, [0.0, 0.0])
        counts[0 if label else 1] += 1.0
    return merged


def _derivatives(merged: Rows, w: Sequence[float], pens: Sequence[float]
                 ) -> tuple[list[float], list[list[float]]]:
    """The gradient and Hessian of the penalised negative log-likelihood at ``w``."""
    n = len(w)
    grad = [p * wi for p, wi in zip(pens, w)]
    hess = [[0.0] * n for _ in range(n)]
    for i, p in enumerate(pens):
        hess[i][i] = p if p else 1e-9  # keeps the bias's row positive on one-class data
    for key, (pos, neg) in merged.items():
        prob = sigmoid(sum(w[i] * v for i, v in key))
        g = (pos + neg) * prob - pos
        h = (pos + neg) * prob * (1.0 - prob)
        for a, (i, vi) in enumerate(key):
            grad[i] += g * vi
            row_i = hess[i]
            for j, vj in key[a:]:
                row_i[j] += h * vi * vj
    for i in range(n):  # only the upper triangle (j >= i: keys are sorted) was filled
        for j in range(i):
            hess[i][j] = hess[j][i]
    return grad, hess


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b, for a symmetric positive-definite ``a`` (Cholesky)."""
    n = len(b)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            if i == j:
                low[i][i] = math.sqrt(max(s, 1e-300))
            else:
                low[i][j] = s / low[j][j]
    y = [0.0] * n
    for i in range(n):
        y[i] = (b[i] - sum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x
