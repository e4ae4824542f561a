"""The suites' ``EmulatorThread``: the package's :class:`freestyle_async.testing.EmulatorThread`,
started when made, with the few readings only these tests need.

``tests/`` is on ``sys.path`` (as for ``_hygiene``): ``from _emulator_thread import
EmulatorThread``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from freestyle_async import AsyncFreestyle, testing
from freestyle_async.testing import Emulator

__all__ = ["EmulatorThread"]

T = TypeVar("T")


class EmulatorThread(testing.EmulatorThread):
    """The package's emulator thread, already running (``EmulatorThread(seed=0)``); ``emu``
    is its :class:`Emulator`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start()

    @property
    def emu(self) -> Emulator:
        return self.emulator

    def requests(self) -> int:
        """Requests the emulator has received so far."""

        async def read() -> int:
            return self.emulator.counters.requests

        return self.run(read)

    def stored_count(self, campaign_id: str) -> int:
        """Records uploads have stored in a dial campaign so far."""
        return len(self.stored_records(campaign_id))

    def async_call(self, fn: Callable[[AsyncFreestyle], Coroutine[Any, Any, T]]) -> T:
        """Run ``fn`` with a fresh AsyncFreestyle on a private loop: the reference answer."""

        async def main() -> T:
            async with AsyncFreestyle(self.api_key, base_url=self.base_url) as client:
                return await fn(client)

        return asyncio.run(main())
