"""Real data for neuroevolution at scale: scikit-learn's bundled digits, 10 classes.

Introduced in notebook 07: the 8 x 8 handwritten digits (1,797 images, no
download), split and scaled, and a whole population of 64 -> ``middle_layer`` -> 10 networks
(tanh, then softmax) evaluated in one pass: held-out accuracy and the mean cross-entropy a
search can follow (:mod:`.search` trains them, :mod:`.scaling` races the searches). A
genome is laid out as the lesson's is — W1, b1, W2, b2 — so a 64-16-10 network has
64*16 + 16 + 16*10 + 10 = 1,210 genes.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits

from .data import split_data
from .network import genome_length

N_FEATURES = 64
N_CLASSES = 10


def digits_data(
    seed: int, test_size: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, X_test, Y_train, Y_test``: the digits, pixels scaled to [0, 1] (they run
    0-16), a stratified seeded ``test_size`` held out."""
    X, Y = load_digits(return_X_y=True)
    return split_data(X / 16.0, Y, test_size, seed)


def digits_genome_length(middle_layer: int) -> int:
    """Genes of a 64 -> ``middle_layer`` -> 10 network (1,210 at 16 hidden units)."""
    return genome_length(middle_layer, N_FEATURES, N_CLASSES)


def population_class_logits(genomes: np.ndarray, X: np.ndarray, middle_layer: int) -> np.ndarray:
    """Every genome's class scores on every point, float32, shape ``(P, N, 10)``.

    ``genomes``: ``(P, genes)``. Two batched matrix products per population, as the toy
    problems' engines do, in float32: the scores only rank classes and feed a softmax.
    """
    genomes = np.asarray(genomes, dtype=np.float32)
    if genomes.ndim != 2 or genomes.shape[1] != digits_genome_length(middle_layer):
        raise ValueError(
            f"genomes for a 64-{middle_layer}-10 network need "
            f"{digits_genome_length(middle_layer)} genes each; got shape {genomes.shape}"
        )
    h, P = middle_layer, genomes.shape[0]
    w1_end, b1_end = N_FEATURES * h, N_FEATURES * h + h
    w2_end = b1_end + h * N_CLASSES
    W1 = genomes[:, :w1_end].reshape(P, h, N_FEATURES)
    b1 = genomes[:, w1_end:b1_end]
    W2 = genomes[:, b1_end:w2_end].reshape(P, N_CLASSES, h)
    b2 = genomes[:, w2_end:]
    X = np.asarray(X, dtype=np.float32)
    hidden = np.tanh(X @ W1.transpose(0, 2, 1) + b1[:, None, :])  # (P, N, h), batched BLAS
    return hidden @ W2.transpose(0, 2, 1) + b2[:, None, :]


def population_digits_accuracy(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Share of points each genome's network labels right, shape ``(P,)``."""
    logits = population_class_logits(genomes, X, middle_layer)
    return np.mean(np.argmax(logits, axis=2) == np.asarray(Y)[None, :], axis=1)


def population_digits_loss(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Mean softmax cross-entropy of each genome's network, shape ``(P,)``, in float64 from
    the float32 scores (a log-sum-exp, so it never overflows)."""
    logits = population_class_logits(genomes, X, middle_layer).astype(np.float64)
    Y = np.asarray(Y)
    top = logits.max(axis=2, keepdims=True)
    log_norm = np.log(np.exp(logits - top).sum(axis=2)) + top[..., 0]
    chosen = np.take_along_axis(logits, Y[None, :, None], axis=2)[..., 0]
    return np.mean(log_norm - chosen, axis=1)
