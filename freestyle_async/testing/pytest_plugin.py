"""pytest fixtures for the emulator (registered as the ``freestyle_async`` pytest11 plugin).

``freestyle_emulator`` yields a running :class:`~freestyle_async.testing.Emulator` (seed 0,
function scope); ``freestyle_client`` an :class:`~freestyle_async.AsyncFreestyle` for its main
account whose retries wait milliseconds (:data:`FAST_RETRIES`); ``freestyle_emulator_factory``
starts emulators with your arguments and stops them all at teardown::

    async def test_pause(freestyle_client, freestyle_emulator):
        await freestyle_client.dial_campaigns.pause(freestyle_emulator.campaign_ids()[0])

    async def test_retries(freestyle_emulator_factory):
        emu = await freestyle_emulator_factory(seed=3, faults=Faults(error_rate=0.5))

All three are async fixtures and need pytest-asyncio. It is imported lazily: without it pytest
still runs, and only a test asking for these fixtures fails, saying what to install.

For synchronous code (Django, Flask, Celery), two plain fixtures that need no pytest-asyncio:
``freestyle_emulator_thread`` yields a running :class:`~freestyle_async.testing.EmulatorThread`
(seed 0, function scope) and ``freestyle_sync_client`` a :class:`~freestyle_async.Freestyle` for
its main account (with :data:`FAST_RETRIES`)::

    def test_pause(freestyle_sync_client, freestyle_emulator_thread):
        campaign_id = freestyle_emulator_thread.campaign_ids()[0]
        assert freestyle_sync_client.dial_campaigns.pause(campaign_id).status == "paused"
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from .. import AsyncFreestyle, Freestyle, RetryPolicy
    from ._emulator import Emulator
    from ._thread import EmulatorThread

__all__ = [
    "FAST_RETRIES",
    "EmulatorFactory",
    "freestyle_client",
    "freestyle_emulator",
    "freestyle_emulator_factory",
    "freestyle_emulator_thread",
    "freestyle_sync_client",
]

EmulatorFactory = Callable[..., Awaitable["Emulator"]]

if TYPE_CHECKING:
    #: The retry policy of ``freestyle_client``: backoff waits of 1 to 10 ms instead of 0.5
    #: to 8 s, so a test with faults stays fast. A ``Retry-After`` the emulator sends is still
    #: waited out. Pass it to the clients you build yourself:
    #: ``AsyncFreestyle(..., retry_policy=FAST_RETRIES)``.
    FAST_RETRIES: RetryPolicy


@functools.cache
def _fast_retries() -> RetryPolicy:
    # Built on first use: this plugin loads in every pytest run wherever the package is
    # installed, and the retry machinery (tenacity) is not to be imported for nothing.
    from .. import RetryPolicy

    return RetryPolicy(initial_backoff=0.001, max_backoff=0.01)


def __getattr__(name: str) -> Any:
    if name == "FAST_RETRIES":
        return _fast_retries()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MISSING = (
    "the freestyle_emulator fixtures are async and need pytest-asyncio: "
    "pip install pytest-asyncio (or install freestyle-async[dev])"
)


async def _emulator() -> AsyncIterator[Emulator]:
    from ._emulator import Emulator

    async with Emulator() as emulator:
        yield emulator


async def _client(freestyle_emulator: Emulator) -> AsyncIterator[AsyncFreestyle]:
    from .. import AsyncFreestyle

    async with AsyncFreestyle(
        freestyle_emulator.api_key,
        base_url=freestyle_emulator.base_url,
        retry_policy=_fast_retries(),
    ) as client:
        yield client


async def _emulator_factory() -> AsyncIterator[EmulatorFactory]:
    from ._emulator import Emulator

    started: list[Emulator] = []

    async def start(**kwargs: Any) -> Emulator:
        emulator = Emulator(**kwargs)
        await emulator.start()
        started.append(emulator)
        return emulator

    try:
        yield start
    finally:
        for emulator in reversed(started):
            await emulator.stop()


def _unavailable() -> Iterator[None]:
    pytest.fail(_MISSING, pytrace=False)
    yield  # pragma: no cover - makes this a generator fixture like the real ones


_FIXTURES: Final[dict[str, Callable[..., Any]]] = {
    "freestyle_emulator": _emulator,
    "freestyle_client": _client,
    "freestyle_emulator_factory": _emulator_factory,
}


def _register() -> tuple[Any, ...]:
    try:
        import pytest_asyncio
    except ImportError:
        fixture: Any = pytest.fixture
        return tuple(fixture(name=name)(_unavailable) for name in _FIXTURES)
    # On the test's own loop (function-scoped, as pytest-asyncio runs tests by default),
    # whatever asyncio_default_fixture_loop_scope a project sets: on another loop the
    # emulator would never be served while the test runs. pytest-asyncio before 0.24 has no
    # loop_scope and runs every fixture on the test's loop anyway.
    try:
        return tuple(
            pytest_asyncio.fixture(name=name, loop_scope="function")(fn)
            for name, fn in _FIXTURES.items()
        )
    except TypeError:
        return tuple(pytest_asyncio.fixture(name=name)(fn) for name, fn in _FIXTURES.items())


freestyle_emulator, freestyle_client, freestyle_emulator_factory = _register()


@pytest.fixture
def freestyle_emulator_thread() -> Iterator[EmulatorThread]:
    """A running :class:`~freestyle_async.testing.EmulatorThread` (seed 0), stopped after the
    test; a plain fixture, for tests of synchronous code."""
    from ._thread import EmulatorThread

    with EmulatorThread() as emulator:
        yield emulator


@pytest.fixture
def freestyle_sync_client(freestyle_emulator_thread: EmulatorThread) -> Iterator[Freestyle]:
    """A :class:`~freestyle_async.Freestyle` for the main account of
    ``freestyle_emulator_thread``, retrying with :data:`FAST_RETRIES`; closed after the test."""
    from .. import Freestyle

    with Freestyle(
        freestyle_emulator_thread.api_key,
        base_url=freestyle_emulator_thread.base_url,
        retry_policy=_fast_retries(),
    ) as client:
        yield client
