"""Digits (notebook 07): the data, a population of 64-h-10 networks evaluated
at once, and the evolution strategy."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroevo_utils.digits import (
    digits_data,
    digits_genome_length,
    population_class_logits,
    population_digits_accuracy,
    population_digits_loss,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def digits():
    return digits_data(0)


def one_network_scores(genome, X, h):
    """The same network written plainly, in float64."""
    W1 = genome[: 64 * h].reshape(h, 64)
    b1 = genome[64 * h : 64 * h + h]
    W2 = genome[64 * h + h : 64 * h + h + 10 * h].reshape(10, h)
    b2 = genome[64 * h + h + 10 * h :]
    return np.tanh(X @ W1.T + b1) @ W2.T + b2


def test_the_data_is_split_stratified_and_scaled(digits):
    X_train, X_test, Y_train, Y_test = digits
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() >= 0 and X_train.max() == 1
    assert set(np.bincount(Y_test)) <= {43, 44, 45, 46}  # a quarter of each class
    assert set(Y_train) == set(range(10))
    assert digits_genome_length(16) == 1210


def test_the_population_pass_is_each_network_written_plainly(digits):
    X, _, Y, _ = digits
    genomes = np.random.default_rng(1).normal(0, 0.3, (4, digits_genome_length(7)))
    scores = population_class_logits(genomes, X, 7)
    for p, genome in enumerate(genomes):
        plain = one_network_scores(genome, X, 7)
        np.testing.assert_allclose(scores[p], plain, rtol=1e-4, atol=1e-4)
        assert population_digits_accuracy(genomes, X, Y, 7)[p] == pytest.approx(
            np.mean(plain.argmax(axis=1) == Y), abs=2 / len(Y)  # float32 may flip a near tie
        )
        log_softmax = plain - np.log(np.exp(plain).sum(axis=1, keepdims=True))
        assert population_digits_loss(genomes, X, Y, 7)[p] == pytest.approx(
            -np.mean(log_softmax[np.arange(len(Y)), Y]), rel=1e-4
        )


def test_a_genome_of_the_wrong_length_says_the_expected_length(digits):
    with pytest.raises(ValueError, match="need 1210 genes each; got shape"):
        population_class_logits(np.zeros((2, 1209)), digits[0], 16)


def test_the_digits_benchmark_runs():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_digits.py"), "--seeds", "1",
         "--target", "0.5"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.splitlines()[2].startswith("| 0 | ")
    assert "evolution strategy: reached 1 of 1" in done.stdout
    assert "backprop: reached 1 of 1" in done.stdout
