"""pytest fixtures for the emulator (registered as the ``freestyle_async`` pytest11 plugin).

``freestyle_emulator`` yields a running :class:`~freestyle_async.testing.Emulator` (seed 0,
function scope); ``freestyle_emulator_factory`` starts emulators with your arguments and stops
them all at teardown::

    async def test_retries(freestyle_emulator_factory):
        emu = await freestyle_emulator_factory(seed=3, faults=Faults(error_rate=0.5))

Both are async fixtures and need pytest-asyncio. It is imported lazily: without it pytest still
runs, and only a test asking for these fixtures fails, saying what to install. The emulator
itself (and aiohttp) is imported only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._emulator import Emulator

__all__ = ["EmulatorFactory", "freestyle_emulator", "freestyle_emulator_factory"]

EmulatorFactory = Callable[..., Awaitable["Emulator"]]

_MISSING = (
    "the freestyle_emulator fixtures are async and need pytest-asyncio: "
    "pip install pytest-asyncio (or install freestyle-async[dev])"
)


async def _emulator() -> AsyncIterator[Emulator]:
    from ._emulator import Emulator

    async with Emulator() as emulator:
        yield emulator


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


def _register() -> tuple[Any, Any]:
    try:
        import pytest_asyncio
    except ImportError:
        fixture: Any = pytest.fixture
        return (
            fixture(name="freestyle_emulator")(_unavailable),
            fixture(name="freestyle_emulator_factory")(_unavailable),
        )
    return (
        pytest_asyncio.fixture(name="freestyle_emulator")(_emulator),
        pytest_asyncio.fixture(name="freestyle_emulator_factory")(_emulator_factory),
    )


freestyle_emulator, freestyle_emulator_factory = _register()
