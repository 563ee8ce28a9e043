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
    genomes: np.ndarray, middle_layer: int, n_in: int = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Views W1 (P, h, n_in), b1 (P, h), W2 (P, h), b2 (P,) of a (P, genes) population.

    Same layout as :meth:`NeuralNetwork.set_parameters` with one output.
    """
    h = middle_layer
    P = genomes.shape[0]
    w1_end, b1_end = n_in * h, n_in * h + h
    return (
        genomes[:, :w1_end].reshape(P, h, n_in),
        genomes[:, w1_end:b1_end],
        genomes[:, b1_end : b1_end + h],
        genomes[:, b1_end + h],
    )


def population_predict(
    genomes: Sequence[Sequence[float]] | np.ndarray, X: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Labels (0/1 ints) of every genome's network on every point: shape ``(P, N)``."""
    X = _check_points(X)
    G = as_genome_matrix(genomes, genome_length(middle_layer, n_in=X.shape[1]))
    return _positive_outputs(G, X, middle_layer).astype(int)


def population_accuracy(
    genomes: Sequence[Sequence[float]] | np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    middle_layer: int,
) -> np.ndarray:
    """Training accuracy of every genome, shape ``(P,)``: correct labels / number of points."""
    X = _check_points(X)
    Y = np.asarray(Y)
    if Y.shape != (X.shape[0],):
        raise ValueError(f"Y must have shape ({X.shape[0]},) to match X; got {Y.shape}")
    G = as_genome_matrix(genomes, genome_length(middle_layer, n_in=X.shape[1]))
    correct = np.count_nonzero(_positive_outputs(G, X, middle_layer) == (Y == 1), axis=1)
    return correct / Y.shape[0]


def population_logits(
    genomes: np.ndarray, X: np.ndarray, middle_layer: int, hidden_activation=np.tanh
) -> np.ndarray:
    """Every genome's output before the sigmoid, on every point, in float64: ``(P, N)``.

    For a continuous loss (notebook 05): label 1 is a positive logit. ``hidden_activation``:
    the hidden units' (``tanh``, the lesson's; a step for :mod:`neuroevo_utils.threshold`).
    """
    W1, b1, W2, b2 = unpack_genomes(genomes, middle_layer, X.shape[1])
    hidden = hidden_activation(np.einsum("phi,ni->phn", W1, X) + b1[:, :, None])
    return np.einsum("ph,phn->pn", W2, hidden) + b2[:, None]


def population_loss(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Mean binary cross-entropy of every genome's network on ``X, Y``, shape ``(P,)``.

    The loss of notebook 05's continuous fitness. Written as ``log(1 + e^z) - y z`` of the
    logits ``z``, so it never overflows; a genome whose loss is still not finite (weights
    near the float limit) gets the largest float, the worst loss there is.
    """
    return loss_from_logits(population_logits(genomes, X, middle_layer), Y)


def loss_from_logits(logits: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """:func:`population_loss` from logits already computed, shape ``(P, N)`` -> ``(P,)``."""
    with np.errstate(invalid="ignore", over="ignore"):
        loss = np.mean(np.logaddexp(0.0, logits) - np.asarray(Y) * logits, axis=1)
    loss[~np.isfinite(loss)] = np.finfo(float).max
    return loss


def _check_points(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples, n_features); got {X.shape}")
    return X


def _positive_outputs(G: np.ndarray, X: np.ndarray, h: int) -> np.ndarray:
    """Boolean ``(P, N)``: does genome p's network label point n as 1?"""
    (N, n_in), P = X.shape, G.shape[0]
    W1, b1, W2, b2 = unpack_genomes(G, h, n_in)

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
    absW1, absb1, absW2, absb2 = unpack_genomes(np.abs(G), h, n_in)
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
