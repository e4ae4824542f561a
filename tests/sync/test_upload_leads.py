"""``Freestyle.dial_campaigns.upload_leads``: a plain iterable read lazily on the calling thread,
and a progress callback run there too."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from freestyle_async import ValidationError
from freestyle_async._sync._calling_thread import CallingThread
from freestyle_async.bulk import BulkProgress, BulkUploadError, read_contacts_csv
from freestyle_async.sync import Freestyle

from .conftest import EmulatorThread, tasks_on_loop, wait_until

CHUNK = 200


class Source:
    """A generator of leads that records which thread pulled each one, and how many."""

    def __init__(self, count: int, *, bad_every: int = 0) -> None:
        self.count = count
        self.bad_every = bad_every
        self.pulled = 0
        self.threads: set[int] = set()

    def __iter__(self) -> Iterator[dict[str, str]]:
        for i in range(self.count):
            self.threads.add(threading.get_ident())
            self.pulled += 1
            phone = "12" if self.bad_every and i % self.bad_every == 0 else f"647555{i:04d}"
            yield {"phone1": phone, "account_name": f"Lead {i}"}


def test_a_generator_is_read_lazily_on_the_calling_thread(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    source = Source(2_000, bad_every=100)
    seen: list[tuple[int, int, BulkProgress]] = []

    def on_progress(progress: BulkProgress) -> None:
        seen.append((threading.get_ident(), source.pulled, progress))

    report = fs.dial_campaigns.upload_leads(
        campaign_id, iter(source), chunk_size=CHUNK, concurrency=3, on_progress=on_progress
    )
    me = threading.get_ident()
    assert source.threads == {me}, "the generator ran on another thread"
    assert report.read == 2_000 and report.balanced and report.ok
    assert (report.rejected, report.inserted) == (20, 1_980)
    stored = emulator.emu.stored_records(campaign_id)
    assert {r["phone1"] for r in stored} >= {f"647555{i:04d}" for i in range(1, 100)}
    # Progress: on this thread, in order, the last one finished, all before the return.
    assert seen and {thread for thread, _, _ in seen} == {me}
    assert seen[-1][2].finished and seen[-1][2].records_total == 2_000
    reads = [p.records_read for _, _, p in seen]
    assert reads == sorted(reads)
    # Lazily: when the first batch was reported, at most two batches had been pulled.
    assert seen[0][1] <= 2 * CHUNK


def test_a_thread_bound_sqlite_cursor_works(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    db = sqlite3.connect(tmp_path / "leads.db")  # usable only on this thread
    db.execute("create table leads (phone text, name text)")
    db.executemany(
        "insert into leads values (?, ?)", [(f"905555{i:04d}", f"L{i}") for i in range(450)]
    )
    rows = (
        {"phone1": phone, "account_name": name} for phone, name in db.execute("select * from leads")
    )
    report = fs.dial_campaigns.upload_leads(emulator.emu.campaign_ids()[1], rows, chunk_size=100)
    db.close()
    assert (report.read, report.inserted, len(report.chunks)) == (450, 450, 5)


def test_a_list_has_its_length_as_total(fs: Freestyle, emulator: EmulatorThread) -> None:
    records = [{"phone1": f"289555{i:04d}"} for i in range(300)]
    totals: list[int | None] = []
    report = fs.dial_campaigns.upload_leads(
        emulator.emu.campaign_ids()[0],
        records,
        chunk_size=CHUNK,
        on_progress=lambda p: totals.append(p.records_total),
    )
    assert report.inserted == 300
    assert totals and set(totals) == {300}


def test_a_csv_file(fs: Freestyle, emulator: EmulatorThread, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "phone1,account_name\n" + "".join(f"416-555-{i:04d},N{i}\n" for i in range(50)) + "12,x\n"
    )
    report = fs.dial_campaigns.upload_leads(emulator.emu.campaign_ids()[0], read_contacts_csv(path))
    assert (report.read, report.inserted, report.rejected) == (51, 50, 1)
    assert report.rejected_records[0].line == 52


def test_a_string_is_refused_by_the_upload(fs: Freestyle, emulator: EmulatorThread) -> None:
    with pytest.raises(ValidationError, match="iterable of dicts"):
        fs.dial_campaigns.upload_leads(
            emulator.emu.campaign_ids()[0],
            "4165550000",  # type: ignore[arg-type]
        )


def test_an_error_in_the_generator_stops_with_the_partial_report_and_a_resume_finishes(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    records = [{"phone1": f"416777{i:04d}"} for i in range(400)]
    checkpoint = tmp_path / "cp.json"

    def broken() -> Iterator[dict[str, str]]:
        yield from records[:250]
        raise LookupError("the source broke")

    with pytest.raises(BulkUploadError, match="the input failed after 250 record") as caught:
        fs.dial_campaigns.upload_leads(campaign_id, broken(), chunk_size=100, checkpoint=checkpoint)
    assert isinstance(caught.value.__cause__, LookupError)
    report = caught.value.report
    # All 250 records read are in the report, the 50 after the last full chunk as not sent.
    assert (report.read, report.inserted, report.failed, report.balanced) == (250, 200, 50, True)
    assert all("the input failed" in issue.reason for issue in report.failed_records)
    assert tasks_on_loop(fs) == []
    again = fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=100, checkpoint=checkpoint
    )
    assert (again.already_done, again.inserted, again.skipped_by_server) == (200, 200, 0)
    assert emulator.stored_count(campaign_id) == 400


def test_an_error_in_the_progress_callback_stops_the_upload(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    source = Source(5_000)
    checkpoint = tmp_path / "cp.json"

    def on_progress(progress: BulkProgress) -> None:
        if progress.records_read >= 2 * CHUNK:
            raise RuntimeError("progress bar gone")

    campaign_id = emulator.emu.campaign_ids()[0]
    with pytest.raises(BulkUploadError, match="the on_progress callback raised") as caught:
        fs.dial_campaigns.upload_leads(
            campaign_id,
            iter(source),
            chunk_size=CHUNK,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    assert source.pulled < 5_000, "the upload went on after the callback failed"
    # As in the async client: the error's cause is the callback's, and its report balances.
    assert isinstance(caught.value.__cause__, RuntimeError)
    report = caught.value.report
    assert report.balanced and report.read == source.pulled
    assert emulator.stored_count(campaign_id) == report.inserted
    assert tasks_on_loop(fs) == []
    # The checkpoint holds every accepted chunk: the re-run sends only the rest, each once.
    again = fs.dial_campaigns.upload_leads(
        campaign_id, iter(Source(5_000)), chunk_size=CHUNK, checkpoint=checkpoint
    )
    assert again.ok and again.already_done == report.inserted
    assert emulator.stored_count(campaign_id) == 5_000


def test_records_held_back_when_the_callback_fails_are_not_sent(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    """Every 7th record is invalid, so a chunk's worth of valid records is still pending when
    the callback fails: they are counted as not sent (as the async client does), not sent as a
    short chunk the checkpoint could not match on the re-run."""
    campaign_id = emulator.emu.campaign_ids()[0]
    source = Source(2_000, bad_every=7)
    checkpoint = tmp_path / "cp.json"

    def on_progress(progress: BulkProgress) -> None:
        if progress.records_read >= CHUNK:
            raise RuntimeError("progress bar gone")

    with pytest.raises(BulkUploadError, match="the on_progress callback raised") as caught:
        fs.dial_campaigns.upload_leads(
            campaign_id,
            iter(source),
            chunk_size=CHUNK,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    report = caught.value.report
    assert report.balanced and report.inserted == 0
    assert report.failed == report.read - report.rejected > 0
    assert all(
        issue.reason.startswith("not sent: the on_progress") for issue in report.failed_records
    )
    assert emulator.stored_count(campaign_id) == 0
    again = fs.dial_campaigns.upload_leads(
        campaign_id, iter(Source(2_000, bad_every=7)), chunk_size=CHUNK, checkpoint=checkpoint
    )
    assert again.balanced and again.failed == 0
    assert emulator.stored_count(campaign_id) == again.inserted == 2_000 - again.rejected


def test_a_callback_failing_on_a_resumed_upload_is_not_a_checkpoint_error(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    """On a resume, the chunks the checkpoint holds are skipped without a progress call; the
    callback failing then must not read as "the input is shorter than the checkpoint"."""
    campaign_id = emulator.emu.campaign_ids()[0]
    checkpoint = tmp_path / "cp.json"
    records = [{"phone1": f"416666{i:04d}"} for i in range(6 * CHUNK)]
    fs.dial_campaigns.upload_leads(campaign_id, records, chunk_size=CHUNK, checkpoint=checkpoint)

    def on_progress(progress: BulkProgress) -> None:
        raise RuntimeError("progress bar gone")

    with pytest.raises(BulkUploadError, match="the on_progress callback raised") as caught:
        fs.dial_campaigns.upload_leads(
            campaign_id,
            iter(records),
            chunk_size=CHUNK,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert caught.value.report.balanced
    assert emulator.stored_count(campaign_id) == 6 * CHUNK


class LengthUnknown:
    """Records whose ``__len__`` raises, as some database cursors' do before a fetch."""

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter([{"phone1": "4375550100"}, {"phone1": "4375550101"}])

    def __len__(self) -> int:
        raise TypeError("length not known until fetched")


def test_an_input_whose_length_fails_is_uploaded(fs: Freestyle, emulator: EmulatorThread) -> None:
    """The length is only for progress, as in the async client (before: a raw TypeError)."""
    report = fs.dial_campaigns.upload_leads(emulator.emu.campaign_ids()[0], LengthUnknown())
    assert (report.read, report.inserted, report.ok) == (2, 2, True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": -1}, "Timeout.total must be a positive number"),
        ({"fail_fast": "no"}, "fail_fast must be True or False"),
        ({"on_progress": 5}, "on_progress must be a function"),
        ({"chunk_size": 0}, "chunk_size must be 1 to 1000"),
    ],
)
def test_bad_options_are_refused_before_the_input_is_read(
    fs: Freestyle, emulator: EmulatorThread, options: dict[str, Any], message: str
) -> None:
    """Before: a callback that cannot be called started the upload (the sync facade wraps
    it), and one chunk was stored before the upload stopped."""
    source = Source(2_000)
    campaign_id = emulator.emu.campaign_ids()[0]
    with pytest.raises(ValidationError, match=message):
        fs.dial_campaigns.upload_leads(campaign_id, iter(source), **options)
    assert source.pulled == 0 and emulator.stored_count(campaign_id) == 0


def test_an_error_in_the_last_progress_call_is_raised_with_the_whole_report(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    """The callback's last call runs after the upload has made its report: the error still
    comes as the async client's, a ``BulkUploadError`` with that report."""

    def on_progress(progress: BulkProgress) -> None:
        if progress.finished:
            raise ValueError("cannot save the summary")

    records = [{"phone1": f"416777{i:04d}"} for i in range(3 * CHUNK)]
    with pytest.raises(BulkUploadError, match="the on_progress callback raised") as caught:
        fs.dial_campaigns.upload_leads(
            emulator.emu.campaign_ids()[0], records, chunk_size=CHUNK, on_progress=on_progress
        )
    assert isinstance(caught.value.__cause__, ValueError)
    report = caught.value.report
    assert (report.read, report.inserted, report.balanced) == (3 * CHUNK, 3 * CHUNK, True)


@pytest.mark.parametrize("failure", [RuntimeError, KeyboardInterrupt])
def test_after_the_progress_callback_fails_no_more_caller_code_runs(
    fs: Freestyle,
    emulator: EmulatorThread,
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
) -> None:
    """What the loop had already queued for the calling thread (the next read of the
    records, the next progress) is not run: the callback is not called again and no more
    records are read. An ``Exception`` ends the upload with its partial report; a
    ``KeyboardInterrupt`` cancels it."""
    queued: list[BulkProgress] = []  # progress handed to the calling thread so far
    forward = CallingThread.forward

    def recording_forward(self: CallingThread, callback: Callable[[Any], object]) -> Any:
        on_loop = forward(self, callback)

        def recorded(progress: BulkProgress) -> None:
            on_loop(progress)
            queued.append(progress)

        return recorded

    monkeypatch.setattr(CallingThread, "forward", recording_forward)
    source = Source(4 * CHUNK)
    calls: list[BulkProgress] = []
    second_queued: list[bool] = []

    def on_progress(progress: BulkProgress) -> None:
        calls.append(progress)
        if len(calls) == 1:
            # Chunk 1 is sent meanwhile: wait for its progress to be queued behind this one.
            second_queued.append(wait_until(lambda: len(queued) >= 2))
            raise failure("progress bar gone")

    expected = BulkUploadError if issubclass(failure, Exception) else failure
    with pytest.raises(expected) as caught:
        fs.dial_campaigns.upload_leads(
            emulator.emu.campaign_ids()[0],
            iter(source),
            chunk_size=CHUNK,
            concurrency=1,
            on_progress=on_progress,
        )
    error = caught.value
    assert isinstance(error.__cause__ if expected is BulkUploadError else error, failure)
    assert "progress bar gone" in str(error)
    assert second_queued == [True]
    assert len(calls) == 1, "the progress callback ran again after it failed"
    assert source.pulled == CHUNK, "the records were read again after the callback failed"
    assert tasks_on_loop(fs) == []


def test_ctrl_c_while_reading_records_cancels_the_upload(
    fs: Freestyle, emulator: EmulatorThread, tmp_path: Path
) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    records = [{"phone1": f"416888{i:04d}"} for i in range(5 * CHUNK)]
    checkpoint = tmp_path / "cp.json"
    accepted: list[int] = []

    def interrupted() -> Iterator[dict[str, str]]:
        yield from records[: 3 * CHUNK]
        raise KeyboardInterrupt  # as if Ctrl-C landed while the caller's generator ran

    with pytest.raises(KeyboardInterrupt):
        fs.dial_campaigns.upload_leads(
            campaign_id,
            interrupted(),
            chunk_size=CHUNK,
            checkpoint=checkpoint,
            on_progress=lambda p: accepted.append(p.records_accepted),
        )
    assert tasks_on_loop(fs) == []
    assert fs.account.get().id
    # The checkpoint holds at least every chunk reported accepted; a resume finishes the job.
    done = json.loads(checkpoint.read_text())["done"] if checkpoint.exists() else {}
    assert len(done) * CHUNK >= max(accepted, default=0)
    again = fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=CHUNK, checkpoint=checkpoint
    )
    assert again.ok and again.already_done == len(done) * CHUNK
    assert emulator.stored_count(campaign_id) == 5 * CHUNK


def test_the_progress_callback_may_call_the_client(fs: Freestyle, emulator: EmulatorThread) -> None:
    names: list[str] = []
    report = fs.dial_campaigns.upload_leads(
        emulator.emu.campaign_ids()[0],
        ({"phone1": f"437555{i:04d}"} for i in range(10)),
        on_progress=lambda p: names.append(fs.account.get().name) if p.finished else None,
    )
    assert report.inserted == 10 and len(names) == 1
