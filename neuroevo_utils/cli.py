"""``python -m neuroevo_utils`` / ``neuroevo``: run the experiment from a shell.

With no flags it reproduces the lesson: circles, 100 points, all used for training, seed 64.
Any registered method runs on any registered problem (``--help`` lists them), e.g.
``--problem digits --algorithm es``. Progress goes to stderr; the summary (or, with
``--json``, one JSON object) to stdout.

``neuroevo sweep`` (notebook 06) runs it over many values x seeds: each flag takes one or
more values, ``--seeds 0-19`` the seeds, ``--scheduler serial|processes|dask`` says where the
runs go, and ``--out runs.jsonl`` keeps every finished run (a rerun skips them).

Every flag is made from the parameter spec (:mod:`neuroevo_utils.parameters`), and the
values given go into one :class:`~neuroevo_utils.settings.Settings`, checked once: a bad
value or combination exits with status 2 and one line, before any work, and before the
slow libraries are even imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .methods import methods_help
from .parameters import PARAMETERS, Parameter
from .paths import check_output_path
from .problems import PROBLEM_TABLE
from .scheduling import DASK_ADDRESS_VARIABLE, SCHEDULERS
from .settings import Settings


def flag(name: str) -> str:
    """The command-line flag of a parameter: ``MU`` -> ``--mu``, ``test_size`` ->
    ``--test-size``."""
    return "--" + name.lower().replace("_", "-")


class _OneLineErrorParser(argparse.ArgumentParser):
    """Report a bad flag in one line (no usage dump, no traceback) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")

    def refuse(self, error: ValueError) -> NoReturn:
        """A value the settings refused, naming its flag when one parameter is to blame."""
        name = getattr(error, "parameter", None)
        self.error(f"argument {flag(name)}: {error}" if name in PARAMETERS else str(error))


def _parse_as(spec: Parameter):
    """Read a flag's text as the parameter's type; its range is checked by ``Settings``."""

    def parse(text: str) -> Any:
        if spec.choices is not None:
            return text
        try:  # "100.0" is a float here; Settings accepts it for an integer
            whole = spec.is_integer and text.lstrip("+-").isdigit()
            return int(text) if whole else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{spec.name} must be {spec.describe_range()}; got {text!r}"
            ) from None

    parse.__name__ = spec.name  # argparse names the type in some messages
    return parse


def _add_parameter_flags(parser: argparse.ArgumentParser, several: bool) -> None:
    """One flag per parameter, from the spec; a flag not given is not passed on, so the
    problem's own defaults apply. ``several``: each flag takes one or more values (a sweep;
    its seeds come from ``--seeds`` instead of ``--seed``)."""
    for name, spec in PARAMETERS.items():
        if several and name == "seed":
            continue
        parser.add_argument(
            flag(name), dest=name, type=_parse_as(spec), nargs="+" if several else None,
            default=None, metavar=name.upper() if spec.choices is None else "NAME",
            help=f"{spec.help}; {'each ' if several else ''}{spec.describe_range()} "
            f"(default {spec.default!r})",
        )  # fmt: skip


def _given(args: argparse.Namespace) -> dict[str, Any]:
    return {name: value for name in PARAMETERS if (value := getattr(args, name, None)) is not None}


def problems_help() -> str:
    lines = ["problems (--problem):"]
    lines += [f"  {name:19} {spec.summary}" for name, spec in PROBLEM_TABLE.items()]
    return "\n".join(lines)


def build_parser() -> _OneLineErrorParser:
    parser = _OneLineErrorParser(
        prog="neuroevo",
        description="Train a small neural network's weights by evolution (the lesson's "
        "experiment) or by any other registered method. Defaults reproduce the lesson. For "
        "many values and seeds at once, see `neuroevo sweep --help`.",
        epilog=problems_help() + "\n" + methods_help() + "\nA flag the chosen algorithm or "
        "problem ignores is refused; unused_parameters in the summary lists those left at "
        "their defaults.",
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


def _progress(report) -> None:
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

    network, problem = experiment.result.network(), experiment.settings.problem
    shown = [("training points", experiment.X_train, experiment.Y_train)]
    if experiment.X_test is not None:
        shown.append(("held-out points", experiment.X_test, experiment.Y_test))
    figure, axes = figure_grid(1, len(shown), panel_height=4.5)
    every_point = np.concatenate([X for _, X, _ in shown])  # one plane: the same axes
    for ax, (name, X, Y) in zip(axes[0], shown, strict=True):
        show_predictions(network, X, Y, name=f"best network on {problem}, {name}", ax=ax,
                         extent=every_point)  # fmt: skip
    figure.savefig(path, dpi=100, bbox_inches="tight", format="png")
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sweep"]:
        return sweep_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.of(_given(args))
        if args.plot:
            check_output_path(args.plot, "--plot")
            if settings.shape.inputs != 2:
                raise ValueError(f"--plot draws a boundary in the plane; problem "
                                 f"{settings.problem!r} has {settings.shape.inputs} inputs")
    except ValueError as error:
        parser.refuse(error)
    from .evolution import run
    from .experiment import Experiment
    from .problems import make_problem

    try:
        problem = make_problem(settings)
    except ValueError as error:  # data that cannot be made as asked (too few points to split)
        parser.refuse(error)
    result = run(problem, settings, early_stop=not args.no_early_stop,
                 on_round=None if args.quiet else _progress)  # fmt: skip
    experiment = Experiment(settings, problem, result)
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


SEEDS_FORM = "0-19, 0,5,9 or 0-4,10"


def _parse_seeds(text: str) -> list[int]:
    """``"0-19"``, ``"0,5,9"``, or both (``"0-4,10"``): the seeds, in order, each once."""
    spec = PARAMETERS["seed"]
    seeds: list[int] = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise argparse.ArgumentTypeError(
                f"seeds must look like {SEEDS_FORM}, each seed {spec.describe_range()}; "
                f"got {text!r}"
            )
        first, last = int(low), int(high or low)
        if last < first:
            raise argparse.ArgumentTypeError(f"the range {part.strip()!r} runs backwards; "
                                             f"write it as {last}-{first}")  # fmt: skip
        for seed in (first, last):
            try:
                spec.validate(seed)
            except ValueError as error:
                raise argparse.ArgumentTypeError(str(error)) from None
        seeds += [n for n in range(first, last + 1) if n not in seeds]
    return seeds


def build_sweep_parser() -> _OneLineErrorParser:
    parser = _OneLineErrorParser(
        prog="neuroevo sweep",
        description="Run the experiment for every combination of the values given (each "
        "flag takes one or more) with every seed. Each finished run is appended to --out as "
        "one JSON line; run the same command again to finish an interrupted sweep.",
    )
    _add_parameter_flags(parser, several=True)
    parser.add_argument("--seeds", type=_parse_seeds, default=list(range(20)),
                        help=f"seeds, e.g. {SEEDS_FORM} (default 0-19)")  # fmt: skip
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
    parser = build_sweep_parser()
    args = parser.parse_args(argv)
    if args.dask_address and args.scheduler != "dask":
        parser.error("--dask-address needs --scheduler dask")
    try:
        check_output_path(args.out, "--out")
    except ValueError as error:
        parser.error(str(error))
    grid = {name: list(dict.fromkeys(values)) for name, values in _given(args).items()}
    from .study import run_study, summary

    try:
        rows = run_study(
            grid=grid, seeds=args.seeds, results=args.out, scheduler=args.scheduler,
            workers=args.workers, dask_address=args.dask_address,
            progress=not args.no_progress,
        )  # fmt: skip
    except ConnectionError as error:
        parser.error(str(error))
    except ValueError as error:  # refused before any run started: nothing was written
        parser.refuse(error)
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted; every finished run is in {args.out}: run the same "
              "command again to do the rest", file=sys.stderr)  # fmt: skip
        return 130
    failed = rows["error"].notna()
    if failed.all():
        print(f"{parser.prog}: every one of the {len(rows)} runs failed; the first: "
              f"{rows['error'].iloc[0]}", file=sys.stderr)  # fmt: skip
        return 1
    varied = [name for name, values in grid.items() if len(values) > 1] or ["problem"]
    # medians of whole generations and evaluations print as whole numbers ("95", not "95.0")
    print(summary(rows, varied).to_string(index=False, float_format="{:g}".format))
    print(f"{parser.prog}: {len(rows)} runs in {args.out}"
          + (f", {int(failed.sum())} of them failed" if failed.any() else ""),
          file=sys.stderr)  # fmt: skip
    return 0
