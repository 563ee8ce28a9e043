"""``python -m neuroevo_utils`` / ``neuroevo``: run the lesson's experiment from a shell.

With no flags it reproduces the lesson: circles, 100 points, all used for training, seed 64.
Progress goes to stderr; the summary (or, with ``--json``, one JSON object) to stdout.

``neuroevo sweep`` (notebook 06) runs it over many values × seeds: each flag takes one or
more values, ``--seeds 0-19`` the seeds, ``--scheduler serial|processes|dask`` says where the
runs go, and ``--out runs.jsonl`` keeps every finished run (a rerun skips them).
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
from .methods import methods_help
from .parameters import PARAMETERS, Parameter
from .scheduling import DASK_ADDRESS_VARIABLE, SCHEDULERS

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


def _add_parameter_flags(parser: argparse.ArgumentParser, several: bool) -> None:
    """One flag per parameter, from the spec. ``several``: each flag takes one or more values
    (a sweep; its seeds come from ``--seeds`` instead of ``--seed``)."""
    for flag, name in _FLAGS.items():
        if several and name == "seed":
            continue
        spec = PARAMETERS[name]
        parser.add_argument(
            flag, dest=name, type=_parse_as(spec),
            nargs="+" if several else None, default=None if several else spec.default,
            metavar=name.upper() if spec.choices is None else "NAME",
            help=f"{spec.help}; {'each ' if several else ''}{spec.describe_range()} "
            f"(default {spec.default!r})",
        )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrorParser(
        prog="neuroevo",
        description="Train a small neural network's weights with a genetic algorithm "
        "(the lesson's experiment). Defaults reproduce the lesson. For many values and seeds "
        "at once, see `neuroevo sweep --help`.",
        epilog=methods_help() + "\nA flag the chosen algorithm ignores is refused; "
        "unused_parameters in the summary lists those left at their defaults.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_parameter_flags(parser, several=False)
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
    import numpy as np

    from .plots import figure_grid, show_predictions

    network, problem = experiment.result.network(), experiment.parameters["problem"]
    shown = [("training points", experiment.X_train, experiment.Y_train)]
    if experiment.X_test is not None:
        shown.append(("held-out points", experiment.X_test, experiment.Y_test))
    figure, axes = figure_grid(1, len(shown), panel_height=4.5)
    every_point = np.concatenate([X for _, X, _ in shown])  # one plane: the same axes
    for ax, (name, X, Y) in zip(axes[0], shown, strict=True):
        show_predictions(network, X, Y, name=f"best network on {problem}, {name}", ax=ax,
                         extent=every_point)  # fmt: skip
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sweep"]:
        return sweep_main(argv[1:])
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
        width = max(map(len, summary))
        for key, value in summary.items():
            print(f"{key:>{width}}: {value}")
    return 0


def _parse_seeds(text: str) -> list[int]:
    """``"0-19"``, ``"0,5,9"``, or both (``"0-4,10"``): the seeds, in order, each once."""
    seeds: list[int] = []
    try:
        for part in text.split(","):
            low, _, high = part.strip().partition("-")
            numbers = range(int(low), int(high or low) + 1)
            if not numbers:
                raise ValueError
            seeds += [PARAMETERS["seed"].validate(n) for n in numbers if n not in seeds]
    except ValueError as error:
        detail = f" ({error})" if str(error) else ""
        raise argparse.ArgumentTypeError(
            f"seeds must look like 0-19, 0,5,9 or 0-4,10; got {text!r}{detail}"
        ) from None
    return seeds


def build_sweep_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrorParser(
        prog="neuroevo sweep",
        description="Run the lesson's experiment for every combination of the values given "
        "(each flag takes one or more) with every seed. Each finished run is appended to "
        "--out as one JSON line; run the same command again to finish an interrupted sweep.",
    )
    _add_parameter_flags(parser, several=True)
    parser.add_argument(
        "--seeds", type=_parse_seeds, default=list(range(20)),
        help="seeds, e.g. 0-19 (the default), 0,5,9 or 0-4,10",
    )  # fmt: skip
    parser.add_argument("--scheduler", choices=SCHEDULERS, default="serial",
                        help="where the runs go (default serial)")  # fmt: skip
    parser.add_argument("--workers", type=_positive_int, metavar="N",
                        help="worker processes (default: one per core)")  # fmt: skip
    parser.add_argument(
        "--dask-address", metavar="ADDRESS",
        help="an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: "
        f"${DASK_ADDRESS_VARIABLE}, else a LocalCluster started and stopped here)",
    )  # fmt: skip
    parser.add_argument(
        "--out", required=True, metavar="PATH",
        help="results file, JSON lines; runs already in it are skipped",
    )  # fmt: skip
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return parser


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up; got {text!r}")
    return int(text)


def sweep_main(argv: Sequence[str]) -> int:
    from .sweep import sweep, sweep_summary

    parser = build_sweep_parser()
    args = parser.parse_args(argv)
    if args.dask_address and args.scheduler != "dask":
        parser.error("--dask-address needs --scheduler dask")
    grid = {name: getattr(args, name) for name in _FLAGS.values() if name != "seed"}
    grid = {name: list(dict.fromkeys(values)) for name, values in grid.items() if values}
    try:
        runs = sweep(
            grid, args.seeds, results=args.out, scheduler=args.scheduler,
            workers=args.workers, dask_address=args.dask_address,
            progress=not args.no_progress,
        )  # fmt: skip
    except (ValueError, ConnectionError) as error:
        parser.error(str(error))
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted; every finished run is in {args.out}: run the same "
              "command again to do the rest", file=sys.stderr)  # fmt: skip
        return 130
    varied = [name for name, values in grid.items() if len(values) > 1] or ["problem"]
    # medians of whole generations and evaluations print as whole numbers ("95", not "95.0")
    print(sweep_summary(runs, varied).to_string(index=False, float_format="{:g}".format))
    print(f"{parser.prog}: {len(runs)} runs in {args.out}", file=sys.stderr)
    return 0
