"""upload_leads against the emulator: the report, inputs, policies and progress."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle, Contact, ValidationError
from freestyle_async.bulk import (
    BulkProgress,
    BulkUploadError,
    BulkUploadReport,
    read_contacts_csv,
)
from freestyle_async.testing import Emulator, Faults

from ._data import generate

POST_ONLY = ("POST",)


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


def assert_balanced(report: BulkUploadReport) -> None:
    assert report.balanced
    assert report.read == (
        report.inserted
        + report.skipped_by_server
        + report.rejected
        + report.failed
        + report.unknown
        + report.already_done
    )
    assert report.rejected == len(report.rejected_records)
    assert report.failed == len(report.failed_records)
    assert report.unknown == len(report.unknown_records)
    assert sum(c.records for c in report.chunks) + report.rejected == report.read
    lists = {
        "rejected": report.rejected_records,
        "failed": report.failed_records,
        "unknown": report.unknown_records,
        "refused": report.refused_by_server,
    }
    for outcome, issues in lists.items():  # each issue says which list holds it
        assert {i.outcome for i in issues} <= {outcome}


def stored_phones(emu: Emulator, campaign_id: str) -> list[str]:
    return [record["phone1"] for record in emu.stored_records(campaign_id)]


async def test_every_record_is_accounted_for(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    data = generate(5_000, seed=1)
    report = await fs.dial_campaigns.upload_leads(campaign_id, data.records, chunk_size=500)
    assert_balanced(report)
    assert report.ok
    assert report.read == 5_000
    assert report.rejected == len(data.invalid)
    assert report.inserted == len(data.expected_phones)
    assert report.skipped_by_server == data.duplicates
    phones = stored_phones(emu, campaign_id)
    assert len(phones) == len(set(phones))
    assert set(phones) == data.expected_phones
    for issue in report.rejected_records:
        field, reason = data.invalid[issue.index]
        assert (issue.field, issue.line) == (field, None)
        assert issue.reason.startswith(reason)
        assert issue.record is data.records[issue.index]
    assert [c.index for c in report.chunks] == list(range(len(report.chunks)))
    assert all(c.status == "accepted" and c.attempts == 1 for c in report.chunks)
    assert all(c.records == 500 for c in report.chunks[:-1])


async def test_contacts_and_async_iterables(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    async def contacts() -> AsyncIterator[Contact]:
        for i in range(2_500):
            yield Contact(phone1=f"+1 (613) 5{i:06d}", account_name=f"C{i}")

    report = await fs.dial_campaigns.upload_leads(campaign_id, contacts(), chunk_size=1000)
    assert_balanced(report)
    assert (report.read, report.inserted, len(report.chunks)) == (2_500, 2_500, 3)
    assert stored_phones(emu, campaign_id)[:2] == ["6135000000", "6135000001"]


async def test_the_input_is_read_lazily(fs: AsyncFreestyle, campaign_id: str) -> None:
    high_water = 0
    pulled = 0

    def records() -> Iterator[dict[str, str]]:
        nonlocal pulled
        for i in range(40_000):
            pulled += 1
            yield {"phone1": f"3{i:09d}"}

    def on_progress(progress: BulkProgress) -> None:
        nonlocal high_water
        high_water = max(high_water, pulled - progress.records_done)

    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records(), chunk_size=1000, concurrency=2, on_progress=on_progress
    )
    assert report.inserted == 40_000
    # Never more than the queue, the workers' chunks and one batch ahead of what is settled.
    assert high_water <= (2 + 2 + 2) * 1000


async def test_csv_lines_reach_the_report(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "Phone,Name,Balance\n"
        "(416) 555-0100,Ann,10\n"
        "555-0101,Bob,11\n"
        "416.555.0102,Cy,twelve\n"
        "+1 416 555 0103,Di,13,oops\n"
        "416 555 0100,Ann again,14\n",
        encoding="utf-8-sig",
    )
    rows = read_contacts_csv(
        path, columns={"Phone": "phone1", "Name": "account_name", "Balance": "amount"}
    )
    report = await fs.dial_campaigns.upload_leads(campaign_id, rows)
    assert_balanced(report)
    assert (report.inserted, report.skipped_by_server, report.rejected) == (1, 1, 3)
    assert [(i.index, i.line, i.field) for i in report.rejected_records] == [
        (1, 3, "phone1"),
        (2, 4, "amount"),
        (3, 5, None),
    ]
    assert "header has 3 columns" in report.rejected_records[2].reason
    assert emu.stored_records(campaign_id) == [
        {"phone1": "4165550100", "account_name": "Ann", "amount": 10}
    ]


async def test_a_numeric_cell_of_thousands_of_digits_rejects_its_record(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    huge = "9" * 5_000  # int() of it raises ValueError (Python's digit limit)
    path.write_text(
        "phone1,amount,timezone_id,datetime\n"
        "4165550100,12,5,1777777777\n"
        f"4165550101,{huge},5,1777777777\n"
        f"4165550102,12,{huge},1777777777\n"
        f"4165550103,12,5,{huge}\n"
        "4165550104,-0000000000000000000000000000007,5,1777777777\n"
    )
    report = await fs.dial_campaigns.upload_leads(campaign_id, read_contacts_csv(path))
    assert_balanced(report)
    assert [(i.line, i.field, i.reason.split(" between")[0]) for i in report.rejected_records] == [
        (3, "amount", "must be a number"),
        (4, "timezone_id", "must be an integer"),
        (5, "datetime", "must be ISO 8601 (2026-05-01T09:30:00Z) or Unix time in seconds"),
    ]
    assert report.inserted == 2
    assert [r["amount"] for r in emu.stored_records(campaign_id)] == [12, -7]


async def test_progress_is_reported_per_chunk_and_at_the_end(
    fs: AsyncFreestyle, campaign_id: str
) -> None:
    seen: list[BulkProgress] = []
    records = [{"phone1": f"4{i:09d}"} for i in range(3_500)]
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, on_progress=seen.append, concurrency=2
    )
    assert len(report.chunks) == 4
    assert sum(1 for p in seen if not p.finished) >= 4
    last = seen[-1]
    assert last.finished and [p.finished for p in seen].count(True) == 1
    assert (last.records_read, last.records_accepted, last.records_done) == (3_500,) * 3
    assert last.chunks_done == 4 and last.records_total == 3_500
    assert all(p.records_total == 3_500 for p in seen)  # a list has a length
    chunks_done = [p.chunks_done for p in seen]
    assert chunks_done == sorted(chunks_done)
    assert last.rate > 0


async def test_on_unknown_report_lists_the_records(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(drop_after_rate=1.0, methods=POST_ONLY)
    records = [{"phone1": f"5{i:09d}", "data1": str(i)} for i in range(2_400)]
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, on_unknown="report", chunk_size=1000
    )
    assert_balanced(report)
    assert (report.unknown, report.inserted, report.failed) == (2_400, 0, 0)
    assert [c.status for c in report.chunks] == ["unknown"] * 3
    assert all(c.attempts == 1 for c in report.chunks)  # not repeated
    assert [i.index for i in report.unknown_records] == list(range(2_400))
    assert report.unknown_records[7].record == {"phone1": "5000000007", "data1": "7"}
    assert report.unknown_records[7].reason.startswith("outcome unknown")
    # They were in fact stored: the caller reconciles by sending them again.
    emu.faults = None
    again = await fs.dial_campaigns.upload_leads(
        campaign_id, [i.record for i in report.unknown_records]
    )
    assert (again.inserted, again.skipped_by_server) == (0, 2_400)
    with pytest.raises(BulkUploadError) as caught:
        report.raise_for_failures()
    assert caught.value.report is report
    assert "2400 with an unknown outcome" in str(caught.value)


async def test_on_unknown_retry_never_stores_twice(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(drop_after_rate=0.3, error_rate=0.1, methods=POST_ONLY, seed=3)
    records = [{"phone1": f"6{i:09d}"} for i in range(10_000)]
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=500, max_attempts=20
    )
    assert_balanced(report)
    assert report.ok
    assert report.inserted + report.skipped_by_server == 10_000
    assert report.chunks_retried_after_unknown > 0
    assert emu.counters.dropped_after > 0
    phones = stored_phones(emu, campaign_id)
    assert sorted(phones) == [r["phone1"] for r in records]
    for chunk in report.chunks:
        if chunk.skipped:  # only repeats after a lost answer see duplicates here
            assert chunk.retried_after_unknown


async def test_a_failed_chunk_does_not_stop_the_others(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(error_rate=0.3, error_statuses=(400,), methods=POST_ONLY, seed=5)
    records = [{"phone1": f"7{i:09d}"} for i in range(6_000)]
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=500, concurrency=1
    )
    assert_balanced(report)
    failed = [c for c in report.chunks if c.status == "failed"]
    assert failed and len(failed) < len(report.chunks)
    assert report.failed == sum(c.records for c in failed) == len(report.failed_records)
    assert all(c.attempts == 1 and c.error is not None for c in failed)
    failed_phones = {i.record["phone1"] for i in report.failed_records}
    assert "HTTP 400" in report.failed_records[0].reason
    assert report.failed_records[0].error is not None
    stored = set(stored_phones(emu, campaign_id))
    assert not stored & failed_phones
    assert len(stored) == report.inserted == 6_000 - report.failed


async def test_fail_fast_stops_reading_and_sending(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    emu.faults = Faults(error_rate=1.0, error_statuses=(400,), methods=POST_ONLY)
    pulled = 0

    def records() -> Iterator[dict[str, str]]:
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield {"phone1": f"8{i:09d}"}

    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records(), chunk_size=100, concurrency=1, fail_fast=True
    )
    assert_balanced(report)
    assert pulled == report.read < 1_000  # reading stopped early
    assert report.chunks[0].status == "failed"
    assert {c.status for c in report.chunks[1:]} == {"not_sent"}
    assert emu.counters.records_received == 0
    not_sent = [i for i in report.failed_records if i.reason == "not sent: fail_fast"]
    assert len(not_sent) == report.failed - 100
    assert report.failed == report.read


async def test_an_unknown_campaign_stops_the_upload(fs: AsyncFreestyle) -> None:
    records = [{"phone1": f"9{i:09d}"} for i in range(50_000)]
    report = await fs.dial_campaigns.upload_leads("c_nope", records, chunk_size=100)
    assert_balanced(report)
    assert report.inserted == 0 and report.failed == report.read < 50_000
    assert "HTTP 404" in report.failed_records[0].reason
    assert any(
        i.reason.startswith("not sent: upload stopped after HTTP 404")
        for i in report.failed_records
    )


async def test_retries_that_run_out(fs: AsyncFreestyle, emu: Emulator, campaign_id: str) -> None:
    emu.faults = Faults(rate_limit_rate=1.0, retry_after=0.001, methods=POST_ONLY)
    records = [{"phone1": f"2{i:09d}"} for i in range(10)]
    report = await fs.dial_campaigns.upload_leads(campaign_id, records, max_attempts=3)
    assert (report.chunks[0].status, report.chunks[0].attempts) == ("failed", 3)
    assert report.failed == 10  # a 429 means not processed: failed, safe to send again

    for status in (502, 503):  # a bare 503 proves nothing: the outcome is unknown
        emu.faults = Faults(error_rate=1.0, error_statuses=(status,), methods=POST_ONLY)
        report = await fs.dial_campaigns.upload_leads(campaign_id, records, max_attempts=3)
        assert (report.chunks[0].status, report.chunks[0].attempts) == ("unknown", 3)
        assert report.unknown == 10


async def test_a_retry_after_longer_than_the_policy_allows_fails_the_chunk(
    emu: Emulator, campaign_id: str
) -> None:
    from freestyle_async import RetryPolicy

    emu.faults = Faults(rate_limit_rate=1.0, retry_after=120, methods=POST_ONLY)
    async with AsyncFreestyle(
        api_key=emu.api_key,
        base_url=emu.base_url,
        retry_policy=RetryPolicy(initial_backoff=0.001, max_backoff=0.01, max_retry_after=5),
    ) as fs:
        report = await fs.dial_campaigns.upload_leads(campaign_id, [{"phone1": "4165550100"}])
    assert (report.failed, report.chunks[0].attempts) == (1, 1)
    assert "HTTP 429" in report.failed_records[0].reason


async def test_the_server_refusing_a_record_is_reported(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from freestyle_async.bulk import _batch, _engine

    def lax(records: list[Any]) -> tuple[list[Any], list[Any]]:
        sent, rejects = _batch.normalize_batch(records)
        for offset, _ in rejects:
            sent[offset] = records[offset]
        return sent, []

    monkeypatch.setattr(_engine, "normalize_batch", lax)  # let bad records through
    records = [{"phone1": "4165550100"}, {"phone1": "12"}, {"phone1": "4165550101"}]
    report = await fs.dial_campaigns.upload_leads(campaign_id, records)
    assert_balanced(report)
    assert (report.inserted, report.skipped_by_server) == (2, 1)
    (issue,) = report.refused_by_server
    assert (issue.index, issue.field, issue.record) == (1, "phone1", {"phone1": "12"})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"chunk_size": 1001}, "chunk_size must be 1 to 1000"),
        ({"chunk_size": 0}, "chunk_size must be 1 to 1000"),
        ({"concurrency": 0}, "concurrency must be an int from 1 to 256"),
        ({"concurrency": 257}, "concurrency must be an int from 1 to 256"),
        ({"on_unknown": "ignore"}, "on_unknown must be 'retry' or 'report'"),
        ({"max_attempts": 0}, "max_attempts must be an int >= 1"),
    ],
)
async def test_bad_options_are_refused(
    fs: AsyncFreestyle, campaign_id: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        await fs.dial_campaigns.upload_leads(campaign_id, [], **options)


# Options whose mistakes showed only later (every chunk "failed" on a bad timeout, an upload
# started with a callback that cannot be called) or never (a fail_fast that is not a bool).
LATE_CHECKED_OPTIONS: list[tuple[dict[str, Any], str]] = [
    ({"timeout": -1}, "Timeout.total must be a positive number"),
    ({"timeout": "x"}, "timeout must be a number of seconds or a Timeout"),
    ({"fail_fast": "no"}, "fail_fast must be True or False"),
    ({"on_progress": 5}, "on_progress must be a function"),
]


@pytest.mark.parametrize(("options", "message"), LATE_CHECKED_OPTIONS)
async def test_bad_options_are_refused_before_the_input_is_read(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, options: dict[str, Any], message: str
) -> None:
    pulled: list[int] = []

    def records() -> Iterator[dict[str, str]]:
        for i in range(2_000):
            pulled.append(i)
            yield {"phone1": f"416555{i:04d}"}

    before = emu.counters.requests
    with pytest.raises(ValidationError, match=message):
        await fs.dial_campaigns.upload_leads(campaign_id, records(), **options)
    assert pulled == [] and emu.counters.requests == before


async def test_one_record_alone_is_refused_with_a_hint(
    fs: AsyncFreestyle, campaign_id: str
) -> None:
    """A dict is iterable (over its field names), but it is one record, not a source."""
    with pytest.raises(ValidationError, match=r"got a single dict: pass \[record\]"):
        await fs.dial_campaigns.upload_leads(campaign_id, {"phone1": "4165550100"})  # type: ignore[arg-type]


async def test_a_string_is_not_a_record_source(fs: AsyncFreestyle, campaign_id: str) -> None:
    with pytest.raises(ValidationError, match="records must be an iterable"):
        await fs.dial_campaigns.upload_leads(campaign_id, "4165550100")  # type: ignore[arg-type]


async def test_an_empty_input(fs: AsyncFreestyle, campaign_id: str) -> None:
    report = await fs.dial_campaigns.upload_leads(campaign_id, [])
    assert (report.read, report.chunks, report.ok) == (0, [], True)


@pytest.mark.parametrize("option", ["chunk_size", "concurrency", "max_attempts", "on_unknown"])
@pytest.mark.parametrize(
    "value", [10**5_000, -(10**5_000), "x" * 10_000], ids=["huge", "huge-negative", "long-text"]
)
async def test_huge_option_values_are_refused_clearly(
    fs: AsyncFreestyle, campaign_id: str, option: str, value: object
) -> None:
    if (option, value) == ("max_attempts", 10**5_000):
        value = "x" * 10_000  # any number of attempts is allowed
    with pytest.raises(ValidationError, match=f"^{option} must be") as caught:
        await fs.dial_campaigns.upload_leads(campaign_id, [], **{option: value})
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    "call",
    [
        lambda fs, cid: fs.dial_campaigns.list(page=-(10**5_000)).first_page(),
        lambda fs, cid: fs.dial_campaigns.list(per_page=10**5_000).first_page(),
        lambda fs, cid: fs.dial_campaigns.list(status=10**5_000).first_page(),  # type: ignore[arg-type]
        lambda fs, cid: fs.dial_campaigns.pause(10**5_000),  # type: ignore[arg-type]
        lambda fs, cid: fs.dial_campaigns.results_summary(cid, from_=10**5_000),  # type: ignore[arg-type]
    ],
    ids=["page", "per_page", "status", "campaign_id", "from_"],
)
async def test_huge_integer_arguments_elsewhere_are_refused_clearly(
    fs: AsyncFreestyle, campaign_id: str, call: Any
) -> None:
    """The same class outside bulk: argument checks never format an int of 5,000 digits."""
    with pytest.raises(ValidationError, match="an integer of 16610 bits") as caught:
        await call(fs, campaign_id)
    assert len(str(caught.value)) < 200
