"""Each ``ChunkResult`` holds the request id of every attempt: the answer's ``X-Request-Id``
when it succeeded, the ``APIError``'s when it failed, ``None`` when no answer came."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from freestyle_async import AsyncFreestyle, ResponseEvent
from freestyle_async.bulk import RecordIssue
from freestyle_async.cli._upload import UploadTotals, write_rejects
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


async def test_the_records_of_a_failed_chunk_and_the_cli_outputs_show_the_ids(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    emu.faults = Faults(error_rate=1.0, error_statuses=(400,), methods=POST_ONLY)
    records = [{"phone1": "4165550100"}, {"phone1": "bad"}, {"phone1": "4165550101"}]
    report = await fs.dial_campaigns.upload_leads(campaign_id, records)
    [chunk] = report.chunks
    [rid] = chunk.request_ids
    assert rid is not None
    issues = list(report.issues(include_refused=True))
    assert {i.index: i.request_ids for i in issues} == {0: (rid,), 1: (), 2: (rid,)}

    rejects = tmp_path / "rejects.csv"
    assert write_rejects(issues, str(rejects)) == 3
    with rejects.open(encoding="utf-8") as file:
        rows = {int(r["index"]): r for r in csv.DictReader(file)}
    assert {i: r["request_ids"] for i, r in rows.items()} == {0: rid, 1: "", 2: rid}

    totals = UploadTotals.from_report(report, None, 0)
    assert totals.chunks == ({"index": 0, "status": "failed", "attempts": 1, "request_ids": [rid]},)


def test_a_rejects_row_shows_an_attempt_without_an_answer_as_a_dash(tmp_path: Path) -> None:
    issue = RecordIssue(
        0, 2, {"phone1": "4165550100"}, None, "outcome unknown", outcome="unknown",
        request_ids=("req_a", None, "req_b"),
    )  # fmt: skip
    rejects = tmp_path / "rejects.csv"
    write_rejects([issue], str(rejects))
    with rejects.open(encoding="utf-8") as file:
        [row] = list(csv.DictReader(file))
    assert row["request_ids"] == "req_a - req_b"
