import numpy as np
import pytest

from neuroevo_utils import accuracy, load_data, run_experiment


def test_defaults_use_all_points_for_training():
    experiment = run_experiment({"problem": "moons", "MU": 100, "engine": "numpy"})
    X, _Y = load_data("moons", 100, 1, random_state=64)
    np.testing.assert_array_equal(experiment.X_train, X)
    assert experiment.X_test is None and experiment.test_accuracy is None
    assert experiment.summary()["test_accuracy"] is None


def test_test_points_are_held_out_of_training():
    experiment = run_experiment(
        {"problem": "blobs", "difficulty": 3, "test_size": 0.3, "MU": 100, "engine": "numpy"}
    )
    assert len(experiment.X_train) == 70 and len(experiment.X_test) == 30
    train_rows = {tuple(r) for r in experiment.X_train}
    assert not any(tuple(r) in train_rows for r in experiment.X_test)
    network = experiment.result.network()
    assert experiment.test_accuracy == accuracy(network, experiment.X_test, experiment.Y_test)
    summary = experiment.summary()
    assert summary["test_accuracy"] == round(experiment.test_accuracy, 3)
    assert summary["train_accuracy"] == round(
        accuracy(network, experiment.X_train, experiment.Y_train), 3
    )


def test_bad_values_are_rejected_before_any_work():
    with pytest.raises(ValueError, match="problem must be one of"):
        run_experiment({"problem": "xor"})
    with pytest.raises(ValueError, match="engine must be one of"):
        run_experiment({"engine": "jax"})
