"""100,000 records through an emulator that fails often: every record accounted for exactly."""

from __future__ import annotations

import pytest

from freestyle_async import AsyncFreestyle
from freestyle_async.bulk import BulkProgress, normalize_record
from freestyle_async.testing import Emulator, Faults

from ._data import generate
from .test_upload import assert_balanced

FAULTS = Faults(
    error_rate=0.06,
    error_statuses=(500, 502, 503),
    rate_limit_rate=0.06,
    retry_after=0.05,
    drop_before_rate=0.05,
    drop_after_rate=0.05,
    methods=("POST",),
    seed=2026,
)


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


async def test_100k_records_with_faults(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    data = generate(100_000, seed=7, invalid_rate=0.02, duplicate_rate=0.02)
    emu.faults = FAULTS
    retries: list[BulkProgress] = []

    def on_progress(progress: BulkProgress) -> None:
        if progress.retry is not None:
            retries.append(progress)

    report = await fs.dial_campaigns.upload_leads(
        campaign_id, iter(data.records), concurrency=4, max_attempts=12, on_progress=on_progress
    )

    # The balance, exactly.
    assert_balanced(report)
    assert report.ok, report
    assert report.read == 100_000
    valid = 100_000 - len(data.invalid)
    assert report.inserted + report.skipped_by_server == valid

    # Faults of every kind happened and were retried.
    counters = emu.counters
    assert counters.dropped_before > 0 and counters.dropped_after > 0
    assert {type(p.retry.cause).__name__ for p in retries if p.retry} >= {
        "RateLimitError",
        "ServerError",
        "APIConnectionError",
    }
    assert report.chunks_retried_after_unknown > 0
    assert max(c.attempts for c in report.chunks) > 1

    # Every valid distinct record is stored exactly once, as normalised.
    stored = emu.stored_records(campaign_id)
    phones = [r["phone1"] for r in stored]
    assert len(phones) == len(set(phones)) == len(data.expected_phones)
    assert set(phones) == data.expected_phones
    # (Chunks race, so of two records sharing a phone1 either may be the one kept.)
    sent_with_phone: dict[str, list[dict[str, object]]] = {}
    for index, record in enumerate(data.records):
        if index not in data.invalid:
            clean = normalize_record(record)
            sent_with_phone.setdefault(clean["phone1"], []).append(clean)
    assert all(r in sent_with_phone[r["phone1"]] for r in stored)
    # What the server reports inserted never exceeds what it holds; the rest of the stored
    # records came from attempts whose answer was lost, and show up as duplicates on repeat.
    assert report.inserted <= len(stored)
    assert report.skipped_by_server >= data.duplicates

    # Every rejected record is listed, with the right field and reason.
    assert {i.index for i in report.rejected_records} == set(data.invalid)
    for issue in report.rejected_records:
        field, reason = data.invalid[issue.index]
        assert issue.field == field
        assert issue.reason.startswith(reason)
        assert issue.record is data.records[issue.index]
