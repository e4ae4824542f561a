"""Fixtures for the sync facade: the emulator runs on a loop of its own, in a background thread,
because ``Freestyle`` blocks the thread that calls it (the test's)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator

import pytest
from _emulator_thread import EmulatorThread

from freestyle_async.sync import Freestyle


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


def tasks_on_loop(fs: Freestyle, *, settle: float = 0.0) -> list[str]:
    """Tasks on the Freestyle's loop other than the one asking (their reprs). With ``settle``,
    first waits up to that many seconds for them to end (a cancellation takes iterations)."""

    async def snapshot() -> list[str]:
        deadline = time.monotonic() + settle
        while True:
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if not others or time.monotonic() >= deadline:
                return [repr(t) for t in others]
            await asyncio.sleep(0.005)

    return fs._portal.call(snapshot)
