"""An input that raises midway: the chunks sent are settled, the checkpoint holds every accepted
chunk, ``BulkUploadError`` carries the balanced partial report, and a resume finishes the job."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from _emulator_thread import EmulatorThread

from freestyle_async import AsyncFreestyle
from freestyle_async.bulk import (
    BulkProgress,
    BulkUploadError,
    BulkUploadReport,
    CheckpointError,
    CsvError,
    read_contacts_csv,
)
from freestyle_async.testing import Emulator, Faults

from .test_upload import assert_balanced, stored_phones

CHUNK = 100


class SourceBroke(Exception):
    """What the caller's input raises."""


def leads(count: int, first: int = 0) -> list[dict[str, str]]:
    return [{"phone1": f"7{i:09d}", "data1": "x"} for i in range(first, first + count)]


def broken(records: list[dict[str, str]], after: int) -> Iterator[dict[str, str]]:
    yield from records[:after]
    raise SourceBroke(f"lost the database after {after} rows")


async def broken_async(records: list[dict[str, str]], after: int) -> AsyncIterator[dict[str, str]]:
    for record in records[:after]:
        yield record
    raise SourceBroke(f"lost the database after {after} rows")


SOURCES: dict[str, Callable[[list[dict[str, str]], int], Any]] = {
    "generator": broken,
    "async": broken_async,
}


def done_chunks(path: Path) -> set[int]:
    """The chunks a checkpoint marks as accepted (none while it has not been written)."""
    if not path.exists():
        return set()
    return {int(index) for index in json.loads(path.read_text())["done"]}


def assert_partial(report: BulkUploadReport, read: int, checkpoint: Path | None) -> None:
    """The report of an upload stopped by its input: balanced, every record read counted."""
    assert_balanced(report)
    assert report.read == read
    accepted = {c.index for c in report.chunks if c.status == "accepted"}
    assert report.inserted == sum(c.records for c in report.chunks if c.status == "accepted")
    assert {c.status for c in report.chunks} <= {"accepted", "not_sent"}
    not_sent = [i for i in report.failed_records if "the input failed" in i.reason]
    assert len(not_sent) == report.failed > 0  # read, never sent: failed, saying why
    assert all(i.reason.startswith("not sent: the input failed after") for i in not_sent)
    if checkpoint is not None:
        assert done_chunks(checkpoint) == accepted


@pytest.mark.parametrize("kind", sorted(SOURCES))
@pytest.mark.parametrize("after", [0, 1, 250, 1_234])
async def test_the_input_raising_midway_leaves_a_report_and_a_checkpoint(
    fs: AsyncFreestyle,
    emu: Emulator,
    campaign_id: str,
    tmp_path: Path,
    kind: str,
    after: int,
) -> None:
    records = leads(3_000)
    checkpoint = tmp_path / "cp.json"
    emu.faults = Faults(latency=0.002, methods=("POST",))  # chunks are in flight at the error
    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id,
            SOURCES[kind](records, after),
            chunk_size=CHUNK,
            concurrency=3,
            checkpoint=checkpoint,
        )
    error = caught.value
    assert isinstance(error.__cause__, SourceBroke)
    assert f"after {after} rows" in str(error.__cause__)
    assert f"stopped: the input failed after {after} record(s) were read" in str(error)
    if after == 0:
        assert error.report.read == 0 and error.report.chunks == []
    else:
        assert_partial(error.report, after, checkpoint)
    # Whatever the server holds is in an accepted chunk of the report: nothing unaccounted.
    assert len(stored_phones(emu, campaign_id)) == error.report.inserted

    # The same checkpoint, the whole input: only what is missing is sent, each record once.
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=CHUNK, checkpoint=checkpoint
    )
    assert report.ok and report.skipped_by_server == 0
    assert report.already_done == error.report.inserted
    assert report.already_done + report.inserted == 3_000
    assert sorted(stored_phones(emu, campaign_id)) == [r["phone1"] for r in records]


@pytest.mark.parametrize("kind", ["iter", "aiter"])
async def test_an_input_that_cannot_even_start(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, kind: str
) -> None:
    class Refuses:
        def __iter__(self) -> Iterator[Any]:
            raise SourceBroke("no cursor")

        def __aiter__(self) -> AsyncIterator[Any]:
            raise SourceBroke("no cursor")

    source: Any = Refuses()
    if kind == "iter":
        del Refuses.__aiter__
    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(campaign_id, source)
    assert isinstance(caught.value.__cause__, SourceBroke)
    assert caught.value.report.read == 0 and caught.value.report.balanced
    assert emu.counters.requests == 0


async def test_a_length_that_fails_only_leaves_the_total_unknown(
    fs: AsyncFreestyle, campaign_id: str
) -> None:
    class Lies(list[dict[str, str]]):
        def __len__(self) -> int:
            raise SourceBroke("no length")

    totals: list[int | None] = []
    source = Lies(leads(10))
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, source, on_progress=lambda p: totals.append(p.records_total)
    )
    assert report.inserted == 10 and totals[0] is None and totals[-1] == 10


async def test_a_csv_file_changed_under_the_upload(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    rows = [f"41655{i:05d},Lead {i}\n" for i in range(3_000)]
    path.write_text("phone1,account_name\n" + "".join(rows), encoding="utf-8")
    reader = read_contacts_csv(path)  # checked whole here...
    # ...then another program rewrites it: row 2,001 (line 2,002) cannot be parsed.
    rows[2_000] = "4165599999," + "x" * 200_000 + "\n"
    path.write_text("phone1,account_name\n" + "".join(rows), encoding="utf-8")
    checkpoint = tmp_path / "cp.json"
    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, reader, chunk_size=CHUNK, checkpoint=checkpoint
        )
    cause = caught.value.__cause__
    assert isinstance(cause, CsvError) and cause.line == 2_002
    assert_partial(caught.value.report, 2_000, checkpoint)
    issue = caught.value.report.failed_records[-1]
    assert (issue.index, issue.line) == (1_999, 2_001)


async def test_a_mapping_that_cannot_be_read_is_one_rejected_record(
    fs: AsyncFreestyle, campaign_id: str
) -> None:
    class Lazy(Mapping[str, str]):
        def __getitem__(self, key: str) -> str:
            raise SourceBroke("row expired")

        def __iter__(self) -> Iterator[str]:
            raise SourceBroke("row expired")

        def __len__(self) -> int:
            return 1

    records: list[Any] = [*leads(5), Lazy(), *leads(5, first=5)]
    report = await fs.dial_campaigns.upload_leads(campaign_id, records)
    assert (report.inserted, report.rejected) == (10, 1)
    (issue,) = report.rejected_records
    assert issue.index == 5 and issue.reason.startswith("cannot be read: SourceBroke: row expired")


# -- the checkpoint file ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["missing folder", "folder is a file", "a folder"])
async def test_a_checkpoint_that_cannot_be_written_is_refused_before_sending(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, where: str
) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "dir").mkdir()
    path = {
        "missing folder": tmp_path / "no" / "such" / "cp.json",
        "folder is a file": tmp_path / "file.txt" / "cp.json",
        "a folder": tmp_path / "dir",
    }[where]
    with pytest.raises(CheckpointError, match="checkpoint") as caught:
        await fs.dial_campaigns.upload_leads(campaign_id, leads(10), checkpoint=path)
    assert str(path) in str(caught.value)
    assert emu.counters.requests == 0
    assert sorted(os.listdir(tmp_path)) == ["dir", "file.txt"]  # nothing left behind


async def test_a_checkpoint_that_fails_later_stops_with_the_partial_report(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    checkpoint = folder / "cp.json"

    def on_progress(progress: BulkProgress) -> None:
        if progress.chunks_done == 3 and folder.exists():
            shutil.rmtree(folder)  # as if the disk went away

    records = leads(3_000)
    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id,
            iter(records),
            chunk_size=CHUNK,
            concurrency=1,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    error = caught.value
    assert isinstance(error.__cause__, OSError)
    assert f"the checkpoint {checkpoint} cannot be written" in str(error)
    report = error.report
    assert_balanced(report)
    assert report.read < 3_000  # it stopped reading
    assert report.inserted == len(stored_phones(emu, campaign_id)) == 4 * CHUNK
    assert report.failed == report.read - report.inserted
    assert all("cannot be written" in i.reason for i in report.failed_records)


# -- the progress callback --------------------------------------------------------------------


class CallbackBroke(Exception):
    """What the caller's ``on_progress`` raises."""


async def _async_records(records: list[dict[str, str]]) -> AsyncIterator[dict[str, str]]:
    for record in records:
        yield record


@pytest.mark.parametrize("kind", ["generator", "async"])
async def test_a_progress_callback_that_raises_stops_like_a_failing_input(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, kind: str
) -> None:
    """Before: the callback's error escaped as it was, the chunks in flight were cancelled and
    no report said what had been stored."""
    records = leads(3_000)
    checkpoint = tmp_path / "cp.json"
    emu.faults = Faults(latency=0.002, methods=("POST",))  # chunks are in flight at the error
    calls: list[bool] = []  # one per call: whether it raised

    def on_progress(progress: BulkProgress) -> None:
        calls.append(progress.chunks_done >= 5)
        if calls[-1]:
            raise CallbackBroke("the dashboard went away")

    source = iter(records) if kind == "generator" else _async_records(records)
    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id,
            source,
            chunk_size=CHUNK,
            concurrency=3,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    error = caught.value
    assert isinstance(error.__cause__, CallbackBroke)
    reason = "the on_progress callback raised: CallbackBroke: the dashboard went away"
    assert f"stopped: {reason}" in str(error)
    assert calls[-1] and calls.count(True) == 1  # not called again once it raised
    report = error.report
    assert_balanced(report)
    assert report.read < 3_000  # it stopped reading
    assert {c.status for c in report.chunks} <= {"accepted", "not_sent"}
    accepted = {c.index for c in report.chunks if c.status == "accepted"}
    assert len(accepted) >= 5 and done_chunks(checkpoint) == accepted
    assert report.failed == report.read - report.inserted > 0
    assert all(i.reason == f"not sent: {reason}" for i in report.failed_records)
    assert len(stored_phones(emu, campaign_id)) == report.inserted

    emu.faults = Faults()
    resumed = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=CHUNK, checkpoint=checkpoint
    )
    assert resumed.ok and resumed.skipped_by_server == 0
    assert resumed.already_done == report.inserted
    assert sorted(stored_phones(emu, campaign_id)) == [r["phone1"] for r in records]


async def test_a_progress_callback_that_raises_at_the_end_still_gives_the_report(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    def on_progress(progress: BulkProgress) -> None:
        if progress.finished:
            raise CallbackBroke("too late")

    with pytest.raises(BulkUploadError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, leads(250), chunk_size=CHUNK, on_progress=on_progress
        )
    assert isinstance(caught.value.__cause__, CallbackBroke)
    report = caught.value.report
    assert_balanced(report)
    assert report.ok and report.inserted == 250 == len(stored_phones(emu, campaign_id))


async def test_a_chunk_waiting_to_be_retried_is_not_sent_once_the_upload_stops(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    """The callback raises on the retry announcement of a rate-limited chunk: that chunk is
    not sent again (before, it slept out its wait and was sent once more)."""
    emu.faults = Faults(rate_limit_rate=1.0, retry_after=0.01, methods=("POST",))

    def on_progress(progress: BulkProgress) -> None:
        if progress.retry is not None:
            raise CallbackBroke("the dashboard went away")

    with pytest.raises(BulkUploadError, match="the on_progress callback raised") as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, leads(CHUNK), chunk_size=CHUNK, on_progress=on_progress
        )
    report = caught.value.report
    assert_balanced(report)
    assert [(c.status, c.attempts) for c in report.chunks] == [("failed", 1)]
    assert report.failed == CHUNK
    assert emu.counters.by_status.get(429) == 1  # the one attempt; no retry went out


async def test_a_chunk_waiting_out_a_long_retry_after_settles_as_soon_as_the_upload_stops(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str
) -> None:
    """A 429 asks for 30 s; the input then fails. The waiting chunk is settled at once, not
    after the 30 s (before: the upload sat idle for the whole Retry-After)."""
    emu.faults = Faults(rate_limit_rate=1.0, retry_after=30.0, methods=("POST",))
    announced = asyncio.Event()

    def on_progress(progress: BulkProgress) -> None:
        if progress.retry is not None:
            announced.set()

    async def records() -> AsyncIterator[dict[str, str]]:
        for record in leads(CHUNK):
            yield record
        await announced.wait()  # the chunk met its 429 and waits for its retry
        raise SourceBroke("lost the database")

    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(BulkUploadError, match="the input failed") as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, records(), chunk_size=CHUNK, on_progress=on_progress
        )
    assert loop.time() - started < 10  # far below the 30 s asked for
    assert [(c.status, c.attempts) for c in caught.value.report.chunks] == [("failed", 1)]
    assert emu.counters.by_status.get(429) == 1


# -- Ctrl-C and cancellation ------------------------------------------------------------------


def test_keyboard_interrupt_propagates_with_the_checkpoint_up_to_date(tmp_path: Path) -> None:
    server = EmulatorThread(seed=0, shutdown_timeout=0.1)
    try:
        emu = server.emu
        campaign_id = emu.campaign_ids()[0]
        checkpoint = tmp_path / "cp.json"
        records = leads(2_000)
        accepted: list[int] = []

        def interrupted() -> Iterator[dict[str, str]]:
            for index, record in enumerate(records):
                if index == 1_050:
                    raise KeyboardInterrupt
                yield record

        async def upload(source: Iterable[dict[str, str]]) -> BulkUploadReport:
            async with AsyncFreestyle(api_key=emu.api_key, base_url=emu.base_url) as fs:
                return await fs.dial_campaigns.upload_leads(
                    campaign_id,
                    source,
                    chunk_size=CHUNK,
                    concurrency=2,
                    checkpoint=checkpoint,
                    on_progress=lambda p: accepted.append(p.records_accepted),
                )

        caught: list[BaseException] = []

        def run() -> None:  # asyncio.run on a thread: KeyboardInterrupt stays in this test
            try:
                asyncio.run(upload(interrupted()))
            except BaseException as exc:
                caught.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(30)
        assert [type(e) for e in caught] == [KeyboardInterrupt]
        # Every chunk accepted before the interrupt is in the checkpoint.
        done_before = done_chunks(checkpoint)
        assert len(done_before) * CHUNK == max(accepted) > 0
        report = asyncio.run(upload(records))
        assert report.ok and report.already_done == len(done_before) * CHUNK
        assert server.stored_count(campaign_id) == 2_000
    finally:
        server.stop()
