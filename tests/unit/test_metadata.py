"""The package's metadata claims only what CI checks."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
PREFIX = "Programming Language :: Python :: 3."


def project() -> dict[str, Any]:
    with PYPROJECT.open("rb") as f:
        table: dict[str, Any] = tomllib.load(f)["project"]
    return table


def test_the_python_classifiers_name_only_the_version_ci_runs() -> None:
    # .ci/run tests with one interpreter (this one): a classifier for another would claim a
    # version no test has run on.
    claimed = {c.removeprefix(PREFIX) for c in project()["classifiers"] if c.startswith(PREFIX)}
    assert claimed == {str(sys.version_info.minor)}
