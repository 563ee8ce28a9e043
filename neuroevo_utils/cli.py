"""``python -m neuroevo_utils`` / ``neuroevo``: run the lesson's experiment from a shell.

With no flags it reproduces the lesson: circles, 100 points, all used for training, seed 64.
Progress goes to stderr; the summary (or, with ``--json``, one JSON object) to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .evolution import RoundReport
from .experiment import run_experiment
from .parameters import PARAMETERS, Parameter

# flag name -> lesson parameter name
_FLAGS = {
    "--problem": "problem",
    "--number-samples": "number_samples",
    "--difficulty": "difficulty",
    "--middle-layer": "middle_layer",
    "--mu": "MU",
    "--ngen": "NGEN",
    "--rgen": "RGEN",
    "--cxpb": "CXPB",
    "--mutpb": "MUTPB",
    "--seed": "seed",
    "--test-size": "test_size",
    "--target-accuracy": "target_accuracy",
    "--engine": "engine",
    "--algorithm": "algorithm",
    "--fitness": "fitness",
}


class _OneLineErrorParser(argparse.ArgumentParser):
    """Report a bad flag in one line (no usage dump, no traceback) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parse_as(spec: Parameter):
    def parse(text: str) -> Any:
        if spec.choices is not None:
            value: Any = text
        else:
            try:  # "100.0" is a float here; validate() accepts it for an integer
                whole = spec.is_integer and text.lstrip("+-").isdigit()
                value = int(text) if whole else float(text)
            except ValueError:
                raise argparse.ArgumentTypeError(
                    f"{spec.name} must be {spec.describe_range()}; got {text!r}"
                ) from None
        try:
            return spec.validate(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = spec.name  # argparse names the type in some messages
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrorParser(
        prog="neuroevo",
        description="Train a small neural network's weights with a genetic algorithm "
        "(the lesson's experiment). Defaults reproduce the lesson.",
    )
    for flag, name in _FLAGS.items():
        spec = PARAMETERS[name]
        parser.add_argument(
            flag,
            dest=name,
            type=_parse_as(spec),
            default=spec.default,
            metavar=name.upper() if spec.choices is None else "NAME",
            help=f"{spec.help}; {spec.describe_range()} (default {spec.default!r})",
        )
    parser.add_argument("--no-early-stop", action="store_true", help="run all NGEN rounds")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--plot", metavar="PATH", help="save the best network's boundary as PNG (and say so)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def _progress(report: RoundReport) -> None:
    print(
        f"round {report.round}/{report.rounds}  generation {report.generation}  "
        f"best accuracy {round(report.best_accuracy, 3)}",
        file=sys.stderr,
        flush=True,
    )


def _save_plot(experiment, path: str) -> None:
    """The best network's boundary on the training points, and on the held-out ones if any."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import figure_grid, show_predictions

    network, problem = experiment.result.network(), experiment.parameters["problem"]
    shown = [("training points", experiment.X_train, experiment.Y_train)]
    if experiment.X_test is not None:
        shown.append(("held-out points", experiment.X_test, experiment.Y_test))
    figure, axes = figure_grid(1, len(shown), panel_height=4.5)
    for ax, (name, X, Y) in zip(axes[0], shown, strict=True):
        show_predictions(network, X, Y, name=f"best network on {problem}, {name}", ax=ax)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.plot and not Path(args.plot).resolve().parent.is_dir():
        parser.error(f"argument --plot: folder {str(Path(args.plot).parent)!r} does not exist")
    parameters = {name: getattr(args, name) for name in _FLAGS.values()}
    try:
        experiment = run_experiment(
            parameters,
            early_stop=not args.no_early_stop,
            on_round=None if args.quiet else _progress,
        )
    except ValueError as error:  # values fine alone but not together (e.g. too few to split)
        parser.error(str(error))
    summary = experiment.summary()
    if args.plot:
        _save_plot(experiment, args.plot)
        print(f"{parser.prog}: wrote {args.plot}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>16}: {value}")
    return 0
