"""Do the series' claims survive a fresh draw of seeds?

    .venv/bin/python benchmarks/second_seed_set.py          # the studies (~30 min), the table
    .venv/bin/python benchmarks/second_seed_set.py --table  # the table from the saved runs only
    .venv/bin/python benchmarks/second_seed_set.py --write  # and into benchmarks/README.md

Every committed study — the nine of ``notebooks/results`` and the README's full study — is
run again exactly as committed, but on the seeds that come after its own (seeds 20-39 where
it has 20, 10-19 where it has 10, 5-9 where it has 5). The runs are saved in
``benchmarks/results/second_seed_set/`` (an interrupted run resumes). Then every registered
claim (``neuroevo_utils.claims``) is tested on both seed sets, Holm-adjusted within its
family on each, and the verdicts are printed side by side. ``tests/test_claims.py`` checks
that the table in ``benchmarks/README.md`` is the one the saved runs give.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from neuroevo_utils.claims import CLAIMS, SECOND_SET, STUDIES, Finding, evaluate, families
from neuroevo_utils.studies import load_study, save_study
from neuroevo_utils.study import EXERCISES, run_study, sweep

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_README = ROOT / "benchmarks" / "README.md"
LESSON_SIZE = dict(MU=1000, NGEN=1000, RGEN=1, engine="numpy")  # as benchmarks/full_study.py
START = "<!-- replication: made by benchmarks/second_seed_set.py; tests/test_claims.py checks -->"
END = "<!-- end of replication -->"


def run_again(name: str, scheduler: str) -> None:
    """Study ``name`` on the seeds after its own, saved beside the others."""
    started = time.perf_counter()
    if name == "full_study":
        for grid in EXERCISES.values():
            sweep(grid, range(20, 40), base=LESSON_SIZE, scheduler=scheduler,
                  results=SECOND_SET / "full_study.jsonl", progress=False)  # fmt: skip
    else:
        if (SECOND_SET / f"{name}.json").exists():
            return
        arguments = load_study(name)["arguments"]
        seeds = list(arguments["seeds"])
        arguments["seeds"] = list(range(max(seeds) + 1, max(seeds) + 1 + len(seeds)))
        partial = SECOND_SET / f"{name}.partial.jsonl"
        rows = run_study(**arguments, scheduler=scheduler, results=partial)
        save_study(name, arguments, rows, folder=SECOND_SET)
        partial.unlink()
    print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)


def said(finding: Finding) -> str:
    """A verdict in a few words, with its Holm-adjusted p."""
    claim, shown = finding.claim, f"p = {finding.adjusted:.2g}"
    if finding.verdict == "none":
        return f"cannot tell ({shown})"
    if claim.test in ("paired", "groups"):
        ahead = claim.a if finding.verdict == "a" else claim.b
        return f"{ahead} ahead ({shown})"
    return f"{finding.verdict} ({shown})"


def table() -> str:
    """Every claim's verdict on both seed sets, and whether the second agrees."""
    lines = ["| claim | asserted on the committed seeds | on the new seeds | replicates |",
             "|---|---|---|---|"]  # fmt: skip
    agree = 0
    for family in families():
        for first, again in zip(evaluate(family), evaluate(family, second_set=True),
                                strict=True):  # fmt: skip
            same = first.verdict == again.verdict
            agree += same
            lines.append(f"| {first.claim.id} | {said(first)} | {said(again)} | "
                         f"{'yes' if same else '**no**'} |")  # fmt: skip
    lines += ["", f"{agree} of {len(CLAIMS)} claims give the same verdict on the new seeds."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="only the table, from saved runs")
    parser.add_argument("--write", action="store_true", help="put the table into the README")
    parser.add_argument("--scheduler", default="processes", help="serial, processes or dask")
    options = parser.parse_args()
    if not (options.table or options.write):
        SECOND_SET.mkdir(parents=True, exist_ok=True)
        for name in STUDIES:
            run_again(name, options.scheduler)
    block = table()
    print(block)
    if options.write:
        text = BENCHMARKS_README.read_text()
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        BENCHMARKS_README.write_text(f"{before}{START}\n\n{block}\n\n{END}{after}")
        print(f"wrote the table into {BENCHMARKS_README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
