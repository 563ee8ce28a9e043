"""Evaluate a whole population of genomes in one NumPy pass.

Introduced in notebook 04 (section "Making it fast"). The result equals looping
:meth:`NeuralNetwork.set_parameters` + :meth:`NeuralNetwork.predict` over the genomes
(``tests/test_population.py`` checks it), but costs a few large array operations
instead of thousands of small ones.

How: the hidden layer of every network for every point is one ``(P*h, n_in+1) @
(n_in+1, N)`` product followed by ``tanh``. That ``tanh`` is nearly all of the work, and
in float32 it runs about five times faster than in float64 on the machines we measured
(and faster still as ``2 / (1 + exp(-2z)) - 1``). So the pass runs in float32, bounds its
rounding error for every genome, and recomputes in float64 the rare points whose output
lies within that bound of the decision threshold. Every other point's label is certain
from the float32 value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from threadpoolctl import ThreadpoolController

from .network import genome_length, sigmoid

CHUNK_ELEMENTS = 131_072
"""Hidden activations computed at once (512 kB in float32): bounds memory at any MU and
size, and keeps each chunk in the processor's cache (larger and smaller chunks measured
slower)."""

_EPS32 = float(np.finfo(np.float32).eps)
_SAFETY = 16.0  # the margin is this many times the estimated worst-case float32 error


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()  # inspects the loaded BLAS libraries once


_single_thread_depth = 0


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread inside the ``with`` block (re-entrant, cheap when nested).

    The products of batched evaluation are small: BLAS threads cost more than they save,
    and far more when the other core is busy. The engines enter this once per round;
    :func:`population_accuracy` enters it too, for callers that did not.
    """
    global _single_thread_depth
    if _single_thread_depth:
        yield
        return
    with _blas_controller().limit(limits=1, user_api="blas"):
        _single_thread_depth += 1
        try:
            yield
        finally:
            _single_thread_depth -= 1


@dataclass(frozen=True)
class NetworkShape:
    """A network ``inputs -> hidden -> outputs``: the lesson's is 2-5-1 with ``tanh`` units.

    One output is the lesson's: a sigmoid, label 1 where it rounds to 1. Several outputs
    are a softmax over classes (digits, notebook 07). ``activation``: the hidden units'
    (``"tanh"``, or ``"step"``, a hard threshold). A genome is W1, b1, W2, b2 flattened
    row-major and concatenated, as :meth:`NeuralNetwork.set_parameters` reads it.
    """

    inputs: int
    hidden: int
    outputs: int = 1
    activation: str = "tanh"

    @property
    def genes(self) -> int:
        return genome_length(self.hidden, self.inputs, self.outputs)

    def __str__(self) -> str:
        return f"{self.inputs}-{self.hidden}-{self.outputs}"


def as_genome_matrix(genomes: Sequence[Sequence[float]] | np.ndarray, n_genes: int) -> np.ndarray:
    """A population as a float64 array of shape ``(P, n_genes)``, or a clear ``ValueError``."""
    matrix = np.asarray(genomes, dtype=float)
    if matrix.ndim == 1 and matrix.size == n_genes:
        matrix = matrix[None, :]
    if matrix.ndim != 2 or matrix.shape[1] != n_genes:
        raise ValueError(
            f"expected a population of shape (P, {n_genes}) (genomes of {n_genes} genes); "
            f"got shape {matrix.shape}"
        )
    return matrix


def unpack_genomes(
    genomes: np.ndarray, shape: NetworkShape
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Views W1 (P, h, inputs), b1 (P, h), W2 (P, outputs, h), b2 (P, outputs) of a
    (P, genes) population, in :meth:`NeuralNetwork.set_parameters`' layout."""
    h, n_in, n_out = shape.hidden, shape.inputs, shape.outputs
    P = genomes.shape[0]
    w1_end, b1_end = n_in * h, n_in * h + h
    w2_end = b1_end + h * n_out
    return (
        genomes[:, :w1_end].reshape(P, h, n_in),
        genomes[:, w1_end:b1_end],
        genomes[:, b1_end:w2_end].reshape(P, n_out, h),
        genomes[:, w2_end:],
    )


def _step(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(z.dtype)


HIDDEN_ACTIVATIONS = {"tanh": np.tanh, "step": _step}
"""Each hidden activation by name (:class:`NetworkShape`)."""


def population_predict(
    genomes: Sequence[Sequence[float]] | np.ndarray, X: np.ndarray, shape: NetworkShape | int
) -> np.ndarray:
    """Labels of every genome's network on every point: shape ``(P, N)``, as
    :meth:`NeuralNetwork.predict` gives them. ``shape``: a :class:`NetworkShape`, or the
    lesson's network's middle layer."""
    X = _check_points(X)
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    if shape.outputs > 1:
        return np.argmax(_class_logits(G, X, shape), axis=2)
    if shape.activation == "tanh":
        return _positive_outputs(G, X, shape.hidden).astype(int)
    return (np.round(sigmoid(population_logits(G, X, shape))) == 1).astype(int)


def population_accuracy(
    genomes: Sequence[Sequence[float]] | np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    shape: NetworkShape | int,
) -> np.ndarray:
    """Accuracy of every genome on ``X, Y``, shape ``(P,)``: correct labels / points."""
    X = _check_points(X)
    Y = np.asarray(Y)
    if Y.shape != (X.shape[0],):
        raise ValueError(f"Y must have shape ({X.shape[0]},) to match X; got {Y.shape}")
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    if shape.outputs == 1 and shape.activation == "tanh":
        correct = np.count_nonzero(_positive_outputs(G, X, shape.hidden) == (Y == 1), axis=1)
        return correct / Y.shape[0]
    return np.mean(population_predict(G, X, shape) == Y, axis=1)


def population_logits(
    genomes: np.ndarray, X: np.ndarray, shape: NetworkShape | int
) -> np.ndarray:
    """A one-output network's output before the sigmoid, for every genome on every point, in
    float64: ``(P, N)``; label 1 is a positive logit."""
    shape = _shape_of(shape, X)
    W1, b1, W2, b2 = unpack_genomes(genomes, shape)
    hidden = HIDDEN_ACTIVATIONS[shape.activation](
        np.einsum("phi,ni->phn", W1, X) + b1[:, :, None]
    )
    return np.einsum("ph,phn->pn", W2[:, 0], hidden) + b2


def population_loss(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, shape: NetworkShape | int
) -> np.ndarray:
    """Mean cross-entropy of every genome's network on ``X, Y``, shape ``(P,)``.

    The loss of notebook 05's continuous fitness. One output: ``log(1 + e^z) - y z`` of the
    logits ``z``, which never overflows; several: the softmax's, as a log-sum-exp. A genome
    whose loss is still not finite (weights near the float limit) gets the largest float,
    the worst loss there is.
    """
    X = _check_points(X)
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    if shape.outputs > 1:
        logits = _class_logits(G, X, shape).astype(np.float64)
        top = logits.max(axis=2, keepdims=True)
        log_norm = np.log(np.exp(logits - top).sum(axis=2)) + top[..., 0]
        chosen = np.take_along_axis(logits, np.asarray(Y)[None, :, None], axis=2)[..., 0]
        return np.mean(log_norm - chosen, axis=1)
    return loss_from_logits(population_logits(G, X, shape), Y)


def loss_from_logits(logits: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """:func:`population_loss` of one-output networks from their logits, ``(P, N) -> (P,)``."""
    with np.errstate(invalid="ignore", over="ignore"):
        loss = np.mean(np.logaddexp(0.0, logits) - np.asarray(Y) * logits, axis=1)
    loss[~np.isfinite(loss)] = np.finfo(float).max
    return loss


def _class_logits(G: np.ndarray, X: np.ndarray, shape: NetworkShape) -> np.ndarray:
    """Every genome's class scores on every point, float32, ``(P, N, outputs)``: two batched
    matrix products; the scores only rank classes and feed a softmax."""
    W1, b1, W2, b2 = (w.astype(np.float32) for w in unpack_genomes(G, shape))
    X = X.astype(np.float32)
    with single_threaded_blas():
        z = X @ W1.transpose(0, 2, 1) + b1[:, None, :]  # (P, N, h), batched BLAS
        hidden = HIDDEN_ACTIVATIONS[shape.activation](z)
        return hidden @ W2.transpose(0, 2, 1) + b2[:, None, :]


def _shape_of(shape: NetworkShape | int, X: np.ndarray) -> NetworkShape:
    if isinstance(shape, NetworkShape):
        if X.shape[1] != shape.inputs:
            raise ValueError(f"X must have shape (n_samples, {shape.inputs}); got {X.shape}")
        return shape
    return NetworkShape(X.shape[1], shape)


def _check_points(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples, n_features); got {X.shape}")
    return X


def _positive_outputs(G: np.ndarray, X: np.ndarray, h: int) -> np.ndarray:
    """Boolean ``(P, N)``: does genome p's network label point n as 1?"""
    (N, n_in), P = X.shape, G.shape[0]
    W1, b1, W2, b2 = unpack_genomes(G, NetworkShape(n_in, h))
    W2, b2 = W2[:, 0], b2[:, 0]

    # float32 pass. The bias is folded in as an extra input that is always 1, so the
    # pre-activations z of all hidden neurons of a chunk of genomes are one matrix product.
    # tanh(z) = 2 / (1 + exp(-2z)) - 1, and NumPy's float32 exp, add and reciprocal are
    # together faster than its tanh. The weights are scaled by -2 (exactly) so the product
    # gives -2z; the "- 1" of every neuron is folded into the output bias.
    inputs = np.ones((n_in + 1, N), dtype=np.float32)
    inputs[:n_in] = X.T
    weights = np.empty((P, h, n_in + 1), dtype=np.float32)
    weights[:, :, :n_in] = -2.0 * W1
    weights[:, :, n_in] = -2.0 * b1
    w2 = (2.0 * W2).astype(np.float32)
    out = np.empty((P, N), dtype=np.float32)
    out[:] = (b2 - W2.sum(axis=1)).astype(np.float32)[:, None]
    rows = max(1, CHUNK_ELEMENTS // (h * max(1, N)))
    with single_threaded_blas(), np.errstate(over="ignore"):  # exp(-2z) = inf gives 0 below
        for start in range(0, P, rows):
            stop = min(start + rows, P)
            hidden = weights[start:stop].reshape(-1, n_in + 1) @ inputs
            np.exp(hidden, out=hidden)
            hidden += 1.0
            np.reciprocal(hidden, out=hidden)  # (tanh(z) + 1) / 2
            out[start:stop] += np.einsum(
                "ph,phn->pn", w2[start:stop], hidden.reshape(stop - start, h, N)
            )

    # A bound on |float32 output - exact output| per genome (a few eps per operation,
    # scaled by the magnitudes involved), times a safety factor.
    absW1, absb1, absW2, absb2 = unpack_genomes(np.abs(G), NetworkShape(n_in, h))
    absW2, absb2 = absW2[:, 0], absb2[:, 0]
    hidden_scale = absW1 @ np.abs(X).max(axis=0) + absb1 + 1.0
    error = 4.0 * np.einsum("ph,ph->p", absW2, hidden_scale) + (h + 2) * (absW2.sum(1) + absb2)
    margin = _SAFETY * _EPS32 * error
    positive = out > 0

    # Recompute the uncertain points exactly as NeuralNetwork.predict does, in float64.
    uncertain = np.abs(out) <= margin.astype(np.float32)[:, None]
    rows_to_check = np.flatnonzero(uncertain.any(axis=1))  # cheaper than nonzero on all
    if rows_to_check.size:
        r, n_idx = np.nonzero(uncertain[rows_to_check])
        p_idx = rows_to_check[r]
        z1 = np.einsum("kji,ki->kj", W1[p_idx], X[n_idx]) + b1[p_idx]
        z2 = np.einsum("kj,kj->k", W2[p_idx], np.tanh(z1)) + b2[p_idx]
        positive[p_idx, n_idx] = np.round(sigmoid(z2)) == 1
    return positive
