"""What the suites share about SDK clients: the fast retry policy, a retry sleep that does not
wait, and a factory whose clients are all closed at teardown.

``tests/`` is on ``sys.path`` (as for ``_hygiene``): ``from _clients import FAST_RETRIES``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from freestyle_async import AsyncFreestyle
from freestyle_async.testing.pytest_plugin import FAST_RETRIES

__all__ = ["FAST_RETRIES", "ClientFactory", "client_factory", "no_wait"]


async def no_wait(seconds: float) -> None:
    """A ``RetryPolicy(sleep=...)`` that yields to the loop once but does not wait."""
    await asyncio.sleep(0)


class ClientFactory:
    """``make(base_url=None, **options)``: an :class:`AsyncFreestyle` built from the suite's
    defaults, overridden by ``options`` (and ``base_url`` when given)."""

    def __init__(self, **defaults: Any) -> None:
        self._defaults = defaults
        self._made: list[AsyncFreestyle] = []

    def __call__(self, base_url: str | None = None, **options: Any) -> AsyncFreestyle:
        if base_url is not None:
            options["base_url"] = base_url
        client = AsyncFreestyle(**{**self._defaults, **options})
        self._made.append(client)
        return client

    async def aclose(self) -> None:
        """Close every client made so far."""
        for client in self._made:
            await client.aclose()


@asynccontextmanager
async def client_factory(**defaults: Any) -> AsyncIterator[ClientFactory]:
    """A :class:`ClientFactory` with these defaults; its clients are closed on the way out (the
    body of a ``make_client`` fixture)."""
    factory = ClientFactory(**defaults)
    try:
        yield factory
    finally:
        await factory.aclose()
