"""The outcome rule against a server that answers 5xx after storing the records.

Once the body has been sent, only a 429 or a 503 carrying ``Retry-After`` proves nothing was
stored; a bare 503 (an overloaded backend, a proxy) may come after the records were stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
import pytest
from _clients import FAST_RETRIES

from freestyle_async import AsyncFreestyle, ServerError
from freestyle_async.bulk._engine import Sent, run_upload
from freestyle_async.models import UploadSummary
from freestyle_async.testing import Emulator, Faults

from .test_upload import assert_balanced, stored_phones

POST_ONLY = ("POST",)


def records(count: int, first: int = 0) -> list[dict[str, str]]:
    return [{"phone1": f"6{i:09d}"} for i in range(first, first + count)]


async def test_a_bare_503_after_storing_is_unknown_and_not_resent_under_report(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(error_after_rate=1.0, error_statuses=(503,), methods=POST_ONLY)
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records(250), chunk_size=100, on_unknown="report"
    )
    assert_balanced(report)
    assert [(c.status, c.attempts) for c in report.chunks] == [("unknown", 1)] * 3
    assert (report.unknown, report.inserted, report.skipped_by_server) == (250, 0, 0)
    assert emu.counters.requests == 3  # nothing sent twice
    assert report.unknown_records[0].reason.startswith("outcome unknown: HTTP 503")
    # The server did store them, once each: "unknown" was the honest answer.
    assert sorted(stored_phones(emu, campaign_id)) == [r["phone1"] for r in records(250)]


@pytest.mark.parametrize("status", [501, 507, 524])
async def test_any_other_5xx_after_storing_is_unknown_under_report(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, status: int
) -> None:
    emu.faults = Faults(error_after_rate=1.0, error_statuses=(status,), methods=POST_ONLY)
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records(150), chunk_size=100, on_unknown="report"
    )
    assert_balanced(report)
    assert [(c.status, c.attempts) for c in report.chunks] == [("unknown", 1)] * 2
    assert (report.unknown, report.failed) == (150, 0)
    assert sorted(stored_phones(emu, campaign_id)) == [r["phone1"] for r in records(150)]


async def test_a_bare_503_after_storing_is_resent_and_marked_under_retry(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(error_after_rate=0.5, error_statuses=(503,), methods=POST_ONLY, seed=4)
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records(2_000), chunk_size=100, max_attempts=20
    )
    assert_balanced(report)
    assert report.ok and report.inserted + report.skipped_by_server == 2_000
    assert report.chunks_retried_after_unknown > 0
    for chunk in report.chunks:  # duplicates only where the report marks a repeat
        assert chunk.skipped == 0 or chunk.retried_after_unknown, chunk
    phones = stored_phones(emu, campaign_id)
    assert sorted(phones) == [r["phone1"] for r in records(2_000)]


async def test_upload_data_is_not_repeated_after_a_bare_503(emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    emu.faults = Faults(error_after_rate=1.0, error_statuses=(503,), methods=POST_ONLY)
    async with AsyncFreestyle(
        api_key=emu.api_key,
        base_url=emu.base_url,
        max_retries=5,
        retry_policy=FAST_RETRIES,
    ) as fs:
        with pytest.raises(ServerError) as info:
            await fs.dial_campaigns.upload_data(cid, records(4))
    assert info.value.status == 503
    assert emu.counters.requests == 1
    assert len(emu.stored_records(cid)) == 4


# -- the all-workers pause gate, with a scripted server -----------------------------------


class Script:
    """A ``send`` for ``run_upload`` whose first call raises ``error``; the waits asked of the
    retry policy are recorded and not slept."""

    def __init__(self, error: ServerError) -> None:
        self.error: ServerError | None = error
        self.waits: list[float] = []
        self.policy = attrs.evolve(FAST_RETRIES, sleep=self.sleep)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)

    async def send(self, body: bytes) -> Sent:
        await asyncio.sleep(0)
        error, self.error = self.error, None
        if error is not None:
            raise error
        count = body.count(b"phone1")
        return Sent(UploadSummary(inserted=count, skipped=0, total_leads=count), None)


async def upload(script: Script, on_unknown: Any = "retry") -> Any:
    return await run_upload(
        script.send,
        campaign_id="c_1",
        path="/dial-campaigns/c_1/data",
        records=records(600),
        policy=script.policy,
        chunk_size=100,
        concurrency=3,
        on_unknown=on_unknown,
        checkpoint=None,
        on_progress=None,
        fail_fast=False,
        max_attempts=3,
    )


async def test_a_503_with_retry_after_pauses_every_worker_and_is_not_unknown() -> None:
    script = Script(ServerError("busy", status=503, retry_after=5.0))
    report = await upload(script, on_unknown="report")
    assert report.ok and report.inserted == 600
    (retried,) = [c for c in report.chunks if c.attempts == 2]
    assert not retried.retried_after_unknown  # the server said it did not take it
    # The failing worker and at least one other waited out the server's 5 s at the gate.
    assert len([w for w in script.waits if 4.9 < w <= 5.0]) >= 2


async def test_a_bare_503_pauses_only_its_own_worker() -> None:
    script = Script(ServerError("busy", status=503))
    report = await upload(script)
    assert report.ok and report.inserted == 600
    (retried,) = [c for c in report.chunks if c.attempts == 2]
    assert retried.retried_after_unknown
    assert len(script.waits) == 1 and script.waits[0] <= 0.01  # its own backoff, no gate
