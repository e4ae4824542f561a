"""The page window and ``to_list`` against the emulator: the same items as one page at a
time, only the pages a ``limit`` needs, uploads while pages are in flight, and the sync twin."""

from __future__ import annotations

import math
from typing import Any

from freestyle_async import AsyncFreestyle
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Emulator, EmulatorThread, Faults

from ._support import collect

ROUTE = "GET /v1/dial-campaigns/{id}/results"


async def test_the_window_yields_what_one_page_at_a_time_yields(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    cid = emu.campaign_ids()[0]
    emu.faults = Faults(latency=0.002)  # requests overlap, so answers can come out of order
    one_by_one = await collect(fs.dial_campaigns.list_results(cid, per_page=7).prefetch(1))
    pages = math.ceil(len(one_by_one) / 7)
    assert pages >= 10

    emu.reset_counters()
    windowed = await collect(fs.dial_campaigns.list_results(cid, per_page=7).prefetch(8))

    assert windowed == one_by_one
    assert emu.counters.by_route == {ROUTE: pages}  # every page once, none past the last


async def test_to_list_requests_only_the_pages_its_limit_needs(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    cid = emu.campaign_ids()[0]
    everything = await fs.dial_campaigns.list_results(cid, per_page=7).to_list()
    emu.reset_counters()

    first = await fs.dial_campaigns.list_results(cid, per_page=7).to_list(limit=20)

    assert first == everything[:20]
    assert emu.counters.by_route == {ROUTE: 3}


async def test_uploads_while_pages_are_in_flight_yield_each_event_once(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    # Activity is newest first: each upload pushes every event down, so pages answered after
    # it start with an event already seen, and pages answered before it miss one.
    cid = emu.campaign_ids()[-1]
    before = await collect(fs.dial_campaigns.list_activity(cid))
    seen: list[int] = []
    async for event in fs.dial_campaigns.list_activity(cid, per_page=2).prefetch(6):
        seen.append(event.activity_id)
        if len(seen) in (1, 5, 9):
            await fs.dial_campaigns.upload_data(cid, [{"phone1": f"613555{len(seen):04d}"}])
    assert len(seen) == len(set(seen))
    assert set(seen) >= {e.activity_id for e in before}  # none missed


def test_the_sync_paginator_has_to_list_and_prefetch(
    freestyle_emulator_thread: EmulatorThread, freestyle_sync_client: Freestyle
) -> None:
    cid = freestyle_emulator_thread.campaign_ids()[0]
    fs = freestyle_sync_client
    everything = list(fs.dial_campaigns.list_results(cid, per_page=7))

    first: list[Any] = fs.dial_campaigns.list_results(cid, per_page=7).prefetch(3).to_list(20)
    pages = list(fs.dial_campaigns.list_results(cid, per_page=7).prefetch(3).pages())

    assert first == everything[:20]
    assert [item for page in pages for item in page.data] == everything
