"""Evaluate a whole population of genomes in one NumPy pass.

Introduced in notebook 04 (section "Making it fast"). The result equals looping
:meth:`NeuralNetwork.set_parameters` + :meth:`NeuralNetwork.predict` over the genomes
(``tests/test_population.py`` checks it), but costs a few large array operations
instead of thousands of small ones.

How: the hidden layer of every network for every point is one ``(P*h, n_in) @ (n_in, N)``
product followed by ``tanh``. That ``tanh`` is nearly all of the work, and in float32 it
runs about five times faster than in float64 on the machines we measured. So the pass runs
in float32, bounds its rounding error for every genome, and recomputes in float64 the
rare points whose output lies within that bound of the decision threshold. Every other
point's label is certain from the float32 value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .network import genome_length, sigmoid

CHUNK_ELEMENTS = 262_144
"""Hidden activations computed at once (1 MB in float32): bounds memory at any MU and size,
and keeps each chunk in the processor's cache (larger chunks measured slower)."""

_EPS32 = float(np.finfo(np.float32).eps)
_SAFETY = 16.0  # the margin is this many times the estimated worst-case float32 error


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
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples, n_features); got {X.shape}")
    n_in = X.shape[1]
    G = as_genome_matrix(genomes, genome_length(middle_layer, n_in=n_in))
    # What depends on X alone is prepared once, not per chunk: the float32 inputs with a
    # row of ones (for the bias), and each feature's largest magnitude (for the error bound).
    inputs = np.ones((n_in + 1, X.shape[0]), dtype=np.float32)
    inputs[:n_in] = X.T
    x_max = np.abs(X).max(axis=0)
    labels = np.empty((G.shape[0], X.shape[0]), dtype=int)
    rows = max(1, CHUNK_ELEMENTS // (middle_layer * max(1, X.shape[0])))
    for start in range(0, G.shape[0], rows):
        chunk = G[start : start + rows]
        labels[start : start + rows] = _predict_chunk(chunk, X, inputs, x_max, middle_layer)
    return labels


def population_accuracy(
    genomes: Sequence[Sequence[float]] | np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    middle_layer: int,
) -> np.ndarray:
    """Training accuracy of every genome, shape ``(P,)``: correct labels / number of points."""
    Y = np.asarray(Y)
    if Y.shape != (np.shape(X)[0],):
        raise ValueError(f"Y must have shape ({np.shape(X)[0]},) to match X; got {Y.shape}")
    correct = (population_predict(genomes, X, middle_layer) == Y).sum(axis=1)
    return correct / Y.shape[0]


def _predict_chunk(
    G: np.ndarray, X: np.ndarray, inputs: np.ndarray, x_max: np.ndarray, h: int
) -> np.ndarray:
    P, N, n_in = G.shape[0], X.shape[0], X.shape[1]
    W1, b1, W2, b2 = unpack_genomes(G, h, n_in)

    # float32 pass: pre-activations of all P*h hidden neurons on all N points in one
    # matrix product, the bias folded in as an extra input that is always 1.
    weights = np.empty((P * h, n_in + 1), dtype=np.float32)
    weights[:, :n_in] = W1.reshape(P * h, n_in)
    weights[:, n_in] = b1.reshape(P * h)
    # einsum rather than `@`: a BLAS call here may start threads, which for products this
    # small cost more than they save, and much more when the other core is busy.
    hidden = np.einsum("ki,in->kn", weights, inputs)
    np.tanh(hidden, out=hidden)
    out = np.einsum("ph,phn->pn", W2.astype(np.float32), hidden.reshape(P, h, N))
    out += b2.astype(np.float32)[:, None]

    # A bound on |float32 output - exact output| per genome (a few eps per operation,
    # scaled by the magnitudes involved), times a safety factor.
    absW2 = np.abs(W2)
    hidden_scale = np.einsum("phi,i->ph", np.abs(W1), x_max) + np.abs(b1) + 1.0
    margin = (
        _SAFETY
        * _EPS32
        * (4.0 * (absW2 * hidden_scale).sum(axis=1) + (h + 2) * (absW2.sum(axis=1) + np.abs(b2)))
    )
    labels = (out > 0).astype(int)

    # Recompute the uncertain points exactly as NeuralNetwork.predict does, in float64.
    p_idx, n_idx = np.divmod(np.flatnonzero(np.abs(out) <= margin[:, None]), N)
    if p_idx.size:
        z1 = np.einsum("kji,ki->kj", W1[p_idx], X[n_idx]) + b1[p_idx]
        z2 = np.einsum("kj,kj->k", W2[p_idx], np.tanh(z1)) + b2[p_idx]
        labels[p_idx, n_idx] = np.round(sigmoid(z2)).astype(int)
    return labels
