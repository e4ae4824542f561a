"""Fixtures for the bulk upload tests: an emulator and a client with tiny retry waits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from freestyle_async import AsyncFreestyle, RetryPolicy
from freestyle_async.testing import Emulator

FAST_RETRIES = RetryPolicy(initial_backoff=0.001, max_backoff=0.01)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=0) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def fs(emu: Emulator) -> AsyncIterator[AsyncFreestyle]:
    async with AsyncFreestyle(
        api_key=emu.api_key, base_url=emu.base_url, retry_policy=FAST_RETRIES, timeout=10
    ) as client:
        yield client


@pytest_asyncio.fixture
async def campaign_id(emu: Emulator) -> str:
    return emu.campaign_ids()[0]
