"""Fixtures for the hostile-server tests: the server and clients that close themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from _clients import ClientFactory, client_factory

from .hostile_server import HostileServer
from .hostile_support import API_KEY


@pytest.fixture
async def server() -> AsyncIterator[HostileServer]:
    async with HostileServer() as running:
        yield running


@pytest.fixture
async def make_client() -> AsyncIterator[ClientFactory]:
    """``make_client(base_url, **options)``: an AsyncFreestyle with the test key, closed at
    teardown."""
    async with client_factory(api_key=API_KEY) as make:
        yield make
