"""PythonRandomStream must give exactly the numbers Python's ``random`` gives."""

import random

import numpy as np
import pytest

from neuroevo_utils.methods.random_stream import PythonRandomStream, gauss_pairs


@pytest.mark.parametrize("seed", [0, 64, 2**40 + 3])
def test_words_and_doubles_continue_pythons_stream(seed):
    python, stream = random.Random(seed), PythonRandomStream(seed)
    words = stream.words(3)
    assert words.tolist() == [python.getrandbits(32) for _ in range(3)]
    stream.skip_words(3)
    doubles = stream.doubles(100_000)  # more than one block: the buffer must refill
    assert doubles.tolist() == [python.random() for _ in range(100_000)]
    stream.skip_doubles(100_000)
    assert stream.words(1)[0] == python.getrandbits(32)


def test_looking_ahead_does_not_consume():
    stream = PythonRandomStream(1)
    first = stream.doubles(10).copy()
    np.testing.assert_array_equal(stream.doubles(10), first)
    stream.skip_doubles(4)
    np.testing.assert_array_equal(stream.doubles(6), first[4:])


@pytest.mark.parametrize("n", [1, 5, 7, 1000, 1024, 1025])
def test_below_matches_random_choice_including_redraws(n):
    python, stream = random.Random(n), PythonRandomStream(n)
    population = list(range(n))
    expected = [python.choice(population) for _ in range(5000)]
    assert stream.below(n, 5000).tolist() == expected
    assert stream.doubles(1)[0] == python.random()  # and consumed exactly as many words


def test_gauss_pairs_match_random_gauss():
    python, stream = random.Random(7), PythonRandomStream(7)
    expected = [python.gauss(0.0, 1.0) for _ in range(2000)]  # 1000 fresh pairs
    u = stream.doubles(2000)
    cosines, sines = gauss_pairs(u[0::2], u[1::2])
    assert cosines.tolist() == expected[0::2]
    assert sines.tolist() == expected[1::2]
