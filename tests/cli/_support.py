"""Helpers of the ``freestyle`` command tests: the emulator on its own thread, and a runner.

Each command runs its own ``asyncio.run``, so the emulator cannot share the test's loop: it
runs on a thread with its own event loop, on a free loopback port.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from typing import Any

from click.testing import CliRunner, Result

from freestyle_async.cli._app import cli
from freestyle_async.testing import Emulator, Faults


class ThreadedEmulator:
    """An :class:`Emulator` served from a background thread and its own event loop."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.emulator: Emulator | None = None

    def start(self) -> ThreadedEmulator:
        self._thread.start()

        async def up() -> Emulator:
            return await Emulator(**self._kwargs).start()

        self.emulator = asyncio.run_coroutine_threadsafe(up(), self._loop).result(timeout=30)
        return self

    def stop(self) -> None:
        if self.emulator is not None:
            asyncio.run_coroutine_threadsafe(self.emulator.stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    @property
    def emu(self) -> Emulator:
        assert self.emulator is not None
        return self.emulator

    def set_faults(self, faults: Faults | None) -> None:
        """Change the faults on the emulator's own loop (and wait until it is done)."""

        async def change() -> None:
            self.emu.faults = faults

        asyncio.run_coroutine_threadsafe(change(), self._loop).result(timeout=30)

    def stored_count(self, campaign_id: str) -> int:
        async def count() -> int:
            return len(self.emu.stored_records(campaign_id))

        return asyncio.run_coroutine_threadsafe(count(), self._loop).result(timeout=30)


class Cli:
    """Runs ``freestyle`` in-process with the emulator's key and URL in the environment."""

    def __init__(self, emulator: ThreadedEmulator) -> None:
        self.emulator = emulator
        self.runner = CliRunner()

    @property
    def env(self) -> dict[str, str | None]:
        emu = self.emulator.emu
        return {
            "FREESTYLE_API_KEY": emu.api_key,
            "FREESTYLE_BASE_URL": emu.base_url,
            "NO_COLOR": None,
            "FORCE_COLOR": None,
            "COLUMNS": None,
        }

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
        merged = {**self.env, **(env or {})}
        return self.runner.invoke(cli, list(args), env=merged, catch_exceptions=False)
