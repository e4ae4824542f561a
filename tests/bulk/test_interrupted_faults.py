"""An input that raises at a random point while the server fails in every way it can, then a
resume with the same checkpoint: across seeds, the reports balance, the server ends up holding
every valid record once, and duplicates appear only in chunks the reports mark."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from _clients import FAST_RETRIES

from freestyle_async import AsyncFreestyle
from freestyle_async.bulk import BulkUploadError, BulkUploadReport, OnUnknown, normalize_record
from freestyle_async.testing import Emulator, Faults

from ._data import generate
from .test_upload import assert_balanced

SEEDS = (11, 12, 13, 14, 15)
CHUNK = 100
COUNT = 3_000


class InputBroke(Exception):
    """What the caller's input raises."""


def faults(seed: int) -> Faults:
    return Faults(
        error_rate=0.05,  # 500/502/503 before processing
        error_after_rate=0.08,  # 500/502/503 after the records were stored
        error_statuses=(500, 502, 503),
        rate_limit_rate=0.05,
        retry_after=0.001,
        drop_before_rate=0.04,
        drop_after_rate=0.08,
        methods=("POST",),
        seed=seed,
    )


def phones_of(report: BulkUploadReport, kind: str) -> set[str]:
    return {issue.record["phone1"] for issue in getattr(report, f"{kind}_records")}


async def interrupted_then_resumed(
    tmp_path: Path, seed: int, on_unknown: OnUnknown
) -> tuple[Counter[str], int]:
    """One seed: the interrupted run, its checks, the resume, its checks. Returns what
    happened (chunk statuses, marks) and the faults the emulator injected."""
    rng = random.Random(seed)
    data = generate(COUNT, seed=seed, invalid_rate=0.02, duplicate_rate=0.0)
    stop_at = rng.randrange(1, COUNT)
    checkpoint = tmp_path / f"cp-{seed}-{on_unknown}.json"
    seen: Counter[str] = Counter()

    def broken() -> Iterator[dict[str, Any]]:
        yield from data.records[:stop_at]
        raise InputBroke(f"row {stop_at}")

    async def broken_async() -> AsyncIterator[dict[str, Any]]:
        for record in data.records[:stop_at]:
            yield record
        raise InputBroke(f"row {stop_at}")

    source = broken() if rng.random() < 0.5 else broken_async()
    async with Emulator(seed=0) as emu:
        campaign_id = emu.campaign_ids()[0]
        async with AsyncFreestyle(
            api_key=emu.api_key, base_url=emu.base_url, retry_policy=FAST_RETRIES, timeout=10
        ) as fs:
            emu.faults = faults(seed)
            with pytest.raises(BulkUploadError) as caught:
                await fs.dial_campaigns.upload_leads(
                    campaign_id,
                    source,
                    chunk_size=CHUNK,
                    concurrency=3,
                    on_unknown=on_unknown,
                    checkpoint=checkpoint,
                    max_attempts=4,
                )
            assert isinstance(caught.value.__cause__, InputBroke)
            first = caught.value.report
            assert_balanced(first)
            assert first.read == stop_at
            stored = {r["phone1"] for r in emu.stored_records(campaign_id)}
            # Failed and not-sent records were not stored; whatever is stored is in an
            # accepted chunk or one whose outcome the report calls unknown.
            assert not stored & phones_of(first, "failed")
            accepted = {c.index for c in first.chunks if c.status == "accepted"}
            unknown = {c.index for c in first.chunks if c.status == "unknown"}
            held = stored - phones_of(first, "unknown")
            assert len(held) == sum(c.records for c in first.chunks if c.status == "accepted")
            for chunk in first.chunks:
                seen[chunk.status] += 1
                if chunk.skipped:  # no duplicates in the input: only repeats skip records
                    assert chunk.retried_after_unknown, chunk
                seen["retried_after_unknown"] += chunk.retried_after_unknown
            if on_unknown == "report":  # an unknown outcome is never sent again
                assert not any(c.retried_after_unknown for c in first.chunks)

            # The resume: the whole input, the same checkpoint, the server still failing.
            emu.faults = faults(seed + 100)
            second = await fs.dial_campaigns.upload_leads(
                campaign_id, data.records, chunk_size=CHUNK, checkpoint=checkpoint, max_attempts=30
            )
            assert_balanced(second)
            assert second.ok, second
            assert {c.index for c in second.chunks if c.status == "already_done"} == accepted
            marked = unknown | {c.index for c in second.chunks if c.retried_after_unknown}
            for chunk in second.chunks:
                if chunk.skipped:
                    assert chunk.index in marked, (chunk, unknown)
            phones = [r["phone1"] for r in emu.stored_records(campaign_id)]
            assert len(phones) == len(set(phones)) == len(data.expected_phones)
            assert set(phones) == data.expected_phones
            sent = {
                normalize_record(r)["phone1"]: normalize_record(r)
                for i, r in enumerate(data.records)
                if i not in data.invalid
            }
            assert all(
                record == sent[record["phone1"]] for record in emu.stored_records(campaign_id)
            )
            return seen, emu.counters.faults_injected


@pytest.mark.parametrize("on_unknown", ["retry", "report"])
async def test_interrupted_uploads_under_faults_then_resumed(
    tmp_path: Path, on_unknown: OnUnknown
) -> None:
    totals: Counter[str] = Counter()
    injected = 0
    for seed in SEEDS:
        seen, faults_injected = await interrupted_then_resumed(tmp_path, seed, on_unknown)
        totals.update(seen)
        injected += faults_injected
    # The seeds do exercise the faults: chunks settled every way an interrupted run can.
    assert injected > 20
    assert totals["accepted"] and totals["not_sent"]
    if on_unknown == "report":
        assert totals["unknown"] > 0
    else:
        assert totals["retried_after_unknown"] > 0
