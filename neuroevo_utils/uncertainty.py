"""How sure a count of successes over seeds is, and whether two methods really differ.

Introduced in notebook 05 (its race) and used by notebook 06's sweeps. "17 of 20 seeds" is an
estimate of a success rate, and 20 seeds leave it wide: :func:`success_interval` gives its
95% Wilson interval. Two rates are compared with a test, never by eye:

* methods run on the *same* seeds (the race: each seed draws the data and the start for
  every method) are compared seed by seed (:func:`paired_test`): only the seeds where one
  succeeded and the other failed say anything, and an exact binomial (McNemar) test asks
  whether they split unevenly; for a number per seed (held-out accuracy), the Wilcoxon
  signed-rank test;
* ordered settings that share seeds (a sweep: every setting runs on each seed's data) are
  tested for a trend decided in advance — does success rise or fall along the order? — by
  the stratified linear-by-linear test (:func:`stratified_trend`), each seed a stratum, not
  by picking the best and worst setting after seeing them;
* rates from *different* runs are compared with Fisher's exact test (:func:`independent_test`).

A cell that prints several comparisons prints a *family*: their p-values are adjusted
together by Holm's method (:func:`holm`), and the verdict follows the adjusted p.
:func:`verdict` turns a p-value into the words the notebooks use: a difference is called one
only below ``ALPHA``; otherwise "these seeds cannot tell them apart" — never "the same".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

ALPHA = 0.05
"""The level below which a difference is reported as one."""


def success_interval(successes: int, runs: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson interval of the success rate ``successes / runs``."""
    if runs <= 0 or not 0 <= successes <= runs:
        raise ValueError(f"need 0 <= successes <= runs and runs > 0; got {successes} of {runs}")
    interval = stats.binomtest(int(successes), int(runs)).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    return round(float(interval.low), 3), round(float(interval.high), 3)


def rate_with_interval(successes: int, runs: int) -> str:
    """``"17 of 20 (95% CI 64–95%)"``."""
    low, high = success_interval(successes, runs)
    return f"{int(successes)} of {int(runs)} (95% CI {low:.0%}–{high:.0%})"


def success_summary(
    runs: pd.DataFrame, by: Sequence[str], medians: Mapping[str, str]
) -> pd.DataFrame:
    """Per value of ``by`` (in the order values first appear): runs, targets reached (the
    boolean column ``reached``), success rate, its 95% interval, and for each ``name: column``
    of ``medians`` the median of ``column`` over the runs that reached their target. What
    notebook 05's race and notebook 06's sweeps both summarise."""
    by = list(by)
    groups = runs.groupby(by, sort=False)
    summary = groups.agg(runs=("reached", "size"), reached=("reached", "sum"))
    summary["success rate"] = (summary["reached"] / summary["runs"]).round(3)
    summary["95% CI"] = [
        "{:.2f}–{:.2f}".format(*success_interval(k, n))
        for k, n in zip(summary["reached"], summary["runs"], strict=True)
    ]
    successful = runs[runs["reached"]].groupby(by, sort=False)
    for name, column in medians.items():
        summary[name] = successful[column].median()
    return summary


def independent_test(successes_a: int, runs_a: int, successes_b: int, runs_b: int) -> float:
    """Two-sided Fisher exact p-value for two success rates from independent runs."""
    table = [[successes_a, runs_a - successes_a], [successes_b, runs_b - successes_b]]
    return float(stats.fisher_exact(table).pvalue)


def paired_test(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Two-sided exact McNemar p-value for two methods' successes on the same seeds."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"paired results need the same seeds; got {a.size} and {b.size}")
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    if only_a + only_b == 0:
        return 1.0
    return float(stats.binomtest(only_a, only_a + only_b, 0.5).pvalue)


def paired_values_test(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided Wilcoxon signed-rank p-value for a number per seed (e.g. held-out accuracy)
    of two methods on the same seeds; 1.0 when they never differ."""
    differences = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if not np.any(differences):
        return 1.0
    return float(stats.wilcoxon(differences, zero_method="wilcox").pvalue)


def verdict(p_value: float, better: str, worse: str, how: str = "is better than",
            raw: float | None = None) -> str:  # fmt: skip
    """The sentence for a comparison: a difference only where the test supports it, e.g.
    ``"A reaches its target more often than B (p = 0.0075)"``, else
    ``"these seeds cannot tell A and B apart (p = 0.45)"``. ``raw``: the p-value before a
    family's adjustment, when ``p_value`` is Holm-adjusted (both are shown)."""
    shown = f"p = {p_value:.2g}"
    if raw is not None:
        shown = f"Holm-adjusted p = {p_value:.2g}, raw {raw:.2g}"
    if p_value < ALPHA:
        return f"{better} {how} {worse} ({shown})"
    return f"these seeds cannot tell {better} and {worse} apart ({shown})"


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values: the family-wise error rate stays
    below ``ALPHA`` when each adjusted p is compared with it."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = p.size
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def stratified_trend(
    scores: Sequence[float], outcomes: Sequence[float], strata: Sequence[object]
) -> tuple[float, float]:
    """Does ``outcome`` rise or fall with ``score`` within strata (seeds)? The stratified
    linear-by-linear (Mantel) test: each stratum's outcomes are exchangeable across its
    scores under no trend. Returns a standardised statistic (positive: rises) and its
    two-sided p-value. With true/false outcomes it is the Cochran-Armitage test stratified
    by seed; pass ranks for numbers that are not on an interval scale."""
    frame = pd.DataFrame({"x": np.asarray(scores, dtype=float),
                          "y": np.asarray(outcomes, dtype=float), "s": list(strata)})  # fmt: skip
    statistic = expected = variance = 0.0
    for _, group in frame.groupby("s", sort=False):
        n = len(group)
        if n < 2:
            continue
        x, y = group["x"].to_numpy(), group["y"].to_numpy()
        statistic += float(x @ y)
        expected += n * x.mean() * y.mean()
        variance += np.sum((x - x.mean()) ** 2) * np.sum((y - y.mean()) ** 2) / (n - 1)
    if variance == 0:
        return 0.0, 1.0
    z = (statistic - expected) / np.sqrt(variance)
    return float(z), float(2 * stats.norm.sf(abs(z)))
