"""Pagination to the last page with small pages, and the orders the reference documents."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle, AsyncPaginator
from freestyle_async.testing import Emulator

from ._support import collect

# (make a paginator for a per_page, or None for the default; the item's id; the counted route)
Listing = tuple[
    Callable[[AsyncFreestyle, Emulator, int | None], AsyncPaginator[Any]],
    Callable[[Any], Hashable],
    str,
]

#: name -> (listing, a per_page small enough to make at least three pages)
LISTINGS: dict[str, tuple[Listing, int]] = {
    "dial_campaigns.list": (
        (
            lambda fs, emu, n: fs.dial_campaigns.list(per_page=n),
            lambda c: c.id,
            "GET /v1/dial-campaigns",
        ),
        3,
    ),
    "dial_campaigns.list_results": (
        (
            lambda fs, emu, n: fs.dial_campaigns.list_results(emu.campaign_ids()[0], per_page=n),
            lambda r: r.result_id,
            "GET /v1/dial-campaigns/{id}/results",
        ),
        7,
    ),
    "dial_campaigns.list_activity": (
        (
            lambda fs, emu, n: fs.dial_campaigns.list_activity(emu.campaign_ids()[-1], per_page=n),
            lambda a: a.activity_id,
            "GET /v1/dial-campaigns/{id}/activity",
        ),
        2,
    ),
    "sms_campaigns.list": (
        (
            lambda fs, emu, n: fs.sms_campaigns.list(per_page=n),
            lambda c: c.id,
            "GET /v1/sms-campaigns",
        ),
        2,
    ),
    "sms_campaigns.list_runs": (
        (
            lambda fs, emu, n: fs.sms_campaigns.list_runs(emu.sms_campaign_ids()[3], per_page=n),
            lambda r: r.run_id,
            "GET /v1/sms-campaigns/{id}/runs",
        ),
        1,
    ),
    "sms_campaigns.list_messages": (
        (
            lambda fs, emu, n: fs.sms_campaigns.list_messages(
                emu.sms_campaign_ids()[0], per_page=n
            ),
            lambda m: m.message_id,
            "GET /v1/sms-campaigns/{id}/messages",
        ),
        4,
    ),
}


@pytest.mark.parametrize("name", list(LISTINGS))
async def test_iterating_small_pages_reaches_every_item(
    name: str, emu: Emulator, fs: AsyncFreestyle
) -> None:
    (make, key, route), per_page = LISTINGS[name]
    first = await make(fs, emu, per_page).first_page()
    total, total_pages = first.meta.total, first.meta.total_pages
    assert first.meta.per_page == per_page and first.meta.page == 1
    assert total_pages == math.ceil(total / per_page)
    assert total_pages >= 3, "the listing must span several pages to test anything"

    emu.reset_counters()
    items = await collect(make(fs, emu, per_page))
    assert len(items) == total
    assert len({key(i) for i in items}) == total
    # Exactly one request per page: no page fetched twice, none past the last.
    assert emu.counters.by_route == {route: total_pages}

    # The same items, in the same order, as one big page.
    whole = await collect(make(fs, emu, None))
    assert [key(i) for i in items] == [key(i) for i in whole]


@pytest.mark.parametrize("name", list(LISTINGS))
async def test_pages_count_equals_total_pages(name: str, emu: Emulator, fs: AsyncFreestyle) -> None:
    (make, _key, _route), per_page = LISTINGS[name]
    pages = [page async for page in make(fs, emu, per_page).pages()]
    meta = pages[0].meta
    assert len(pages) == meta.total_pages
    assert [p.meta.page for p in pages] == list(range(1, meta.total_pages + 1))
    assert all(p.meta.total == meta.total for p in pages)
    assert all(len(p.data) == per_page for p in pages[:-1])
    assert len(pages[-1].data) == meta.total - per_page * (meta.total_pages - 1)
    assert not pages[-1].has_next and all(p.has_next for p in pages[:-1])


async def test_starting_page_and_page_past_the_end(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_results(cid, per_page=50))
    later = await collect(fs.dial_campaigns.list_results(cid, page=3, per_page=50))
    assert later == everything[100:]
    past = await fs.dial_campaigns.list_results(cid, page=99, per_page=50).first_page()
    assert past.data == [] and past.meta.total == len(everything)
    pages = [p async for p in fs.dial_campaigns.list_results(cid, page=99).pages()]
    assert len(pages) == 1 and pages[0].data == []


async def test_an_empty_listing_is_one_empty_page(emu: Emulator, fs: AsyncFreestyle) -> None:
    no_runs = next(c for c in await collect(fs.sms_campaigns.list()) if c.total_runs == 0)
    emu.reset_counters()
    pages = [p async for p in fs.sms_campaigns.list_runs(no_runs.id).pages()]
    assert len(pages) == 1 and pages[0].data == []
    assert (pages[0].meta.total, pages[0].meta.total_pages) == (0, 0)
    assert await collect(fs.sms_campaigns.list_runs(no_runs.id)) == []
    assert emu.counters.requests == 2


async def test_auto_pagination_uses_the_largest_page(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    emu.reset_counters()
    pages = [p async for p in fs.dial_campaigns.list_results(cid).pages()]
    assert [p.meta.per_page for p in pages] == [200]  # the endpoint's maximum, not 50
    assert emu.counters.requests == 1
    default = await fs.dial_campaigns.list_results(cid).first_page()
    assert default.meta.per_page == 50  # first_page() leaves the server's default


async def test_items_uploaded_between_pages_are_not_yielded_twice(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    # Activity is newest first: an upload while iterating pushes every event one place down,
    # so a later page starts with an event already seen on the page before it.
    cid = emu.campaign_ids()[-1]
    raw: list[list[int]] = []
    async for page in fs.dial_campaigns.list_activity(cid, per_page=2).pages():
        raw.append([e.activity_id for e in page.data])
        if len(raw) == 1:
            await fs.dial_campaigns.upload_data(cid, [{"phone1": "6135550199"}])
    flat = [i for ids in raw for i in ids]
    assert len(flat) > len(set(flat)), "the upload did not shift the pages"

    # Iterating items over the same shift yields each event once, and misses none.
    before = await collect(fs.dial_campaigns.list_activity(cid))
    seen: list[int] = []
    async for event in fs.dial_campaigns.list_activity(cid, per_page=2):
        seen.append(event.activity_id)
        if len(seen) == 1:
            await fs.dial_campaigns.upload_data(cid, [{"phone1": "6135550198"}])
    assert sorted(seen) == sorted(e.activity_id for e in before)


# ---------------------------------------------------------------------------- documented orders


async def test_results_are_newest_completion_first(emu: Emulator, fs: AsyncFreestyle) -> None:
    for cid in emu.campaign_ids()[:3]:
        results = await collect(fs.dial_campaigns.list_results(cid, per_page=60))
        times = [r.completed_at for r in results]
        assert times == sorted(times, reverse=True)


async def test_activity_is_newest_first(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    await fs.dial_campaigns.pause(cid)
    await fs.dial_campaigns.upload_data(cid, [{"phone1": "4165550123"}])
    for campaign_id in emu.campaign_ids():
        events = await collect(fs.dial_campaigns.list_activity(campaign_id, per_page=3))
        times = [e.created_at for e in events]
        assert times == sorted(times, reverse=True)


async def test_sms_campaigns_are_alphabetical(fs: AsyncFreestyle) -> None:
    names = [c.name for c in await collect(fs.sms_campaigns.list(per_page=2))]
    assert len(names) > 2
    assert names == sorted(names)


async def test_runs_are_latest_scheduled_first(emu: Emulator, fs: AsyncFreestyle) -> None:
    for cid in emu.sms_campaign_ids():
        runs = await collect(fs.sms_campaigns.list_runs(cid, per_page=1))
        times = [r.scheduled_at for r in runs]
        assert times == sorted(times, reverse=True)


async def test_messages_are_newest_first(emu: Emulator, fs: AsyncFreestyle) -> None:
    for cid in emu.sms_campaign_ids():
        messages = await collect(fs.sms_campaigns.list_messages(cid, per_page=5))
        times = [m.sent_at for m in messages]
        assert times == sorted(times, reverse=True)


async def test_billing_is_longest_duration_first(fs: AsyncFreestyle) -> None:
    for usage in (await fs.billing.usage(), await fs.billing.usage(from_="2026-05-01")):
        durations = [u.duration_seconds for u in usage.data]
        assert len(set(durations)) > 2
        assert durations == sorted(durations, reverse=True)
