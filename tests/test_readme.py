"""The README's results are the committed results files' (never typed by hand), and the README
stays a front door: short, with what it leaves out in the files it links."""

import json
import re
from importlib import util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def benchmark_module(name: str):
    """A script of ``benchmarks/`` (not a package), loaded as a module."""
    spec = util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_results_block_is_what_the_results_files_give():
    module = benchmark_module("readme_results")
    assert module.results_block() in README, (
        "README's results differ from the committed results files: run "
        "`.venv/bin/python benchmarks/readme_results.py --write`"
    )


def test_the_readme_is_short_and_its_local_links_exist():
    # about 60 of them the generated results, 8 the measured set-up costs
    assert len(README.splitlines()) <= 240
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target


def test_the_set_up_costs_and_quick_tier_time_are_the_measured_ones():
    module = benchmark_module("bench_setup")
    assert module.SETUP.exists(), "run `.venv/bin/python benchmarks/bench_setup.py`"
    found = json.loads(module.SETUP.read_text())
    assert module.setup_block(found) in README, (
        "README's set-up costs differ from results/setup.json: run "
        "`.venv/bin/python benchmarks/bench_setup.py --write-only`"
    )
    stated = f"about {found['quick_tier_seconds']} s"
    for name in ("dev.py", "CONTRIBUTING.md"):
        assert stated in (ROOT / name).read_text(), f"{name}: quick tier {stated!r}"
