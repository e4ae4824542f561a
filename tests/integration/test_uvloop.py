"""The ``--uvloop`` run really runs on uvloop: else the CI step would prove nothing."""

from __future__ import annotations

import asyncio

import pytest

from freestyle_async import AsyncFreestyle
from freestyle_async.testing import Emulator, EmulatorThread

pytestmark = pytest.mark.uvloop


async def test_the_loop_is_uvloop_exactly_under_the_option(
    request: pytest.FixtureRequest, fs: AsyncFreestyle, emu: Emulator
) -> None:
    loop_module = type(asyncio.get_running_loop()).__module__
    if request.config.getoption("--uvloop"):
        assert loop_module.startswith("uvloop"), loop_module
    else:
        assert loop_module.startswith("asyncio"), loop_module
    # The client and the emulator (on this same loop) talk over loopback.
    account = await fs.account.get()
    assert account.id


def test_an_emulator_thread_runs_on_uvloop_exactly_under_the_option(
    request: pytest.FixtureRequest,
) -> None:
    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    with EmulatorThread() as thread:
        module = thread.run(loop_module)
    expected = "uvloop" if request.config.getoption("--uvloop") else "asyncio"
    assert module.startswith(expected), module
