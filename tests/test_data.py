import numpy as np
import pytest
import sklearn.datasets

from neuroevo_utils import PROBLEMS, load_data, split_data


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("difficulty", [1, 2, 3, 4, 5])
def test_every_problem_and_difficulty_gives_two_classes_in_2d(problem, difficulty):
    X, Y = load_data(problem, 125, difficulty, random_state=0)
    assert X.shape == (125, 2) and X.dtype == float
    assert Y.shape == (125,) and Y.dtype.kind == "i"
    assert set(np.unique(Y)) == {0, 1}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_same_seed_same_data(problem):
    X1, Y1 = load_data(problem, 100, 3, random_state=7)
    X2, Y2 = load_data(problem, 100, 3, random_state=7)
    X3, _ = load_data(problem, 100, 3, random_state=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize(
    ("problem", "maker"),
    [("moons", sklearn.datasets.make_moons), ("circles", sklearn.datasets.make_circles)],
)
def test_difficulty_1_is_the_lessons_noise_free_data(problem, maker):
    X, Y = load_data(problem, 100, 1, random_state=3)
    X_lesson, Y_lesson = maker(n_samples=100, random_state=3)
    np.testing.assert_array_equal(X, X_lesson)
    np.testing.assert_array_equal(Y, Y_lesson)


@pytest.mark.parametrize("problem", ["moons", "circles"])
def test_difficulty_adds_noise_to_moons_and_circles(problem):
    clean, _ = load_data(problem, 200, 1, random_state=0)
    spreads = [
        np.abs(load_data(problem, 200, d, random_state=0)[0] - clean).mean() for d in (2, 3, 5)
    ]
    assert 0 < spreads[0] < spreads[1] < spreads[2]


def test_blobs_spread_grows_with_difficulty():
    std = [load_data("blobs", 400, d, random_state=0)[0].std() for d in (1, 5)]
    assert std[1] > 2 * std[0]


def test_unknown_problem_lists_the_valid_ones():
    with pytest.raises(
        ValueError,
        match="one of 'classification', 'blobs', 'gaussian quantiles', 'moons', 'circles'",
    ):
        load_data("spiral")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"number_samples": 1}, "number_samples"), ({"difficulty": 0}, "difficulty")],
)
def test_out_of_range_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        load_data("moons", **kwargs)


def test_split_is_seeded_stratified_and_disjoint():
    X, Y = load_data("moons", 200, 2, random_state=1)
    X_train, X_test, _Y_train, Y_test = split_data(X, Y, test_size=0.25, random_state=5)
    assert len(X_test) == 50 and len(X_train) == 150
    assert Y_test.mean() == pytest.approx(0.5)  # stratified: classes stay balanced
    again = split_data(X, Y, test_size=0.25, random_state=5)
    np.testing.assert_array_equal(X_test, again[1])
    rows = {tuple(r) for r in X_train}
    assert not any(tuple(r) in rows for r in X_test)


@pytest.mark.parametrize("test_size", [0, 1, -0.1, 1.5])
def test_split_rejects_sizes_outside_zero_one(test_size):
    with pytest.raises(ValueError, match="test_size must be strictly between 0 and 1"):
        split_data(np.zeros((10, 2)), np.arange(10) % 2, test_size=test_size)
