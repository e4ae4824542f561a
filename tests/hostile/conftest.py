"""Fixtures for the hostile-server tests: the server and clients that close themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle

from .hostile_server import HostileServer
from .hostile_support import API_KEY, ClientFactory


@pytest.fixture
async def server() -> AsyncIterator[HostileServer]:
    async with HostileServer() as running:
        yield running


@pytest.fixture
async def make_client() -> AsyncIterator[ClientFactory]:
    """``make_client(base_url, **options)``: an AsyncFreestyle with the test key, closed at
    teardown."""
    clients: list[AsyncFreestyle] = []

    def make(base_url: str, **options: Any) -> AsyncFreestyle:
        client = AsyncFreestyle(API_KEY, base_url=base_url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
