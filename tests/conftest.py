"""Shared test set-up.

The emulator and its client come from the package's own pytest plugin (the ``pytest11`` entry
point), as in a user's suite: ``emu`` and ``fs`` are its ``freestyle_emulator`` and
``freestyle_client`` under the short names the tests use. The sync and CLI suites, whose code
blocks the test's thread, override them with an emulator on a thread of its own.

``--uvloop`` runs the tests marked ``uvloop`` (``pytest -m uvloop --uvloop``) on uvloop's
event loop, as services under uvicorn run the client: the transport, retries, timeouts, drops,
TLS, bulk uploads and the emulator (which shares the test's loop).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from unittest.mock import Mock

import aioresponses.core
import pytest
from aiohttp import ClientResponse

if TYPE_CHECKING:
    from freestyle_async import AsyncFreestyle
    from freestyle_async.testing import Emulator

# Fails any test that leaves an aiohttp session or connector unclosed (tests/_hygiene.py).
pytest_plugins = ["_hygiene"]


def _patch_aioresponses_for_aiohttp_314() -> None:
    """aiohttp 3.14 made ``ClientResponse(stream_writer=...)`` required and aioresponses
    0.7.9 does not pass it (pnuckowski/aioresponses#289). Hand it a stand-in writer."""
    if "stream_writer" not in inspect.signature(ClientResponse.__init__).parameters:
        return

    class CompatClientResponse(ClientResponse):
        def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", Mock(output_size=0))
            super().__init__(method, url, **kwargs)

    aioresponses.core.ClientResponse = CompatClientResponse  # type: ignore[attr-defined]


_patch_aioresponses_for_aiohttp_314()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--uvloop",
        action="store_true",
        help="run the tests marked uvloop on uvloop's event loop (with -m uvloop: only those)",
    )


class _UvloopLoops:
    """pytest-asyncio's loop factory hook (its replacement for an ``event_loop_policy``
    fixture): uvloop's loop for a test marked ``uvloop``, asyncio's own for any other."""

    def __init__(self) -> None:
        import uvloop  # only with --uvloop: the option needs it, the plain run does not

        self.new_uvloop = uvloop.new_event_loop

    def pytest_asyncio_loop_factories(
        self, config: pytest.Config, item: pytest.Item
    ) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
        if item.get_closest_marker("uvloop") is None:
            return {"asyncio": asyncio.new_event_loop}
        return {"uvloop": self.new_uvloop}


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--uvloop"):
        config.pluginmanager.register(_UvloopLoops(), "freestyle-uvloop-loops")


@pytest.fixture(scope="module", autouse=True)
def _uvloop_policy_for_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Under ``--uvloop``, a marked module's own loops (an emulator thread's, made with
    ``asyncio.new_event_loop()``) are uvloop's too. Set before the module's fixtures."""
    if not request.config.getoption("--uvloop") or not request.node.get_closest_marker("uvloop"):
        yield
        return
    import uvloop

    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        yield
    finally:
        asyncio.set_event_loop_policy(previous)


@pytest.fixture
def emu(freestyle_emulator: Emulator) -> Emulator:
    """The plugin's ``freestyle_emulator``: running, seed 0, fresh for each test."""
    return freestyle_emulator


@pytest.fixture
def fs(freestyle_client: AsyncFreestyle) -> AsyncFreestyle:
    """The plugin's ``freestyle_client``: the main account of ``emu``, millisecond retries."""
    return freestyle_client
