"""Each ``ChunkResult`` holds the request id of every attempt: the answer's ``X-Request-Id``
when it succeeded, the ``APIError``'s when it failed, ``None`` when no answer came."""

from __future__ import annotations

import re

from freestyle_async import AsyncFreestyle, ResponseEvent
from freestyle_async.testing import Emulator, Faults

from .test_upload import assert_balanced

POST_ONLY = ("POST",)
REQUEST_ID = re.compile(r"req_[0-9a-f]{32}")


async def test_each_accepted_chunk_holds_its_answers_request_id(
    fs: AsyncFreestyle, campaign_id: str
) -> None:
    events: list[ResponseEvent] = []
    client = fs.with_options(on_response=events.append)
    records = [{"phone1": f"41655{i:05d}"} for i in range(250)]
    report = await client.dial_campaigns.upload_leads(campaign_id, records, chunk_size=100)
    assert [c.status for c in report.chunks] == ["accepted"] * 3
    ids = [c.request_ids for c in report.chunks]
    assert all(len(one) == 1 and REQUEST_ID.fullmatch(one[0] or "") for one in ids), ids
    # The very ids the server sent for those POSTs, each once.
    sent = [e.request_id for e in events if e.method == "POST"]
    assert sorted(i[0] or "" for i in ids) == sorted(i or "" for i in sent)


async def test_every_attempt_of_a_retried_chunk_is_listed_in_order(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(
        rate_limit_rate=0.3,
        retry_after=0.0,
        error_rate=0.2,
        error_statuses=(503, 500),
        drop_before_rate=0.15,
        methods=POST_ONLY,
        seed=11,
    )
    events: list[ResponseEvent] = []
    client = fs.with_options(on_response=events.append)
    records = [{"phone1": f"51655{i:05d}"} for i in range(2_000)]
    report = await client.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=100, concurrency=1, max_attempts=20
    )
    assert_balanced(report)
    assert report.ok
    # One entry per attempt; with one worker the attempts are the POSTs in order.
    assert all(len(c.request_ids) == c.attempts for c in report.chunks)
    assert any(c.attempts > 1 for c in report.chunks)
    listed = [rid for c in report.chunks for rid in c.request_ids]
    assert listed == [e.request_id for e in events if e.method == "POST"]
    # Failed attempts with an answer carry its id, dropped ones None; the last is the 200's.
    assert None in listed and sum(rid is not None for rid in listed) > len(report.chunks)
    assert all(c.request_ids[-1] is not None for c in report.chunks)


async def test_a_chunk_that_failed_holds_the_errors_request_id(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(error_rate=1.0, error_statuses=(400,), methods=POST_ONLY)
    report = await fs.dial_campaigns.upload_leads(campaign_id, [{"phone1": "4165550100"}])
    [chunk] = report.chunks
    assert chunk.status == "failed"
    assert chunk.error is not None and chunk.request_ids == (chunk.error.request_id,)
    assert REQUEST_ID.fullmatch(chunk.request_ids[0] or "")


async def test_a_chunk_never_answered_holds_none_and_one_not_sent_holds_nothing(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(drop_before_rate=1.0, methods=POST_ONLY)
    records = [{"phone1": f"61655{i:05d}"} for i in range(20)]
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=10, concurrency=1, max_attempts=2, fail_fast=True
    )
    first, second = report.chunks
    assert (first.status, first.request_ids) == ("unknown", (None, None))
    assert (second.status, second.request_ids) == ("not_sent", ())
