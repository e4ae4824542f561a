"""Fixtures for the emulator's own tests. ``emu`` (the plugin's ``freestyle_emulator``) comes
from ``tests/conftest.py``."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

try:
    import freestyle_async  # noqa: F401
except ImportError:  # the package is not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from freestyle_async.testing import Emulator

# The plugin's fixtures, for runs where the pytest11 entry point is not installed.
from freestyle_async.testing.pytest_plugin import (  # noqa: F401
    freestyle_emulator,
    freestyle_emulator_factory,
)

from ._helpers import Api


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def api(session: aiohttp.ClientSession, emu: Emulator) -> Api:
    return Api(session, emu, emu.api_key)
