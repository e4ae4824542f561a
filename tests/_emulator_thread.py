"""An :class:`Emulator` served on a thread of its own, for tests whose code under test blocks
or runs its own ``asyncio.run`` (the sync facade, the ``freestyle`` command, README examples).

``tests/`` is on ``sys.path`` (as for ``_hygiene``): ``from _emulator_thread import
EmulatorThread``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from freestyle_async import AsyncFreestyle
from freestyle_async.testing import Emulator, Faults

__all__ = ["EmulatorThread"]

T = TypeVar("T")

_TIMEOUT = 30.0


class EmulatorThread:
    """An :class:`Emulator` (``Emulator(**kwargs)``) started on its own event loop on a daemon
    thread; :meth:`stop` stops both. Its state is read and changed on that loop."""

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
        return asyncio.run_coroutine_threadsafe(fn(), self._loop).result(timeout=_TIMEOUT)

    def set_faults(self, faults: Faults | None) -> None:
        """Change the faults on the emulator's own loop (and wait until it is done)."""

        async def assign() -> None:
            self.emu.faults = faults

        self.run(assign)

    def requests(self) -> int:
        """Requests the emulator has received so far."""

        async def read() -> int:
            return self.emu.counters.requests

        return self.run(read)

    def stored_count(self, campaign_id: str) -> int:
        """Records uploads have stored in a dial campaign so far."""

        async def count() -> int:
            return len(self.emu.stored_records(campaign_id))

        return self.run(count)

    def async_call(self, fn: Callable[[AsyncFreestyle], Coroutine[Any, Any, T]]) -> T:
        """Run ``fn`` with a fresh AsyncFreestyle on a private loop: the reference answer."""

        async def main() -> T:
            async with AsyncFreestyle(self.emu.api_key, base_url=self.emu.base_url) as client:
                return await fn(client)

        return asyncio.run(main())

    def stop(self) -> None:
        """Stop the emulator, then its loop and thread."""
        self.run(self.emu.stop)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(_TIMEOUT)
        self._loop.close()
