"""Python's ``random`` numbers, drawn thousands at a time with NumPy.

Introduced in notebook 04 (section "Making it fast"), for the NumPy engine.

DEAP draws every random number from Python's ``random`` module, one call at a time.
Python's generator is the Mersenne Twister MT19937, and NumPy ships the same bit
generator (``numpy.random.MT19937``). Give NumPy's the state of ``random.Random(seed)``
and it yields the same 32-bit words; the formulas below turn words into exactly the
numbers Python's ``random()``, ``getrandbits(k)`` and ``gauss()`` would return.
``tests/test_random_stream.py`` checks each against Python's own.
"""

from __future__ import annotations

import math
import random

import numpy as np

_BLOCK_WORDS = 1 << 16
"""Words generated at a time when the buffer runs low."""


class PythonRandomStream:
    """The stream of ``random.Random(seed)``, read as NumPy arrays.

    Reading is in two steps: :meth:`words` or :meth:`doubles` *look* at what comes
    next, :meth:`skip_words` or :meth:`skip_doubles` consume it. So a caller can look
    ahead generously, work out how much a step of the algorithm really used, and
    consume exactly that.
    """

    def __init__(self, seed: int) -> None:
        _, internal_state, self.gauss_next = random.Random(seed).getstate()
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {
                "key": np.array(internal_state[:-1], dtype=np.uint32),
                "pos": internal_state[-1],
            },
        }
        self._buffer = np.empty(0, dtype=np.uint64)
        self._next = 0  # index in _buffer of the next unused word

    def words(self, count: int) -> np.ndarray:
        """The next ``count`` 32-bit words (as uint64), without consuming them."""
        missing = self._next + count - self._buffer.size
        if missing > 0:
            fresh = self._bits.random_raw(max(missing, _BLOCK_WORDS))
            self._buffer = np.concatenate([self._buffer[self._next :], fresh])
            self._next = 0
        return self._buffer[self._next : self._next + count]

    def skip_words(self, count: int) -> None:
        self._next += count

    def doubles(self, count: int) -> np.ndarray:
        """The next ``count`` values of ``random.random()``, without consuming them.

        Python builds each from two words: 27 bits of the first, 26 of the second.
        """
        words = self.words(2 * count)
        high, low = words[0::2] >> 5, words[1::2] >> 6
        return (high * 67108864.0 + low) * (1.0 / 9007199254740992.0)

    def skip_doubles(self, count: int) -> None:
        self.skip_words(2 * count)

    def below(self, n: int, count: int) -> np.ndarray:
        """Consume and return ``count`` values of ``random._randbelow(n)`` (``random.choice``).

        Python takes the top ``k = n.bit_length()`` bits of a word and draws again while
        the value is ``>= n``.
        """
        k = n.bit_length()
        look = int(count * (1 << k) / n * 1.1) + 64
        while True:
            values = self.words(look) >> np.uint64(32 - k)
            accepted = np.flatnonzero(values < n)
            if accepted.size >= count:
                self.skip_words(int(accepted[count - 1]) + 1)
                return values[accepted[:count]].astype(np.intp)
            look *= 2


def gauss_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What ``random.gauss(0, 1)`` computes from two ``random()`` values: two normal numbers.

    Python returns the cosine one and keeps the sine one for its next call. The cosine,
    sine and logarithm come from :mod:`math`, as in Python, so every bit matches (NumPy's
    own may differ in the last bit on some processors); the rest is exact arithmetic.
    """
    x2pi = first * (2.0 * math.pi)
    log = np.fromiter(map(math.log, (1.0 - second).tolist()), float, second.size)
    g2rad = np.sqrt(-2.0 * log)
    cosines = np.fromiter(map(math.cos, x2pi.tolist()), float, x2pi.size) * g2rad
    sines = np.fromiter(map(math.sin, x2pi.tolist()), float, x2pi.size) * g2rad
    return cosines, sines
