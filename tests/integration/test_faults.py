"""The SDK's retry and timeout rules against the emulator's injected faults.

Every fault decision comes from ``Faults(seed=...)``, so each run meets the same faults; the
assertions read the emulator's counters to see the attempts the SDK really made.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import attrs
import pytest
from _clients import FAST_RETRIES

from freestyle_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncFreestyle,
    NotFoundError,
    RateLimitError,
    ResponseEvent,
    RetryPolicy,
    ServerError,
    Timeout,
)
from freestyle_async.testing import Emulator, Faults

from ._support import ENDPOINT_CALLS, client_for

POST_ROUTE = "POST /v1/dial-campaigns/{id}/data"


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


class SleepLog:
    """A ``RetryPolicy.sleep`` that records each wait before taking it."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(seconds)


def fast_policy(log: SleepLog, *, max_retry_after: float = 60.0) -> RetryPolicy:
    """``FAST_RETRIES`` waiting through ``log``."""
    return attrs.evolve(FAST_RETRIES, max_retry_after=max_retry_after, sleep=log)


@asynccontextmanager
async def faulty(faults: Faults, **options: Any) -> AsyncIterator[tuple[Emulator, AsyncFreestyle]]:
    # These tests count each call's own retries, at fault rates (40 %) far above what the
    # client's shared retry budget allows (tests/hostile/test_retry_budget.py): no budget.
    options.setdefault("retry_budget", None)
    # A short shutdown timeout: handlers still sleeping on injected latency are cut off.
    async with (
        Emulator(seed=0, faults=faults, shutdown_timeout=0.05) as emu,
        client_for(emu, **options) as fs,
    ):
        yield emu, fs


def records(start: int, count: int) -> list[dict[str, str]]:
    return [{"phone1": f"905555{start + i:04d}"} for i in range(count)]


# ---------------------------------------------------------------------------- 503 and 429


async def test_503s_are_retried_until_every_call_succeeds() -> None:
    log = SleepLog()
    # A bare 503 on the upload POST is an unknown outcome, not retried (see
    # tests/bulk/test_outcome_rule.py): here the GETs and the PATCH meet them.
    faults = Faults(error_rate=0.4, error_statuses=(503,), methods=("GET", "PATCH"), seed=3)
    async with faulty(faults, max_retries=8, retry_policy=fast_policy(log)) as (emu, fs):
        dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
        calls = 0
        for _ in range(2):
            for call in ENDPOINT_CALLS.values():  # all 13, the PATCH included
                assert await call(fs, dial, sms) is not None
                calls += 1
        counters = emu.counters
    injected = counters.faults_injected
    assert injected >= 5, "the seed should inject several 503s"
    assert counters.by_status == {200: calls, 503: injected}
    assert counters.requests == calls + injected  # one extra attempt per 503
    assert len(log.waits) == injected
    assert all(0 <= wait <= 0.01 for wait in log.waits)  # jittered backoff, capped
    assert counters.records_stored == 1  # the same record uploaded twice, stored once


async def test_429s_are_retried_after_retry_after() -> None:
    log = SleepLog()
    faults = Faults(rate_limit_rate=0.4, retry_after=0.05, seed=5)
    async with faulty(faults, max_retries=8, retry_policy=fast_policy(log)) as (emu, fs):
        for _ in range(12):
            await fs.account.get()
        pages = [p async for p in fs.dial_campaigns.list(per_page=2).pages()]
        counters = emu.counters
    calls = 12 + len(pages)
    injected = counters.faults_injected
    assert injected >= 3
    assert counters.by_status == {200: calls, 429: injected}
    assert counters.requests == calls + injected
    assert log.waits == [0.05] * injected  # the server's Retry-After, not the backoff


async def test_503s_and_429s_mixed() -> None:
    log = SleepLog()
    faults = Faults(
        error_rate=0.25, error_statuses=(503,), rate_limit_rate=0.25, retry_after=0.05, seed=11
    )
    async with faulty(faults, max_retries=10, retry_policy=fast_policy(log)) as (emu, fs):
        cid = emu.campaign_ids()[0]
        results = [r async for r in fs.dial_campaigns.list_results(cid, per_page=20)]
        counters = emu.counters
    assert len(results) == 200
    assert counters.by_status.get(429, 0) >= 1 and counters.by_status.get(503, 0) >= 1
    assert counters.by_status[200] == 10  # 200 results, 20 per page
    assert counters.requests == 10 + counters.faults_injected
    assert log.waits.count(0.05) == counters.by_status[429]


async def test_retries_give_up_after_max_retries() -> None:
    faults = Faults(rate_limit_rate=1.0, retry_after=0.05)
    async with faulty(faults, max_retries=2) as (emu, fs):
        with pytest.raises(RateLimitError) as info:
            await fs.account.get()
        assert info.value.retry_after == 0.05
        assert emu.counters.requests == 3  # the call and its two retries
        with pytest.raises(RateLimitError):
            await fs.account.get(max_retries=0)
        assert emu.counters.requests == 4


async def test_a_retry_after_above_the_policy_limit_is_not_waited() -> None:
    log = SleepLog()
    faults = Faults(rate_limit_rate=1.0, retry_after=30)
    policy = fast_policy(log, max_retry_after=1.0)
    async with faulty(faults, max_retries=5, retry_policy=policy) as (emu, fs):
        with pytest.raises(RateLimitError) as info:
            await fs.account.get()
        assert emu.counters.requests == 1
    assert info.value.retry_after == 30
    assert log.waits == []


# ---------------------------------------------------------------------------- the upload POST


async def test_a_500_on_the_upload_post_is_not_retried() -> None:
    faults = Faults(error_rate=1.0, error_statuses=(500,), methods={"POST"})
    async with faulty(faults, max_retries=5) as (emu, fs):
        cid = emu.campaign_ids()[0]
        with pytest.raises(ServerError) as info:
            await fs.dial_campaigns.upload_data(cid, records(0, 3))
        assert (info.value.status, info.value.code) == (500, "server_error")
        assert emu.counters.requests == 1
        assert emu.counters.by_route == {POST_ROUTE: 1}
        assert emu.counters.records_received == 0
        # The same 500 on an idempotent GET is retried: the contrast is the POST rule.
        emu.faults = Faults(error_rate=1.0, error_statuses=(500,))
        emu.reset_counters()
        with pytest.raises(ServerError):
            await fs.account.get()
        assert emu.counters.requests == 6


async def test_a_429_on_the_upload_post_is_retried() -> None:
    log = SleepLog()
    faults = Faults(rate_limit_rate=0.5, retry_after=0.05, methods={"POST"}, seed=2)
    async with faulty(faults, max_retries=10, retry_policy=fast_policy(log)) as (emu, fs):
        cid = emu.campaign_ids()[0]
        summaries = [
            await fs.dial_campaigns.upload_data(cid, records(10 * i, 10)) for i in range(6)
        ]
        counters = emu.counters
        stored = emu.stored_records(cid)
    injected = counters.faults_injected
    assert injected >= 2
    assert counters.by_route == {POST_ROUTE: 6 + injected}
    assert counters.by_status == {200: 6, 429: injected}
    assert [s.inserted for s in summaries] == [10] * 6
    assert len(stored) == 60 and counters.duplicates_seen == 0  # each batch stored once
    assert log.waits == [0.05] * injected


async def test_a_dropped_upload_post_is_not_repeated() -> None:
    # Dropped after processing: the records are stored but the answer is lost. The SDK must
    # not send the batch again on its own.
    faults = Faults(drop_after_rate=1.0, methods={"POST"})
    async with faulty(faults, max_retries=5) as (emu, fs):
        cid = emu.campaign_ids()[0]
        with pytest.raises(APIConnectionError):
            await fs.dial_campaigns.upload_data(cid, records(0, 4))
        assert emu.counters.requests == 1
        assert emu.counters.dropped_after == 1
        assert len(emu.stored_records(cid)) == 4
        # Dropped before processing: nothing stored, still one attempt.
        emu.faults = Faults(drop_before_rate=1.0, methods={"POST"})
        emu.reset_counters()
        with pytest.raises(APIConnectionError):
            await fs.dial_campaigns.upload_data(cid, records(100, 4))
        assert emu.counters.requests == 1
        assert emu.counters.dropped_before == 1
        assert len(emu.stored_records(cid)) == 4


# ---------------------------------------------------------------------------- dropped GETs


async def test_dropped_connections_on_gets_are_retried() -> None:
    log = SleepLog()
    faults = Faults(drop_before_rate=0.4, methods={"GET"}, seed=4)
    async with faulty(faults, max_retries=8, retry_policy=fast_policy(log)) as (emu, fs):
        dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
        gets = {n: c for n, c in ENDPOINT_CALLS.items() if "upload" not in n and "update" not in n}
        for _ in range(2):
            for call in gets.values():
                assert await call(fs, dial, sms) is not None
        counters = emu.counters
    dropped = counters.dropped_before
    assert dropped >= 3
    assert counters.by_status == {200: 2 * len(gets)}  # dropped requests have no status
    assert counters.requests == 2 * len(gets) + dropped
    assert len(log.waits) == dropped  # every resend was the SDK's, after a backoff


async def test_max_retries_bounds_every_resend_of_a_dropped_get() -> None:
    # aiohttp on its own resends an idempotent request once when the server drops the
    # connection; the SDK turns that off, so max_retries=0 means exactly one request.
    async with faulty(Faults(drop_before_rate=1.0), max_retries=0) as (emu, fs):
        with pytest.raises(APIConnectionError):
            await fs.account.get()
        assert emu.counters.requests == 1
        with pytest.raises(APIConnectionError):
            await fs.account.get(max_retries=2)
        assert emu.counters.requests == 4


# ---------------------------------------------------------------------------- timeouts


async def test_total_timeout_against_latency() -> None:
    async with faulty(Faults(latency=1.0), timeout=Timeout(total=0.2)) as (emu, fs):
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(APITimeoutError) as info:
            await fs.account.get()
        elapsed = loop.time() - started
        assert 0.15 <= elapsed < 0.6
        assert "0.2" in str(info.value)
        assert emu.counters.requests == 1  # no time was left for a retry


class EarlyTimerLoop(asyncio.SelectorEventLoop):
    """An event loop whose timers fire 2 ms before their time, as uvloop's can: libuv keeps
    whole milliseconds, so a timer set for a deadline may run while ``loop.time()`` still
    reads just before it."""

    def call_at(self, when: float, callback: Any, *args: Any, context: Any = None) -> Any:
        return super().call_at(when - 0.002, callback, *args, context=context)


@pytest.mark.parametrize("observed", [False, True], ids=["plain", "with-hooks"])
def test_total_timeout_is_named_when_the_timer_fires_early(observed: bool) -> None:
    """The total deadline is reported as such (not as a read timeout, nor as a cancellation
    in the response event) even when the loop's timer runs a little before the deadline."""
    events: list[ResponseEvent] = []

    async def main() -> None:
        hooks: dict[str, Any] = {"on_response": events.append} if observed else {}
        async with faulty(Faults(latency=1.0), timeout=Timeout(total=0.2), **hooks) as (_, fs):
            with pytest.raises(APITimeoutError, match=r"total timeout of 0\.2 s"):
                await fs.account.get()

    with asyncio.Runner(loop_factory=EarlyTimerLoop) as runner:
        runner.run(main())
    if observed:
        assert [event.error for event in events] == ["APITimeoutError"]


async def test_a_timeout_raised_by_a_session_middleware_is_retried_not_the_deadline() -> None:
    """A bare TimeoutError long before the deadline (here from a client middleware on the
    user's session) is not the call's total timeout: it is retried like a read timeout."""
    timed_out: list[bool] = []

    async def flaky(
        request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        if not timed_out:
            timed_out.append(True)
            raise TimeoutError
        return await handler(request)

    async with (
        Emulator(seed=0) as emu,
        aiohttp.ClientSession(middlewares=(flaky,)) as session,
        AsyncFreestyle(
            api_key=emu.api_key,
            base_url=emu.base_url,
            session=session,
            timeout=60,
            retry_policy=FAST_RETRIES,
        ) as fs,
    ):
        account = await fs.account.get()
    assert account.id and timed_out == [True]


async def test_a_session_that_raises_for_status_still_gives_the_api_errors() -> None:
    """A user's ``session=`` made with ``raise_for_status=True``: the SDK maps the answer."""
    async with (
        Emulator(seed=0) as emu,
        aiohttp.ClientSession(raise_for_status=True) as session,
        AsyncFreestyle(api_key=emu.api_key, base_url=emu.base_url, session=session) as fs,
    ):
        with pytest.raises(NotFoundError):
            await fs.sms_campaigns.get("s_does_not_exist")


async def test_per_call_timeout_against_latency() -> None:
    async with faulty(Faults(latency=1.0)) as (emu, fs):
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(APITimeoutError):
            await fs.sms_campaigns.get(emu.sms_campaign_ids()[0], timeout=0.2)
        assert loop.time() - started < 0.6
        with pytest.raises(APITimeoutError):
            await fs.dial_campaigns.list(timeout=Timeout(total=0.2)).first_page()
        assert loop.time() - started < 1.2


async def test_read_timeouts_are_retried_within_the_total() -> None:
    timeout = Timeout(total=5.0, read=0.1)
    async with faulty(Faults(latency=1.0), timeout=timeout, max_retries=2) as (emu, fs):
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(APITimeoutError):
            await fs.account.phone_numbers()
        elapsed = loop.time() - started
        assert emu.counters.requests == 3  # each attempt timed out reading, then retried
        # Three read timeouts of 0.1 s, less what uvloop's millisecond timers may cut short.
        assert 0.3 - 3 * 0.002 <= elapsed < 2.0  # a 1 s answer was never waited for


async def test_latency_under_the_timeout_is_fine() -> None:
    async with faulty(Faults(latency=0.05), timeout=Timeout(total=1.0, read=0.5)) as (emu, fs):
        account = await fs.account.get()
        assert account.name
        assert emu.counters.requests == 1
