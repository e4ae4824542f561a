"""A 429/503 with Retry-After pauses every worker of the upload, not just the one that got it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import aiohttp
from _clients import FAST_RETRIES

from freestyle_async import AsyncFreestyle, RateLimitError
from freestyle_async.bulk import BulkProgress
from freestyle_async.testing import Emulator, Faults

RETRY_AFTER = 0.05


async def test_no_worker_sends_while_the_gate_is_closed(emu: Emulator, campaign_id: str) -> None:
    loop = asyncio.get_running_loop()
    starts: list[float] = []  # when each request started, from aiohttp's trace
    pauses: list[tuple[float, float]] = []  # (when a 429 was handled, the wait it imposed)

    async def on_start(_s: object, _c: SimpleNamespace, _p: object) -> None:
        starts.append(loop.time())

    def on_progress(progress: BulkProgress) -> None:
        # Announced just before the worker closes the gate, with no await in between.
        if progress.retry is not None and isinstance(progress.retry.cause, RateLimitError):
            pauses.append((loop.time(), progress.retry.wait))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    emu.faults = Faults(
        rate_limit_rate=0.15, retry_after=RETRY_AFTER, latency=0.002, methods=("POST",), seed=11
    )
    records = [{"phone1": f"4{i:09d}"} for i in range(6_000)]
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        AsyncFreestyle(
            api_key=emu.api_key, base_url=emu.base_url, session=session, retry_policy=FAST_RETRIES
        ) as fs,
    ):
        report = await fs.dial_campaigns.upload_leads(
            campaign_id, records, chunk_size=100, concurrency=6, on_progress=on_progress
        )
    assert report.ok and report.inserted == 6_000
    assert len(pauses) >= 2  # about one request in seven meets a 429
    assert len(starts) == 60 + len(pauses)
    assert all(wait == RETRY_AFTER for _, wait in pauses)  # the server's Retry-After
    for handled, wait in pauses:
        during = [t for t in starts if handled < t < handled + wait]
        assert during == [], f"{len(during)} request(s) sent during a {wait} s pause"
    # ...and the upload did resume after each pause.
    assert max(starts) > max(handled for handled, _ in pauses)


async def test_waiting_workers_resume_together(emu: Emulator, campaign_id: str) -> None:
    """Every worker meets a 429 at once; all wait out the one gate, then carry on."""
    loop = asyncio.get_running_loop()
    starts: list[float] = []

    limited = 0

    async def on_start(_s: object, _c: SimpleNamespace, _p: object) -> None:
        starts.append(loop.time())

    async def on_end(
        _s: object, _c: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        nonlocal limited
        limited += params.response.status == 429
        if limited == 4:  # the whole first round was refused: let the repeats through
            emu.faults = None

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    emu.faults = Faults(
        rate_limit_rate=1.0, retry_after=RETRY_AFTER, latency=0.01, methods=("POST",)
    )
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        AsyncFreestyle(
            api_key=emu.api_key, base_url=emu.base_url, session=session, retry_policy=FAST_RETRIES
        ) as fs,
    ):
        report = await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": f"5{i:09d}"} for i in range(400)], chunk_size=100
        )
    assert report.ok and [c.attempts for c in report.chunks] == [2, 2, 2, 2]
    first_round, second_round = starts[:4], starts[4:]
    assert len(second_round) == 4
    assert min(second_round) - max(first_round) >= RETRY_AFTER
