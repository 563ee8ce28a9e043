"""Success counts with their intervals, and the tests that decide whether methods differ."""

import numpy as np
import pytest
from scipy import stats

from neuroevo_utils.uncertainty import (
    holm,
    independent_test,
    paired_test,
    paired_values_test,
    rate_with_interval,
    stratified_trend,
    success_interval,
    verdict,
)


def test_the_interval_contains_the_rate_and_narrows_with_more_runs():
    low, high = success_interval(17, 20)
    assert low < 17 / 20 < high
    wide, narrow = success_interval(10, 20), success_interval(100, 200)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]
    assert success_interval(0, 20)[0] == 0 and success_interval(20, 20)[1] == 1
    assert rate_with_interval(17, 20) == f"17 of 20 (95% CI {low:.0%}–{high:.0%})"
    with pytest.raises(ValueError, match="need 0 <= successes <= runs"):
        success_interval(21, 20)


def test_fisher_for_independent_runs_matches_scipy():
    assert independent_test(11, 20, 16, 20) == pytest.approx(
        stats.fisher_exact([[11, 9], [16, 4]]).pvalue
    )
    assert independent_test(19, 60, 31, 60) < 0.05  # issue 19's example: 31/60 vs 19/60


def test_the_paired_test_counts_only_seeds_where_the_methods_disagree():
    same = [True, False, True, True]
    assert paired_test(same, same) == 1.0
    a = [True] * 10 + [False] * 10
    b = [False] * 10 + [False] * 10  # a wins 10 seeds, b none: exact p = 2 / 2**10
    assert paired_test(a, b) == pytest.approx(2 / 2**10)
    assert paired_test(a + [True] * 50, b + [True] * 50) == paired_test(a, b)  # ties say nothing
    with pytest.raises(ValueError, match="same seeds"):
        paired_test([True], [True, False])


def test_paired_values_and_the_verdict():
    assert paired_values_test([0.8, 0.9], [0.8, 0.9]) == 1.0
    better = [0.9 + i / 100 for i in range(12)]
    worse = [0.8 + i / 100 for i in range(12)]
    assert paired_values_test(better, worse) < 0.05
    assert verdict(0.01, "A", "B") == "A is better than B (p = 0.01)"
    assert verdict(0.3, "A", "B", "beats") == "these seeds cannot tell A and B apart (p = 0.3)"


def test_holm_adjusts_a_family_step_down():
    adjusted = holm([0.01, 0.04, 0.03, 0.5])
    assert list(adjusted) == pytest.approx([0.04, 0.09, 0.09, 0.5])  # 4x, 3x (then max), 2x, 1x
    assert list(holm([0.2])) == [0.2]
    assert verdict(0.09, "A", "B", raw=0.03).endswith("(Holm-adjusted p = 0.09, raw 0.03)")


def test_the_stratified_trend_test_is_cochran_armitage_in_one_stratum_and_sees_seeds():
    # one stratum: the Mantel statistic equals the Cochran-Armitage trend test (without the
    # (n - 1) / n factor of its unconditional variance)
    x = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    y = [0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1]
    z, p = stratified_trend(x, y, ["s"] * len(x))
    n = len(x)
    xs, ys = np.array(x, float), np.array(y, float)
    armitage = ((xs - xs.mean()) @ ys) / np.sqrt(ys.mean() * (1 - ys.mean()) * n / (n - 1)
                                                * np.sum((xs - xs.mean()) ** 2))  # fmt: skip
    assert z == pytest.approx(armitage) and z > 0 and p < 0.05
    # strata: a difference between seeds (seed 1 succeeds everywhere) is not a trend
    seeds = np.repeat(np.arange(10), 4)
    setting = np.tile([0, 1, 2, 3], 10)
    success = (seeds < 5).astype(int)
    assert stratified_trend(setting, success, seeds) == (0.0, 1.0)
    rising = (setting >= 2).astype(int)
    z, p = stratified_trend(setting, rising, seeds)
    assert z > 0 and p < 1e-4
    z, _ = stratified_trend(setting, 1 - rising, seeds)
    assert z < 0
