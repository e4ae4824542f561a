"""Fixtures of the README tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from freestyle_async.testing import Emulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """An emulator on its own thread and loop: examples call ``asyncio.run`` themselves."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    emu = Emulator(seed=0)
    asyncio.run_coroutine_threadsafe(emu.start(), loop).result(timeout=30)
    try:
        yield emu
    finally:
        asyncio.run_coroutine_threadsafe(emu.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
