"""Shared test set-up.

The emulator and its client come from the package's own pytest plugin (the ``pytest11`` entry
point), as in a user's suite: ``emu`` and ``fs`` are its ``freestyle_emulator`` and
``freestyle_client`` under the short names the tests use. The sync and CLI suites, whose code
blocks the test's thread, override them with an emulator on a thread of its own.
"""

from __future__ import annotations

import inspect
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


@pytest.fixture
def emu(freestyle_emulator: Emulator) -> Emulator:
    """The plugin's ``freestyle_emulator``: running, seed 0, fresh for each test."""
    return freestyle_emulator


@pytest.fixture
def fs(freestyle_client: AsyncFreestyle) -> AsyncFreestyle:
    """The plugin's ``freestyle_client``: the main account of ``emu``, millisecond retries."""
    return freestyle_client
