"""Fixtures of the README tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _emulator_thread import EmulatorThread

from freestyle_async.testing import Emulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """An emulator on its own thread and loop: examples call ``asyncio.run`` themselves."""
    server = EmulatorThread(seed=0)
    try:
        yield server.emu
    finally:
        server.stop()
