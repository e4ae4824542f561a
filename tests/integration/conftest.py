"""The SDK against the emulator over loopback HTTP.

The emulator fixtures of the installed pytest plugin (``freestyle_emulator`` and
``freestyle_emulator_factory``) are deliberately *not* imported here: ``test_plugin.py``
checks that the ``pytest11`` entry point alone provides them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from freestyle_async import AsyncFreestyle
from freestyle_async.testing import Emulator

from ._support import client_for


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A fresh emulator (seed 0, no faults) on a free loopback port."""
    async with Emulator(seed=0) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def fs(emu: Emulator) -> AsyncIterator[AsyncFreestyle]:
    """The SDK client for the main account of ``emu``."""
    async with client_for(emu) as client:
        yield client
