"""Fixtures for the ``freestyle`` command tests: a module-wide emulator and a runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._support import Cli, ThreadedEmulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[ThreadedEmulator]:
    threaded = ThreadedEmulator(seed=0).start()
    try:
        yield threaded
    finally:
        threaded.stop()


@pytest.fixture
def run(emulator: ThreadedEmulator) -> Cli:
    return Cli(emulator)
