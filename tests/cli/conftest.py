"""Fixtures for the ``freestyle`` command tests: a module-wide emulator and a runner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._hostile import capture
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


@pytest.fixture(scope="module")
def answers(emulator: EmulatorThread) -> dict[str, Any]:
    """One answer per endpoint, read from the emulator, for :mod:`._hostile` to poison."""
    return capture(emulator)
