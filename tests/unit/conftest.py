"""Fixtures of the unit tests: a client with a fake sleep, and a recording aioresponses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from _clients import ClientFactory, client_factory

from freestyle_async._client import AsyncFreestyle
from freestyle_async._retry import RetryPolicy

from .support import API_KEY, BASE_URL, FakeSleep, RecordingMock


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own FREESTYLE_* variables must not leak into the tests."""
    monkeypatch.delenv("FREESTYLE_API_KEY", raising=False)
    monkeypatch.delenv("FREESTYLE_BASE_URL", raising=False)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    """Records the retry waits instead of waiting."""
    return FakeSleep()


@pytest.fixture
def mocked() -> Iterator[RecordingMock]:
    """aioresponses for every aiohttp session; unmatched requests fail, nothing hits a network."""
    mock = RecordingMock()
    with mock:
        yield mock


@pytest.fixture
async def make_client(fake_sleep: FakeSleep) -> AsyncIterator[ClientFactory]:
    """Build clients (test key, test base URL, fake sleep unless given); all closed at the end."""
    policy = RetryPolicy(sleep=fake_sleep)
    async with client_factory(api_key=API_KEY, base_url=BASE_URL, retry_policy=policy) as make:
        yield make


@pytest.fixture
def client(make_client: ClientFactory) -> AsyncFreestyle:
    """A client with the default settings, except that retries do not really wait."""
    return make_client()
