import json
import subprocess
import sys

import pytest

from neuroevo_utils.cli import main

JSON_KEYS = {
    "problem",
    "number_samples",
    "difficulty",
    "middle_layer",
    "seed",
    "train_accuracy",
    "test_accuracy",
    "generations",
    "evaluations",
    "seconds",
    "stopped_early",
}


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "neuroevo_utils", *args], capture_output=True, text=True, timeout=600
    )


def test_default_run_reproduces_the_lesson_as_one_json_object():
    completed = run_cli("--json")
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)  # exactly one JSON object, nothing else on stdout
    assert JSON_KEYS <= summary.keys()
    assert summary["problem"] == "circles" and summary["number_samples"] == 100
    assert summary["seed"] == 64 and summary["test_accuracy"] is None
    assert (summary["train_accuracy"], summary["generations"], summary["stopped_early"]) == (
        1.0,
        50,
        True,
    )
    assert "round 5/100" in completed.stderr  # progress goes to stderr


def test_held_out_accuracy_numpy_engine_and_plot(tmp_path, capsys):
    plot = tmp_path / "boundary.png"
    code = main(
        [
            "--problem",
            "moons",
            "--number-samples",
            "200",
            "--difficulty",
            "2",
            "--test-size",
            "0.25",
            "--engine",
            "numpy",
            "--mu",
            "200",
            "--target-accuracy",
            "0.95",
            "--plot",
            str(plot),
            "--json",
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert code == 0 and captured.err == ""
    assert summary["engine"] == "numpy" and summary["test_size"] == 0.25
    assert summary["train_accuracy"] >= 0.95 and 0.5 < summary["test_accuracy"] <= 1.0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_early_stop_runs_every_round(capsys):
    main(
        [
            "--problem",
            "moons",
            "--engine",
            "numpy",
            "--mu",
            "20",
            "--rgen",
            "1",
            "--no-early-stop",
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert "generations: 100" in out and "stopped_early: False" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mu", "3"], "MU must be an integer from 5 to 1000 (slider step 5); got 3"),
        (["--number-samples", "abc"], "number_samples must be an integer from 100 to 1000"),
        (["--difficulty", "9"], "difficulty must be an integer from 1 to 5"),
        (["--middle-layer", "30"], "middle_layer must be an integer from 5 to 25"),
        (["--ngen", "50"], "NGEN must be an integer from 100 to 1000"),
        (["--rgen", "0"], "RGEN must be an integer from 1 to 100"),
        (["--cxpb", "1.2"], "CXPB must be a number from 0 to 1"),
        (["--mutpb", "x"], "MUTPB must be a number from 0 to 1"),
        (["--seed", "-1"], "seed must be an integer from 0 to 4294967295"),
        (["--test-size", "0.95"], "test_size must be a number from 0 to 0.9"),
        (["--target-accuracy", "2"], "target_accuracy must be a number from 0.5 to 1"),
        (
            ["--problem", "spirals"],
            "'classification', 'blobs', 'gaussian quantiles', 'moons', 'circles'",
        ),
        (["--engine", "torch"], "engine must be one of 'lesson', 'deap', 'numpy'; got 'torch'"),
        (["--plot", "/no/such/folder/x.png"], "folder '/no/such/folder' does not exist"),
    ],
)
def test_bad_flags_exit_2_with_one_line_naming_the_range(args, message, capsys):
    with pytest.raises(SystemExit) as exited:
        main(args)
    captured = capsys.readouterr()
    assert exited.value.code == 2 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_a_bad_flag_from_the_shell_prints_no_traceback():
    completed = run_cli("--difficulty", "7")
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [
        "neuroevo: error: argument --difficulty: difficulty must be an integer from 1 to 5 "
        "(slider step 1); got 7"
    ]


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "neuroevo"]
    assert script.value == "neuroevo_utils.cli:main"
