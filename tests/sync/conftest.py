"""Fixtures for the sync facade: the emulator runs on a loop of its own, in a background thread,
because ``Freestyle`` blocks the thread that calls it (the test's)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from freestyle_async import AsyncFreestyle
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Emulator, Faults

T = TypeVar("T")


class EmulatorThread:
    """An :class:`Emulator` served from its own event loop on a daemon thread."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="emulator", daemon=True)
        self._thread.start()
        self.emu: Emulator = self.run(self._start)

    async def _start(self) -> Emulator:
        return await Emulator(**self._kwargs).start()

    def run(self, fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run a coroutine function on the emulator's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(fn(), self._loop).result(timeout=30)

    def set_faults(self, faults: Faults | None) -> None:
        async def assign() -> None:
            self.emu.faults = faults

        self.run(assign)

    def requests(self) -> int:
        """Requests the emulator has received so far (read on its own loop)."""

        async def read() -> int:
            return self.emu.counters.requests

        return self.run(read)

    def async_call(self, fn: Callable[[AsyncFreestyle], Coroutine[Any, Any, T]]) -> T:
        """Run ``fn`` with a fresh AsyncFreestyle on a private loop: the reference answer."""

        async def main() -> T:
            async with AsyncFreestyle(self.emu.api_key, base_url=self.emu.base_url) as client:
                return await fn(client)

        return asyncio.run(main())

    def stop(self) -> None:
        self.run(self.emu.stop)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def emulator() -> Iterator[EmulatorThread]:
    server = EmulatorThread(seed=0, shutdown_timeout=0.1)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fs(emulator: EmulatorThread) -> Iterator[Freestyle]:
    client = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)
    try:
        yield client
    finally:
        client.close()


def open_sockets() -> int | None:
    """Sockets this process holds open, from ``/proc/self/fd`` (``None`` without ``/proc``)."""
    if not os.path.isdir("/proc/self/fd"):
        return None
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:  # closed while we looked
            pass
    return count


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True
