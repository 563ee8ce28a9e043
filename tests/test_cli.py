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
    assert code == 0 and captured.err == f"neuroevo: wrote {plot}\n"  # --quiet: no progress
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
        (["--mu", "0"], "MU must be an integer from 1 up; got 0"),
        (["--number-samples", "abc"], "number_samples must be an integer from 2 up"),
        (["--number-samples", "100.5"], "got 100.5, which is not a whole number"),
        (["--difficulty", "0"], "difficulty must be an integer from 1 up"),
        (["--middle-layer", "-3"], "middle_layer must be an integer from 1 up"),
        (["--ngen", "0"], "NGEN must be an integer from 1 up"),
        (["--rgen", "0"], "RGEN must be an integer from 1 up"),
        (["--cxpb", "1.2"], "CXPB must be a number from 0 to 1"),
        (["--mutpb", "x"], "MUTPB must be a number from 0 to 1"),
        (["--seed", "-1"], "seed must be an integer from 0 to 4294967295"),
        (["--test-size", "0.95"], "test_size must be a number from 0 to 0.9"),
        (["--target-accuracy", "2"], "target_accuracy must be a number from 0 to 1"),
        (["--number-samples", "2", "--test-size", "0.5"], "cannot hold out 0.5 of 2 points"),
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
    completed = run_cli("--difficulty", "0")
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [
        "neuroevo: error: argument --difficulty: difficulty must be an integer from 1 up; got 0"
    ]


def test_values_off_the_sliders_run_from_the_shell(capsys):
    # --ngen 5 runs five rounds; a population of 7 and 110.0 points are fine off the steps
    assert main(["--ngen", "5", "--rgen", "2", "--mu", "7", "--number-samples", "110.0",
                 "--no-early-stop", "--json", "--quiet"]) == 0  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    assert (summary["NGEN"], summary["generations"]) == (5, 10)
    assert (summary["MU"], summary["number_samples"]) == (7, 110)


def test_plot_reports_the_file_it_wrote_with_held_out_points(tmp_path, capsys):
    path = tmp_path / "best.png"
    args = ["--ngen", "2", "--mu", "20", "--test-size", "0.25", "--quiet", "--plot", str(path)]
    assert main(args) == 0
    assert capsys.readouterr().err.strip() == f"neuroevo: wrote {path}"
    assert path.stat().st_size > 10_000


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "neuroevo"]
    assert script.value == "neuroevo_utils.cli:main"


def test_help_lists_the_method_table(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "algorithms (--algorithm):" in out and "engines (--engine" in out
    assert "problems (--problem):" in out and "digits" in out
    assert "cma-es" in out and "ignores MU, CXPB, MUTPB, engine" in out
    assert "the lesson's fixed operators on arrays" in out and "takes no toolbox" in out
