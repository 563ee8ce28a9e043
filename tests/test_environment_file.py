"""environment.yml (conda) must list exactly what pyproject.toml (pip) installs."""

import re
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


BENCHMARK_ONLY = {"peers"}
"""Extras no notebook or test needs (the peers benchmark's libraries): pip only, not conda."""


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    lines = project["dependencies"] + [
        r for name, extra in extras.items() if name not in BENCHMARK_ONLY for r in extra
    ]
    requirements = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is None:  # back-ports for old Pythons are not needed under conda
            requirements[requirement.name.lower()] = str(requirement.specifier)
    return requirements


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_requirements():
    requirements = {}
    for entry in environment()["dependencies"]:
        if isinstance(entry, str):
            name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", entry).groups()
            requirements[name.lower()] = spec.replace(" ", "")
    return requirements


def test_same_packages_and_versions_as_pyproject():
    conda = conda_requirements()
    assert conda.pop("python") == ">=3.10"
    assert conda.pop("pip") == ""
    assert conda == pyproject_requirements()


def test_conda_forge_channel_and_editable_install():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    pip_section = [e for e in env["dependencies"] if isinstance(e, dict)]
    assert pip_section == [{"pip": ["-e ."]}]


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"


def test_the_benchmark_only_extras_are_named_in_the_environment_file():
    text = (ROOT / "environment.yml").read_text()
    for extra in BENCHMARK_ONLY:
        assert f".[{extra}]" in text  # where to get them, said in a comment
