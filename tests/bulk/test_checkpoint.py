"""Resumable uploads: kill midway and resume; a checkpoint of other input is refused."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle
from freestyle_async.bulk import BulkProgress, CheckpointError
from freestyle_async.bulk._checkpoint import MAX_CHECKPOINT_BYTES
from freestyle_async.testing import Emulator, Faults

from ._data import generate
from .test_upload import assert_balanced


def done_chunks(path: Path) -> dict[str, str]:
    done: dict[str, str] = json.loads(path.read_text())["done"]
    return done


async def test_kill_midway_then_resume(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "upload.checkpoint"
    data = generate(30_000, seed=3)
    emu.faults = Faults(latency=0.005, methods=("POST",))
    some_done = asyncio.Event()

    def on_progress(progress: BulkProgress) -> None:
        if progress.chunks_done >= 8:
            some_done.set()

    upload = asyncio.create_task(
        fs.dial_campaigns.upload_leads(
            campaign_id,
            data.records,
            chunk_size=500,
            concurrency=4,
            checkpoint=checkpoint,
            on_progress=on_progress,
        )
    )
    await some_done.wait()
    upload.cancel()
    with pytest.raises(asyncio.CancelledError):
        await upload
    first_run = done_chunks(checkpoint)
    stored_before = len(emu.stored_records(campaign_id))
    assert 8 <= len(first_run) < 60
    assert stored_before < len(data.expected_phones)  # it really stopped midway

    emu.faults = None
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, data.records, chunk_size=500, checkpoint=checkpoint
    )
    assert_balanced(report)
    assert report.ok
    skipped_chunks = [c for c in report.chunks if c.status == "already_done"]
    assert {str(c.index) for c in skipped_chunks} == set(first_run)
    assert report.already_done == sum(c.records for c in skipped_chunks) >= 8 * 500
    assert report.rejected == len(data.invalid)  # rejects are reported on every run
    phones = [r["phone1"] for r in emu.stored_records(campaign_id)]
    assert len(phones) == len(set(phones))
    assert set(phones) == data.expected_phones
    assert len(done_chunks(checkpoint)) == len(report.chunks)

    # A third run has nothing left to send.
    requests = emu.counters.requests
    again = await fs.dial_campaigns.upload_leads(
        campaign_id, data.records, chunk_size=500, checkpoint=checkpoint
    )
    assert again.already_done == report.read - report.rejected
    assert emu.counters.requests == requests


async def _upload_with_checkpoint(
    fs: AsyncFreestyle, campaign_id: str, records: list[dict[str, Any]], path: Path, **kw: Any
) -> None:
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=100, checkpoint=path, **kw
    )
    assert report.ok


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [{"phone1": f"3{i:09d}", "data1": "a"} for i in range(1_000)]


async def test_a_checkpoint_of_other_records_is_refused_before_sending(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, records: list[Any]
) -> None:
    path = tmp_path / "cp.json"
    await _upload_with_checkpoint(fs, campaign_id, records, path)
    done = done_chunks(path)
    del done["3"]  # as if chunk 3 had failed in the first run
    path.write_text(json.dumps({**json.loads(path.read_text()), "done": done}))
    changed = [dict(r) for r in records]
    changed[750]["data1"] = "b"  # chunk 7
    changed += [{"phone1": f"4{i:09d}"} for i in range(300)]
    requests = emu.counters.requests
    with pytest.raises(CheckpointError, match="chunk 7 holds other records"):
        await fs.dial_campaigns.upload_leads(campaign_id, changed, chunk_size=100, checkpoint=path)
    assert emu.counters.requests == requests  # not even chunk 3 or the new ones


async def test_a_chunk_missing_from_the_checkpoint_is_sent_again(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, records: list[Any]
) -> None:
    path = tmp_path / "cp.json"
    await _upload_with_checkpoint(fs, campaign_id, records, path)
    done = done_chunks(path)
    del done["3"]
    path.write_text(json.dumps({**json.loads(path.read_text()), "done": done}))
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=100, checkpoint=path
    )
    assert (report.already_done, report.skipped_by_server, report.inserted) == (900, 100, 0)
    assert [c.status for c in report.chunks].count("accepted") == 1
    assert report.chunks[3].status == "accepted"
    assert len(done_chunks(path)) == 10


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chunk_size": 200}, "written with chunk_size=100, not 200"),
        ({"campaign_id": "c_other"}, "belongs to an upload to campaign"),
        ({"records": 500}, "marks chunk 9 as done but the input has only 5 chunk"),
    ],
)
async def test_checkpoints_that_do_not_fit_are_refused(
    fs: AsyncFreestyle,
    emu: Emulator,
    campaign_id: str,
    tmp_path: Path,
    records: list[Any],
    change: dict[str, Any],
    message: str,
) -> None:
    path = tmp_path / "cp.json"
    await _upload_with_checkpoint(fs, campaign_id, records, path)
    requests = emu.counters.requests
    with pytest.raises(CheckpointError, match=message):
        await fs.dial_campaigns.upload_leads(
            change.get("campaign_id", campaign_id),
            records[: change.get("records", len(records))],
            chunk_size=change.get("chunk_size", 100),
            checkpoint=path,
        )
    assert emu.counters.requests == requests


def hostile(campaign_id: str) -> dict[str, bytes]:
    """Checkpoint files that are not what the upload wrote: edited, truncated or made up."""

    def doc(**fields: Any) -> bytes:
        base = {
            "format": "freestyle-bulk-checkpoint",
            "version": 1,
            "campaign_id": campaign_id,
            "chunk_size": 1000,
            "done": {"0": "0" * 32},
        }
        return json.dumps({**base, **fields}).encode()

    return {
        "not json": b"{not json",
        "other format": b'{"format": "something else"}',
        "a list": b"[]",
        "null": b"null",
        "a number": b"12",
        "a string": b'"freestyle-bulk-checkpoint"',
        "empty": b"",
        "binary": bytes(range(256)),
        "utf-16": '{"format": 1}'.encode("utf-16"),
        "deeply nested list": b"[" * 100_000 + b"]" * 100_000,
        "deeply nested object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "nested done": doc(done=json.loads("[" * 50 + "]" * 50)),
        "done is a list": doc(done=["0"]),
        "digest a number": doc(done={"0": 5}),
        "digest not hex": doc(done={"0": "z" * 32}),
        "index negative": doc(done={"-1": "0" * 32}),
        "index huge": doc(done={"9" * 4000: "0" * 32}),
        "index not a number": doc(done={"one": "0" * 32}),
        "chunk_size huge": doc(chunk_size=10**4000),
        "chunk_size past the int digit limit": doc()[:-1]
        + b', "chunk_size": 9'
        + b"9" * 5000
        + b"}",
        "chunk_size a string": doc(chunk_size="1000"),
        "chunk_size true": doc(chunk_size=True),
        "chunk_size a float": doc(chunk_size=1000.0),
        "campaign_id a list": doc(campaign_id=[campaign_id]),
        "no done": doc(done=None),
    }


HOSTILE_NAMES = sorted(hostile("c"))
# A damaged checkpoint may be deleted to start over; a file that is none is not offered so.
_REFUSED = "not a readable bulk upload checkpoint|is not a checkpoint file"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_an_unreadable_checkpoint_is_refused_before_sending(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "cp.json"
    path.write_bytes(hostile(campaign_id)[name])
    with pytest.raises(CheckpointError, match=_REFUSED) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": "4165550100"}], checkpoint=path
        )
    assert len(str(caught.value)) < 500  # no echo of the file
    assert emu.counters.requests == 0


@pytest.mark.parametrize(
    ("content", "deletable"),
    [
        (b"phone1,account_name\n4165550100,Precious\n", False),  # the user's data
        (b'{"name": "settings"}', False),  # JSON some other program wrote
        (b'{"format": "freestyle-bulk-checkpoint", "version": 1}', True),  # damaged
        (b'{"format": "freestyle-bulk-checkpoint", "version": 1, "campa', True),  # cut short
        (b"", True),  # what a crash can leave of a checkpoint
        (b"\0" * 64, True),  # likewise, when the rename landed but the data did not
    ],
    ids=["csv", "other-json", "damaged", "truncated", "empty", "zeros"],
)
async def test_only_a_damaged_checkpoint_is_offered_for_deletion(
    fs: AsyncFreestyle, campaign_id: str, tmp_path: Path, content: bytes, deletable: bool
) -> None:
    """A mistyped checkpoint path naming a CSV file must not be answered "delete it"."""
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    with pytest.raises(CheckpointError) as caught:
        await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": "4165550100"}], checkpoint=path
        )
    assert ("delete it to start over" in str(caught.value)) is deletable
    assert ("check the path" in str(caught.value)) is not deletable
    assert path.read_bytes() == content


async def test_only_accepted_chunks_are_checkpointed(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, records: list[Any]
) -> None:
    path = tmp_path / "cp.json"
    emu.faults = Faults(drop_after_rate=0.5, methods=("POST",), seed=1)
    report = await fs.dial_campaigns.upload_leads(
        campaign_id, records, chunk_size=100, checkpoint=path, on_unknown="report", concurrency=1
    )
    accepted = {str(c.index) for c in report.chunks if c.status == "accepted"}
    assert 0 < len(accepted) < 10
    assert set(done_chunks(path)) == accepted
    assert os.listdir(tmp_path) == ["cp.json"]  # no temporary files left behind


# -- the checkpoint's path: checked up front, only a regular file of sane size is read -------


@pytest.mark.parametrize(
    ("path", "message"),
    [("", "empty path"), ("\0x", "NUL character"), (5, "not int")],
)
async def test_a_checkpoint_path_that_is_not_a_path_is_refused_before_sending(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, path: Any, message: str
) -> None:
    with pytest.raises(CheckpointError, match=message):
        await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": "4165550100"}], checkpoint=path
        )
    assert emu.counters.requests == 0


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)  # no writer: opening it for reading would block forever
    elif kind == "zero":  # like /dev/zero (1, 5): endless bytes; made under tmp_path as root
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    else:
        path.mkdir()
    return path


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
async def test_a_checkpoint_that_is_not_a_regular_file_is_refused_unread(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path, kind: str
) -> None:
    path = _special(tmp_path, kind)
    with pytest.raises(CheckpointError, match="not a regular file"):
        await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": "4165550100"}], checkpoint=path
        )
    assert emu.counters.requests == 0


async def test_an_oversized_checkpoint_is_refused_unread(
    fs: AsyncFreestyle, emu: Emulator, campaign_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "cp.json"
    with path.open("wb") as file:
        file.truncate(MAX_CHECKPOINT_BYTES + 1)  # sparse: no disk used
    with pytest.raises(CheckpointError, match="over 268,435,456"):
        await fs.dial_campaigns.upload_leads(
            campaign_id, [{"phone1": "4165550100"}], checkpoint=path
        )
    assert emu.counters.requests == 0


async def test_a_checkpoint_symlink_writes_its_target(
    fs: AsyncFreestyle, campaign_id: str, tmp_path: Path, records: list[Any]
) -> None:
    target = tmp_path / "state" / "cp.json"
    target.parent.mkdir()
    link = tmp_path / "cp.json"
    link.symlink_to(target)
    await _upload_with_checkpoint(fs, campaign_id, records, link)
    assert link.is_symlink()
    assert len(done_chunks(target)) == 10
    assert sorted(os.listdir(tmp_path)) == ["cp.json", "state"]
    assert os.listdir(target.parent) == ["cp.json"]
