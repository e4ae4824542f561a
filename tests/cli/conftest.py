"""Fixtures for the ``freestyle`` command tests: a module-wide emulator and a runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._support import Cli, EmulatorThread


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorThread]:
    threaded = EmulatorThread(seed=0)
    try:
        yield threaded
    finally:
        threaded.stop()


@pytest.fixture
def run(emulator: EmulatorThread) -> Cli:
    return Cli(emulator)
