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

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from threadpoolctl import ThreadpoolController

from .network import genome_length, sigmoid

CHUNK_ELEMENTS = 131_072
"""Hidden activations computed at once by the exact-label pass of the lesson's network (512 kB
in float32): bounds memory at any MU and size, and keeps each chunk in the processor's cache
(larger and smaller chunks measured slower)."""
OUTPUT_CHUNK = 4_194_304
"""Hidden activations :func:`population_outputs` computes at once (16 MB in float32): a
whole digits generation (100 x 16 x 1,347) in one product."""

_EPS32 = float(np.finfo(np.float32).eps)
_EPS64 = float(np.finfo(np.float64).eps)
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

LOSS_DTYPE = {1: np.float64}
"""The precision of the loss by number of outputs; float32 otherwise. One output (the toy
problems) keeps float64: there notebook 05's loss toolbox, one network at a time in float64,
and the batched engines must rank alike (a few milliseconds a generation either way).
Digits' pass is float32 throughout (notebook 07)."""


class _Workspace(threading.local):
    """Arrays each thread reuses from pass to pass (a digits generation's hidden layer is
    8.6 MB: allocated afresh, its pages cost more than the product that fills them)."""

    def array(self, name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        size = int(np.prod(shape))
        kept = self.__dict__.get(name)
        if kept is None or kept.dtype != dtype or kept.size < size:
            kept = self.__dict__[name] = np.empty(size, dtype=dtype)
        return kept[:size].reshape(shape)


_WORKSPACE = _Workspace()


def _outputs(G: np.ndarray, X: np.ndarray, shape: NetworkShape, dtype: type) -> np.ndarray:
    """:func:`population_outputs` into this thread's workspace: valid until its next call."""
    W1, b1, W2, b2 = unpack_genomes(G, shape)
    P, h, n_in, N = G.shape[0], shape.hidden, shape.inputs, X.shape[0]
    inputs = np.ones((n_in + 1, N), dtype=dtype)
    inputs[:n_in] = X.T
    first = np.empty((P, h, n_in + 1), dtype=dtype)
    first[:, :, :n_in] = W1
    first[:, :, n_in] = b1
    second, bias = W2.astype(dtype), b2.astype(dtype)[:, :, None]
    outputs = _WORKSPACE.array("outputs", (P, shape.outputs, N), dtype)
    rows = max(1, min(P, OUTPUT_CHUNK // (h * max(1, N))))
    hidden = _WORKSPACE.array("hidden", (rows * h, N), dtype)
    with single_threaded_blas(), np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, P, rows):
            stop = min(start + rows, P)
            layer = hidden[: (stop - start) * h]
            np.matmul(first[start:stop].reshape(-1, n_in + 1), inputs, out=layer)  # all at once
            if shape.activation == "tanh":
                np.tanh(layer, out=layer)
            else:
                np.greater(layer, 0, out=layer)  # the step: 1.0 or 0.0
            np.matmul(second[start:stop], layer.reshape(stop - start, h, N),
                      out=outputs[start:stop])  # fmt: skip
            outputs[start:stop] += bias[start:stop]
    return outputs


def population_outputs(
    genomes: np.ndarray, X: np.ndarray, shape: NetworkShape, dtype: type = np.float32
) -> np.ndarray:
    """Every genome's network's outputs before the sigmoid or softmax, on every point:
    ``(P, outputs, N)`` in ``dtype``. The one forward kernel of every problem.

    The first layer of all P networks is one matrix product, ``(P*h, inputs+1) @
    (inputs+1, N)``: each network's weights stacked, its biases folded in as a last input
    that is always 1. The hidden activation runs in place on that one array; the second
    layer is a batched product, ``(P, outputs, h) @ (P, h, N)``. Chunked over genomes so
    that memory stays bounded at any population and data size.
    """
    X = _check_points(X)
    return _outputs(as_genome_matrix(genomes, shape.genes), X, shape, dtype).copy()


def _correct(outputs: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many points each genome labels right, ``(P,)``, and each point's largest output,
    ``(P, N)``, for outputs ``(P, classes, N)``. A point is right when its true class has
    the largest output and no class before it has the same (``argmax`` takes the first of
    equals); decided on whole contiguous ``(P, N)`` planes, as ``argmax`` along the middle
    axis walks them one strided point at a time (measured 8x slower)."""
    P, k, N = outputs.shape
    largest = outputs.max(axis=1)
    correct = outputs.reshape(P, k * N)[:, Y * N + np.arange(N)] == largest
    for c in range(k - 1):
        earlier = Y > c  # points whose true class comes after class c
        if earlier.any():
            correct &= ~((outputs[:, c] == largest) & earlier)
    return np.count_nonzero(correct, axis=1), largest


def _losses(outputs: np.ndarray, Y: np.ndarray, largest: np.ndarray | None = None) -> np.ndarray:
    """Mean cross-entropy per genome from its outputs ``(P, outputs, N)``, in their dtype
    (``outputs`` is overwritten).

    One output: ``log(1 + e^z) - y z`` (``logaddexp``, which never overflows). Several: the
    softmax's, as a log-sum-exp shifted by each point's largest output (``largest``, if
    already known), so that no ``exp`` overflows. A genome whose loss is still not finite
    (weights near the float limit) gets the largest float, the worst loss there is.
    """
    Y = np.asarray(Y)
    with np.errstate(invalid="ignore", over="ignore"):
        if outputs.shape[1] == 1:
            z = outputs[:, 0]
            loss = np.mean(np.logaddexp(0, z) - Y * z, axis=1)
        else:
            P, k, N = outputs.shape
            if largest is None:
                largest = outputs.max(axis=1)
            outputs -= largest[:, None, :]  # in place: each point's largest is now 0
            chosen = outputs.reshape(P, k * N)[:, Y * N + np.arange(N)]  # the true class's
            np.exp(outputs, out=outputs)
            loss = np.mean(np.log(outputs.sum(axis=1)) - chosen, axis=1)
    loss[~np.isfinite(loss)] = np.finfo(loss.dtype).max
    return loss


def population_predict(
    genomes: Sequence[Sequence[float]] | np.ndarray, X: np.ndarray, shape: NetworkShape | int
) -> np.ndarray:
    """Labels of every genome's network on every point: shape ``(P, N)``, as
    :meth:`NeuralNetwork.predict` gives them (several outputs: the largest one's class).
    ``shape``: a :class:`NetworkShape`, or the lesson's network's middle layer."""
    X = _check_points(X)
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    if shape.outputs > 1:
        return np.argmax(_outputs(G, X, shape, np.float32), axis=1)
    if shape.activation == "tanh":
        return _positive_outputs(G, X, shape.hidden).astype(int)
    outputs = _outputs(G, X, shape, np.float64)[:, 0]
    return (np.round(sigmoid(outputs)) == 1).astype(int)


def population_evaluate(
    genomes: Sequence[Sequence[float]] | np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    shape: NetworkShape | int,
    loss: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Every genome's accuracy on ``X, Y`` and, with ``loss``, its mean cross-entropy: two
    arrays of shape ``(P,)``, from as few passes as the labels' exactness allows (several
    outputs: one float32 pass for both)."""
    X = _check_points(X)
    Y = np.asarray(Y)
    if Y.shape != (X.shape[0],):
        raise ValueError(f"Y must have shape ({X.shape[0]},) to match X; got {Y.shape}")
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    if shape.outputs > 1:
        outputs = _outputs(G, X, shape, np.float32)
        correct, largest = _correct(outputs, Y)
        return correct / Y.shape[0], (_losses(outputs, Y, largest) if loss else None)
    if shape.activation == "tanh" and not loss:
        correct = np.count_nonzero(_positive_outputs(G, X, shape.hidden) == (Y == 1), axis=1)
        return correct / Y.shape[0], None
    if shape.activation == "tanh":  # one float64 pass for the loss and the labels
        outputs = _outputs(G, X, shape, LOSS_DTYPE[1])
        positive = _certain_labels(outputs[:, 0], G, X, shape.hidden, _EPS64)
        accuracy = np.count_nonzero(positive == (Y == 1), axis=1) / Y.shape[0]
    else:
        outputs = _outputs(G, X, shape, LOSS_DTYPE[1])
        accuracy = np.mean((np.round(sigmoid(outputs[:, 0])) == 1) == (Y == 1), axis=1)
    return accuracy, (_losses(outputs, Y) if loss else None)


def population_accuracy(
    genomes: Sequence[Sequence[float]] | np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    shape: NetworkShape | int,
) -> np.ndarray:
    """Accuracy of every genome on ``X, Y``, shape ``(P,)``: correct labels / points."""
    return population_evaluate(genomes, X, Y, shape)[0]


def population_loss(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, shape: NetworkShape | int
) -> np.ndarray:
    """Mean cross-entropy of every genome's network on ``X, Y``, shape ``(P,)``: the loss of
    notebook 05's continuous fitness (precision: :data:`LOSS_DTYPE`)."""
    X = _check_points(X)
    shape = _shape_of(shape, X)
    G = as_genome_matrix(genomes, shape.genes)
    return _losses(_outputs(G, X, shape, LOSS_DTYPE.get(shape.outputs, np.float32)), Y)


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

    return _certain_labels(out, G, X, h, _EPS32)


def _certain_labels(out: np.ndarray, G: np.ndarray, X: np.ndarray, h: int,
                    eps: float) -> np.ndarray:  # fmt: skip
    """Boolean ``(P, N)`` labels of the lesson's network from outputs ``out`` computed with
    rounding ``eps``: certain wherever the output is farther from 0 than its rounding error
    could carry it, recomputed as :meth:`NeuralNetwork.predict` does (float64) elsewhere."""
    n_in = X.shape[1]
    W1, b1, W2, b2 = unpack_genomes(G, NetworkShape(n_in, h))
    W2, b2 = W2[:, 0], b2[:, 0]
    # A bound on |computed output - exact output| per genome (a few eps per operation,
    # scaled by the magnitudes involved), times a safety factor.
    absW1, absb1, absW2, absb2 = unpack_genomes(np.abs(G), NetworkShape(n_in, h))
    absW2, absb2 = absW2[:, 0], absb2[:, 0]
    hidden_scale = absW1 @ np.abs(X).max(axis=0) + absb1 + 1.0
    error = 4.0 * np.einsum("ph,ph->p", absW2, hidden_scale) + (h + 2) * (absW2.sum(1) + absb2)
    margin = _SAFETY * eps * error
    positive = out > 0

    # Recompute the uncertain points exactly as NeuralNetwork.predict does, in float64.
    uncertain = np.abs(out) <= margin.astype(out.dtype)[:, None]
    rows_to_check = np.flatnonzero(uncertain.any(axis=1))  # cheaper than nonzero on all
    if rows_to_check.size:
        r, n_idx = np.nonzero(uncertain[rows_to_check])
        p_idx = rows_to_check[r]
        z1 = np.einsum("kji,ki->kj", W1[p_idx], X[n_idx]) + b1[p_idx]
        z2 = np.einsum("kj,kj->k", W2[p_idx], np.tanh(z1)) + b2[p_idx]
        positive[p_idx, n_idx] = np.round(sigmoid(z2)) == 1
    return positive
