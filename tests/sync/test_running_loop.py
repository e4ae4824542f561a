"""``Freestyle`` where the calling thread already runs an event loop (a notebook cell)."""

from __future__ import annotations

import asyncio

from freestyle_async.sync import Freestyle

from .conftest import EmulatorThread


async def test_inside_a_coroutine(emulator: EmulatorThread) -> None:
    running = asyncio.get_running_loop()
    with Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url) as fs:
        account = fs.account.get()
        campaigns = list(fs.dial_campaigns.list(per_page=3))
        pages = list(fs.sms_campaigns.list(per_page=1).pages())
        first = fs.dial_campaigns.list().first_page()
    assert account.id
    assert [c.id for c in campaigns] == emulator.emu.campaign_ids()
    assert len(pages) == len(emulator.emu.sms_campaign_ids())
    assert first.data == campaigns
    # The caller's loop was blocked, not disturbed.
    assert asyncio.get_running_loop() is running
    await asyncio.sleep(0)


def test_inside_asyncio_run_of_a_plain_script(emulator: EmulatorThread) -> None:
    fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)

    async def cell() -> str:
        return fs.account.get().id  # blocks this loop while it waits; that is expected

    try:
        first = asyncio.run(cell())
        second = asyncio.run(cell())  # another loop on the same thread: still fine
        assert first == second == fs.account.get().id
    finally:
        fs.close()
