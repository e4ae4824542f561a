"""Paginators: every item in order across pages, pages, the first page, shifted pages, the
prefetch of the next page, and leaving early."""

from __future__ import annotations

import asyncio
import gc
import re
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async.errors import ServerError, ValidationError
from freestyle_async.models import Page
from freestyle_async.pagination import AsyncPaginator

from . import payloads as p
from .support import BASE_URL, RecordingMock

CID = p.CAMPAIGN_ID
SID = p.SMS_CAMPAIGN_ID


def with_id(template: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**template, key: value}


# name, paginator factory, path, id key, largest per_page, item factory (n -> JSON)
ListCase = tuple[
    str, Callable[[AsyncFreestyle], AsyncPaginator[Any]], str, str, int, Callable[[int], Any]
]
LISTS: list[ListCase] = [
    (
        "dial_campaigns.list",
        lambda fs: fs.dial_campaigns.list(),
        "/dial-campaigns",
        "id",
        100,
        lambda n: with_id(p.DIAL_CAMPAIGN, "id", f"c_{n}"),
    ),
    (
        "list_results",
        lambda fs: fs.dial_campaigns.list_results(CID),
        f"/dial-campaigns/{CID}/results",
        "result_id",
        200,
        lambda n: with_id(p.CALL_RESULT, "result_id", n),
    ),
    (
        "list_activity",
        lambda fs: fs.dial_campaigns.list_activity(CID),
        f"/dial-campaigns/{CID}/activity",
        "activity_id",
        200,
        lambda n: with_id(p.ACTIVITY[0], "activity_id", n),
    ),
    (
        "sms_campaigns.list",
        lambda fs: fs.sms_campaigns.list(),
        "/sms-campaigns",
        "id",
        100,
        lambda n: with_id(p.SMS_CAMPAIGN, "id", f"sc_{n}"),
    ),
    (
        "list_runs",
        lambda fs: fs.sms_campaigns.list_runs(SID),
        f"/sms-campaigns/{SID}/runs",
        "run_id",
        100,
        lambda n: with_id(p.SMS_RUNS[0], "run_id", n),
    ),
    (
        "list_messages",
        lambda fs: fs.sms_campaigns.list_messages(SID),
        f"/sms-campaigns/{SID}/messages",
        "message_id",
        200,
        lambda n: with_id(p.SMS_MESSAGES[0], "message_id", n),
    ),
]


def page_body(items: list[Any], page: int, per_page: int, total_pages: int) -> dict[str, Any]:
    total = per_page * total_pages  # the same on every page of a list, as a server's is
    return {
        "data": items,
        "meta": p.meta(page=page, per_page=per_page, total=total, total_pages=total_pages),
        "summary": p.MESSAGE_SUMMARY,  # ignored by every model but the messages page
    }


def serve_pages(
    mocked: RecordingMock, path: str, pages: list[list[Any]], per_page: int, **kwargs: Any
) -> None:
    for number, items in enumerate(pages, start=1):
        mocked.get(
            re.compile(re.escape(BASE_URL + path) + rf"\?(.*&)?page={number}(&.*)?$"),
            payload=page_body(items, number, per_page, len(pages)),
            **kwargs,
        )


def item_id(item: Any, key: str) -> Any:
    return getattr(item, key)


@pytest.mark.parametrize(
    ("name", "make", "path", "key", "max_per_page", "item"), LISTS, ids=[c[0] for c in LISTS]
)
async def test_three_pages_in_order_with_the_largest_page_size(
    name: str,
    make: Callable[[AsyncFreestyle], AsyncPaginator[Any]],
    path: str,
    key: str,
    max_per_page: int,
    item: Callable[[int], Any],
    client: AsyncFreestyle,
    mocked: RecordingMock,
) -> None:
    pages = [[item(1), item(2), item(3)], [item(4), item(5), item(6)], [item(7)]]
    serve_pages(mocked, path, pages, max_per_page)

    ids = [item_id(x, key) for x in [x async for x in make(client)]]

    expected = [item_id_json for page in pages for item_id_json in (i[key] for i in page)]
    assert ids == expected
    assert [r.wire_url.query.get("page") for r in mocked.sent] == ["1", "2", "3"]
    assert [r.wire_url.query.get("per_page") for r in mocked.sent] == [str(max_per_page)] * 3
    assert all(r.wire_url.raw_path == "/v1" + path for r in mocked.sent)


async def test_callers_per_page_is_kept(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    serve_pages(mocked, "/dial-campaigns", [[p.DIAL_CAMPAIGN], [p.DIAL_CAMPAIGN_2]], 1)
    items = [c async for c in client.dial_campaigns.list(status="active", per_page=1)]
    assert [c.id for c in items] == [p.DIAL_CAMPAIGN["id"], p.DIAL_CAMPAIGN_2["id"]]
    assert [r.wire_url.query_string for r in mocked.sent] == [
        "status=active&page=1&per_page=1",
        "status=active&page=2&per_page=1",
    ]


async def test_iteration_starts_at_the_callers_page(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(
        re.compile(r".*page=3.*"),
        payload=page_body([p.DIAL_CAMPAIGN], page=3, per_page=100, total_pages=4),
    )
    mocked.get(
        re.compile(r".*page=4.*"),
        payload=page_body([p.DIAL_CAMPAIGN_2], page=4, per_page=100, total_pages=4),
    )
    items = [c async for c in client.dial_campaigns.list(page=3)]
    assert len(items) == 2
    assert [r.wire_url.query["page"] for r in mocked.sent] == ["3", "4"]


async def test_pages(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    pages = [[p.SMS_MESSAGES[0], p.SMS_MESSAGES[1]], [p.SMS_MESSAGES[2]]]
    serve_pages(mocked, f"/sms-campaigns/{SID}/messages", pages, 200)

    got = [page async for page in client.sms_campaigns.list_messages(SID).pages()]

    assert all(isinstance(page, Page) for page in got)
    assert [[m.message_id for m in page] for page in got] == [[1003, 1002], [1001]]
    assert [page.meta.page for page in got] == [1, 2]
    assert [page.has_next for page in got] == [True, False]
    assert all(page.summary == p.MESSAGE_SUMMARY_MODEL for page in got)


@pytest.mark.parametrize(
    ("per_page", "query"),
    [(None, "page=1"), (7, "page=1&per_page=7"), (200, "page=1&per_page=200")],
)
async def test_first_page_sends_the_callers_per_page_or_none(
    per_page: int | None, query: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(re.compile(r".*"), payload=page_body([p.CALL_RESULT], 1, per_page or 50, 9))
    page = await client.dial_campaigns.list_results(CID, per_page=per_page).first_page()
    assert len(mocked.sent) == 1  # one page only, though 9 exist
    assert mocked.sent[0].wire_url.query_string == query
    assert [r.result_id for r in page] == [p.CALL_RESULT["result_id"]]
    assert page.has_next


async def test_shifted_page_yields_no_duplicate(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """A new result arrived between the two requests, so offset page 2 starts with the last
    result of page 1 again."""

    def result(n: int) -> dict[str, Any]:
        return with_id(p.CALL_RESULT, "result_id", n)

    pages = [[result(9), result(8), result(7)], [result(7), result(6), result(5)], [result(4)]]
    serve_pages(mocked, f"/dial-campaigns/{CID}/results", pages, 200)

    ids = [r.result_id async for r in client.dial_campaigns.list_results(CID)]

    assert ids == [9, 8, 7, 6, 5, 4]


async def test_unique_pages_leave_out_shifted_items_and_keep_the_summary(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """What the messages command reads: the items iteration yields, with each page's summary."""

    def message(n: int) -> dict[str, Any]:
        return with_id(p.SMS_MESSAGES[0], "message_id", n)

    pages = [[message(9), message(8)], [message(8), message(7)], [message(6)]]
    serve_pages(mocked, f"/sms-campaigns/{SID}/messages", pages, 200)

    got = [page async for page in client.sms_campaigns.list_messages(SID).pages(unique=True)]

    assert [[m.message_id for m in page] for page in got] == [[9, 8], [7], [6]]
    assert [(page.meta.page, page.meta.per_page) for page in got] == [(1, 200), (2, 200), (3, 200)]
    assert all(page.summary == p.MESSAGE_SUMMARY_MODEL for page in got)


async def test_plain_pages_are_as_the_server_sent_them(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    def result(n: int) -> dict[str, Any]:
        return with_id(p.CALL_RESULT, "result_id", n)

    serve_pages(mocked, f"/dial-campaigns/{CID}/results", [[result(9)], [result(9)]], 200)
    got = [page async for page in client.dial_campaigns.list_results(CID).pages()]
    assert [[r.result_id for r in page] for page in got] == [[9], [9]]


async def test_empty_list_is_one_request(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    mocked.get(re.compile(r".*"), payload=page_body([], 1, 100, 0))
    assert [c async for c in client.dial_campaigns.list()] == []
    assert len(mocked.sent) == 1


async def test_an_empty_page_ends_iteration(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    """A page that claims more pages but holds nothing must not loop for ever."""
    mocked.get(re.compile(r".*"), payload=page_body([], 1, 100, 5), repeat=True)
    assert [c async for c in client.dial_campaigns.list()] == []
    assert len(mocked.sent) == 1


async def test_next_page_is_fetched_while_the_current_one_is_consumed(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    events: list[str] = []
    page_2_requested = asyncio.Event()

    def on_page_2(url: Any, **kwargs: Any) -> None:
        events.append("request page 2")
        page_2_requested.set()

    def event(n: int) -> dict[str, Any]:
        return with_id(p.ACTIVITY[0], "activity_id", n)

    mocked.get(re.compile(r".*page=1.*"), payload=page_body([event(1), event(2)], 1, 200, 2))
    mocked.get(
        re.compile(r".*page=2.*"), payload=page_body([event(3)], 2, 200, 2), callback=on_page_2
    )

    async for activity in client.dial_campaigns.list_activity(CID):
        events.append(f"consume {activity.activity_id}")
        if activity.activity_id == 1:
            # Still on the first item of page 1: without a prefetch this never completes
            # (the guard turns a hang into a failure; it is not a wait for luck).
            await asyncio.wait_for(page_2_requested.wait(), timeout=5)

    assert events == ["consume 1", "request page 2", "consume 2", "consume 3"]


def never_retrieved(reported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in reported if "never retrieved" in str(c.get("message"))]


async def release(task: weakref.ref[asyncio.Task[Any]]) -> None:
    """Run the loop until the abandoned prefetch task is freed (its warning, if any, is logged
    then), after the loop has run the ``aclose()`` it schedules for unfinished generators."""
    for _ in range(100):
        gc.collect()
        if task() is None:
            return
        await asyncio.sleep(0)
    raise AssertionError("the abandoned prefetch task is never released")


async def test_leaving_early_after_the_prefetch_failed_logs_nothing(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        mocked.get(re.compile(r".*page=1.*"), payload=page_body([p.DIAL_CAMPAIGN], 1, 100, 3))
        mocked.get(re.compile(r".*page=2.*"), status=404, payload={})

        async for _ in client.dial_campaigns.list(max_retries=0).prefetch(1):
            # Let the prefetch of page 2 fail before leaving. asyncio.wait does not retrieve
            # the task's exception, so nobody but the paginator ever looks at it.
            prefetch = asyncio.all_tasks() - {asyncio.current_task()}
            assert len(prefetch) == 1
            done, _ = await asyncio.wait(prefetch, timeout=5)
            assert done == prefetch
            task = weakref.ref(prefetch.pop())
            break
        del prefetch, done
        await release(task)
    finally:
        loop.set_exception_handler(None)

    assert not never_retrieved(reported), reported
    assert len(mocked.sent) == 2  # the 404 was served to the prefetch


async def test_leaving_early_cancels_the_prefetch_in_flight(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    page_2_requested = asyncio.Event()
    never = asyncio.Event()

    async def hang(url: Any, **kwargs: Any) -> None:
        page_2_requested.set()
        await never.wait()

    try:
        mocked.get(re.compile(r".*page=1.*"), payload=page_body([p.DIAL_CAMPAIGN], 1, 100, 3))
        mocked.get(re.compile(r".*page=2.*"), payload={}, callback=hang)

        async for _ in client.dial_campaigns.list().prefetch(1):
            await asyncio.wait_for(page_2_requested.wait(), timeout=5)
            (prefetch,) = asyncio.all_tasks() - {asyncio.current_task()}
            break
        await asyncio.wait({prefetch}, timeout=5)
        assert prefetch.cancelled()
        task = weakref.ref(prefetch)
        del prefetch
        await release(task)
    finally:
        loop.set_exception_handler(None)

    assert not never_retrieved(reported), reported


async def test_failed_next_page_reaches_the_consumer(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    mocked.get(re.compile(r".*page=1.*"), payload=page_body([p.DIAL_CAMPAIGN], 1, 100, 2))
    mocked.get(re.compile(r".*page=2.*"), status=500, payload={})
    seen = []
    with pytest.raises(ServerError):
        async for campaign in client.dial_campaigns.list(max_retries=0):
            seen.append(campaign.id)
    assert seen == [p.DIAL_CAMPAIGN["id"]]


async def test_paginator_is_returned_without_a_request(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    paginator = client.dial_campaigns.list()
    assert isinstance(paginator, AsyncPaginator)
    assert mocked.sent == []


# ------------------------------------------------------------------ to_list and the window
RESULTS = f"/dial-campaigns/{CID}/results"


def result(n: int) -> dict[str, Any]:
    return with_id(p.CALL_RESULT, "result_id", n)


def full_pages(count: int, size: int = 200) -> list[list[Any]]:
    """``count`` pages of ``size`` results, ids descending from ``count * size``."""
    top = count * size
    return [[result(top - i * size - j) for j in range(size)] for i in range(count)]


def requested_pages(mocked: RecordingMock) -> list[int]:
    return [int(r.wire_url.query["page"]) for r in mocked.sent]


class HeldServer:
    """Pages served through aioresponses callbacks that wait until the test releases them,
    counting the requests still in flight (a cancelled request leaves its callback)."""

    def __init__(self, mocked: RecordingMock, pages: list[list[Any]], *, failing: int = 0):
        self.in_flight = 0
        self.started: list[int] = []
        self.release = {n: asyncio.Event() for n in range(1, len(pages) + 1)}
        self._changed = asyncio.Event()
        for number, items in enumerate(pages, start=1):
            mocked.get(
                re.compile(re.escape(BASE_URL + RESULTS) + rf"\?(.*&)?page={number}(&.*)?$"),
                payload=page_body(items, number, 200, len(pages)),
                status=500 if number == failing else 200,
                callback=self._hold(number),
            )

    def _hold(self, number: int) -> Callable[..., Any]:
        async def callback(url: Any, **kwargs: Any) -> None:
            self.in_flight += 1
            self.started.append(number)
            self._changed.set()
            try:
                await self.release[number].wait()
            finally:
                self.in_flight -= 1

        return callback

    def release_all(self) -> None:
        for event in self.release.values():
            event.set()

    async def until_started(self, count: int) -> None:
        # The timeout turns a hang into a failure; it is not a wait for luck.
        async with asyncio.timeout(5):
            while len(self.started) < count:
                self._changed.clear()
                await self._changed.wait()


async def test_to_list_with_limit_250_asks_for_exactly_two_pages(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    serve_pages(mocked, RESULTS, full_pages(5), 200)

    items = await client.dial_campaigns.list_results(CID).to_list(limit=250)

    assert [r.result_id for r in items] == list(range(1000, 750, -1))
    assert requested_pages(mocked) == [1, 2]


async def test_to_list_without_limit_is_every_item_once(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    pages = [[result(9), result(8), result(7)], [result(7), result(6)], [result(6), result(5)]]
    serve_pages(mocked, RESULTS, pages, 200)
    items = await client.dial_campaigns.list_results(CID).to_list()
    assert [r.result_id for r in items] == [9, 8, 7, 6, 5]


async def test_to_list_limit_counts_items_after_removing_shifted_ones(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """Page 2 repeats page 1's last item, so 400 distinct items need a third page, and no more."""
    pages = full_pages(5)
    pages[1] = [pages[0][-1], *pages[1][:-1]]
    serve_pages(mocked, RESULTS, pages, 200)

    items = await client.dial_campaigns.list_results(CID).to_list(limit=400)

    ids = [r.result_id for r in items]
    assert len(ids) == 400 and len(set(ids)) == 400
    assert requested_pages(mocked) == [1, 2, 3]


async def test_to_list_limit_0_sends_nothing(client: AsyncFreestyle, mocked: RecordingMock) -> None:
    assert await client.dial_campaigns.list_results(CID).to_list(limit=0) == []
    assert mocked.sent == []


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (-1, "limit must be at least 0, got -1"),
        (True, "limit must be an integer, got True"),
        (2.5, "limit must be an integer, got 2.5"),
        ("10", "limit must be an integer, got '10'"),
        (-(10**5000), "limit must be at least 0, got an integer of 16610 bits"),
    ],
    ids=["negative", "bool", "float", "str", "huge"],
)
async def test_to_list_refuses_a_bad_limit(
    limit: Any, message: str, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.dial_campaigns.list_results(CID).to_list(limit=limit)
    assert str(caught.value) == message
    assert mocked.sent == []


@pytest.mark.parametrize(
    "pages", [0, 33, True, 1.0, None, 10**5000], ids=["0", "33", "bool", "float", "None", "huge"]
)
async def test_prefetch_refuses_a_bad_window(pages: Any, client: AsyncFreestyle) -> None:
    with pytest.raises(ValidationError, match=r"^prefetch must be an integer from 1 to 32") as e:
        client.dial_campaigns.list_results(CID).prefetch(pages)
    assert len(str(e.value)) < 120


async def test_the_window_keeps_eight_pages_in_flight_by_default(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    server = HeldServer(mocked, full_pages(12))
    server.release[1].set()
    items = aiter(client.dial_campaigns.list_results(CID))
    try:
        await anext(items)
        await server.until_started(9)  # pages 2-9 while page 1 is still being read
        assert sorted(server.started) == list(range(1, 10))
        assert server.in_flight == 8
    finally:
        server.release_all()
        assert isinstance(items, AsyncGenerator)
        await items.aclose()


@pytest.mark.parametrize("window", [1, 3, 8])
async def test_pages_come_in_order_whatever_order_they_are_answered_in(
    window: int, client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    pages = full_pages(9, size=3)
    server = HeldServer(mocked, pages)
    server.release[1].set()

    async def answer_backwards() -> None:
        # Each time the window is full, answer its pages last first.
        answered = 1
        while answered < len(pages):
            await server.until_started(min(answered + window, len(pages)))
            for number in sorted(set(server.started) - {1}, reverse=True):
                server.release[number].set()
            answered = len(server.started)

    answering = asyncio.create_task(answer_backwards())
    paginator = client.dial_campaigns.list_results(CID, per_page=3).prefetch(window)
    got = [r.result_id async for r in paginator]
    await answering

    assert got == [i["result_id"] for page in pages for i in page]
    assert sorted(server.started) == list(range(1, 10))  # each page once, none past the last


async def test_the_window_removes_items_shifted_onto_the_next_page(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """Results arriving while the list is read shift every later page by one: each page starts
    with the previous page's last item. Each item is yielded once, in order."""
    pages = [[result(32 - 4 * i - j) for j in range(4)] for i in range(8)]
    shifted = [pages[0]] + [[pages[i - 1][-1], *pages[i][:-1]] for i in range(1, len(pages))]
    serve_pages(mocked, RESULTS, shifted, 4)

    got = [r.result_id async for r in client.dial_campaigns.list_results(CID, per_page=4)]

    expected = list(dict.fromkeys(i["result_id"] for page in shifted for i in page))
    assert got == expected
    assert len(got) == len(set(got))
    assert requested_pages(mocked) == list(range(1, 9))


async def test_an_error_on_a_middle_page_comes_after_every_earlier_item(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    server = HeldServer(mocked, full_pages(6, size=2), failing=3)
    server.release[1].set()
    server.release[3].set()  # page 3 fails while page 2 is still unanswered
    seen: list[int] = []

    async def consume() -> None:
        async for r in client.dial_campaigns.list_results(CID, per_page=2, max_retries=0):
            seen.append(r.result_id)

    consumer = asyncio.create_task(consume())
    await server.until_started(6)
    assert seen == [12, 11]  # page 1 read; page 3's error is held back behind page 2
    server.release[2].set()
    with pytest.raises(ServerError):
        await consumer
    server.release_all()

    assert seen == [12, 11, 10, 9]  # pages 1 and 2 whole, nothing after the failed page
    assert server.in_flight == 0  # pages 4 to 6 were cancelled, and awaited


async def test_closing_the_pages_leaves_no_request_in_flight(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    server = HeldServer(mocked, full_pages(10))
    server.release[1].set()
    pages = client.dial_campaigns.list_results(CID).prefetch(4).pages()
    await anext(pages)
    await server.until_started(5)
    assert server.in_flight == 4

    assert isinstance(pages, AsyncGenerator)
    await pages.aclose()

    assert server.in_flight == 0
    assert len(server.started) == 5


async def test_cancelling_the_reader_leaves_no_request_in_flight(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    server = HeldServer(mocked, full_pages(10))
    server.release[1].set()
    server.release[2].set()

    async def read_all() -> list[Any]:
        return await client.dial_campaigns.list_results(CID).prefetch(4).to_list()

    reader = asyncio.create_task(read_all())
    await server.until_started(6)  # pages 3-6 held
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader

    assert server.in_flight == 0
    assert len(server.started) == 6


async def test_a_page_of_only_shifted_items_does_not_end_the_list(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    serve_pages(mocked, RESULTS, [[result(9)], [result(9)], [result(8)]], 200)
    assert [r.result_id for r in await client.dial_campaigns.list_results(CID).to_list()] == [9, 8]


async def test_a_page_answered_before_new_items_arrived_is_read_again(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    """With pages in flight together, page 2 can be answered before a new result arrives and
    page 1 after it: page 1 then ends one item earlier, and the stale page 2 (its ``total``
    one smaller) lacks the item pushed onto it. Page 2 is read again."""

    def body(ids: list[int], page: int, total: int) -> dict[str, Any]:
        return {
            "data": [result(n) for n in ids],
            "meta": p.meta(page=page, per_page=2, total=total, total_pages=3),
        }

    url = re.escape(BASE_URL + RESULTS)
    mocked.get(re.compile(url + r"\?.*page=1&.*"), payload=body([10, 9], 1, 6))  # after
    mocked.get(re.compile(url + r"\?.*page=2&.*"), payload=body([7, 6], 2, 5))  # before
    mocked.get(re.compile(url + r"\?.*page=3&.*"), payload=body([5], 3, 6))
    mocked.get(re.compile(url + r"\?.*page=2&.*"), payload=body([8, 7], 2, 6))  # read again

    got = [r.result_id async for r in client.dial_campaigns.list_results(CID, per_page=2)]

    assert got == [10, 9, 8, 7, 5]
    assert requested_pages(mocked) == [1, 2, 3, 2]


async def test_breaking_out_of_the_loop_leaves_no_request_in_flight(
    client: AsyncFreestyle, mocked: RecordingMock
) -> None:
    server = HeldServer(mocked, full_pages(12))
    server.release[1].set()
    async for _ in client.dial_campaigns.list_results(CID):
        await server.until_started(9)
        assert server.in_flight == 8
        break
    # The loop closes the abandoned generator (its finaliser schedules aclose()) at its next
    # turns; a bounded number of them, not a wait for luck.
    for _ in range(100):
        if server.in_flight == 0:
            break
        await asyncio.sleep(0)
    assert server.in_flight == 0
    assert len(server.started) == 9
