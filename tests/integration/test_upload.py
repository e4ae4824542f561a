"""The upload rules through ``upload_data``, the activity events uploads and PATCHes write,
and what ``total_leads`` does afterwards."""

from __future__ import annotations

from typing import Any

import pytest

from freestyle_async import (
    ActivityEvent,
    ActivityType,
    AsyncFreestyle,
    CampaignStatus,
    Contact,
    UploadSummary,
)
from freestyle_async.testing import Emulator

from ._support import collect

VALID: list[dict[str, Any]] = [
    {"phone1": "4165550100", "account_id": "A-1", "account_name": "Ada Lovelace"},
    {"phone1": "14165550101", "phone2": "6475550102", "amount": 12.5},  # country code 1
    {"phone1": "6045550103", "email": "x@example.com", "timezone_id": 5, "data1": "vip"},
]
DUPLICATES: list[dict[str, Any]] = [
    {"phone1": "4165550100"},  # same phone1 as VALID[0], same batch
    {"phone1": "16045550103"},  # VALID[2] once the country code is stripped
]
INVALID: list[dict[str, Any]] = [
    {"phone1": "416555010"},  # 9 digits
    {"phone1": "(416) 555-0104"},  # upload_data sends as given: formatting is invalid
    {"account_name": "no phone"},  # phone1 missing
    {"phone1": "4165550105", "account_name": "x" * 51},  # over 50 characters
    {"phone1": "4165550106", "favourite_colour": "blue"},  # not a contact field
    {"phone1": "4165550107", "phone3": "12345"},  # a bad optional phone
]


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


async def latest_import(fs: AsyncFreestyle, cid: str) -> ActivityEvent:
    page = await fs.dial_campaigns.list_activity(
        cid, type=ActivityType.RECORDS_IMPORTED, per_page=1
    ).first_page()
    return page.data[0]


async def campaign(fs: AsyncFreestyle, cid: str) -> Any:
    return next(c for c in await collect(fs.dial_campaigns.list()) if c.id == cid)


async def test_inserted_skipped_duplicates_and_invalid(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    before = await campaign(fs, cid)
    records = [*VALID, *DUPLICATES, *INVALID]

    summary = await fs.dial_campaigns.upload_data(cid, records)

    assert isinstance(summary, UploadSummary)
    assert summary.inserted == len(VALID)
    assert summary.skipped == len(DUPLICATES) + len(INVALID)
    assert summary.total_leads == before.total_leads + len(VALID)
    # What the reference leaves open stays reachable in ``extra``.
    assert summary.extra["duplicates"] == len(DUPLICATES)
    assert summary.extra["invalid"] == len(INVALID)
    errors = summary.extra["errors"]
    assert [e["index"] for e in errors] == [
        len(VALID) + len(DUPLICATES) + i for i in range(len(INVALID))
    ]
    by_index = {e["index"]: e for e in errors}
    first_invalid = len(VALID) + len(DUPLICATES)
    assert by_index[first_invalid]["field"] == "phone1"
    assert by_index[first_invalid + 2]["field"] == "phone1"
    assert by_index[first_invalid + 3]["field"] == "account_name"
    assert by_index[first_invalid + 4]["field"] == "favourite_colour"
    assert by_index[first_invalid + 5]["field"] == "phone3"
    assert all(e["reason"] for e in errors)

    # Stored as the server normalised them: no country code.
    assert [r["phone1"] for r in emu.stored_records(cid)] == [
        "4165550100",
        "4165550101",
        "6045550103",
    ]
    counters = emu.counters
    assert (counters.records_received, counters.records_stored) == (len(records), len(VALID))
    assert (counters.duplicates_seen, counters.invalid_seen) == (len(DUPLICATES), len(INVALID))


async def test_total_leads_is_updated_on_the_campaign(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[2]
    before = await campaign(fs, cid)
    summary = await fs.dial_campaigns.upload_data(cid, VALID)
    after = await campaign(fs, cid)
    assert after.total_leads == summary.total_leads == before.total_leads + len(VALID)
    assert after.remaining == before.remaining + len(VALID)
    assert after.dialed == before.dialed
    assert after.updated_at > before.updated_at


async def test_duplicates_across_uploads_are_skipped(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[1]
    first = await fs.dial_campaigns.upload_data(cid, VALID)
    second = await fs.dial_campaigns.upload_data(cid, [*VALID, {"phone1": "9025550109"}])
    assert (first.inserted, first.skipped) == (len(VALID), 0)
    assert (second.inserted, second.skipped) == (1, len(VALID))
    assert second.extra["duplicates"] == len(VALID) and second.extra["invalid"] == 0
    assert second.total_leads == (first.total_leads or 0) + 1
    # Dedupe is per campaign: another campaign takes the same phones.
    elsewhere = await fs.dial_campaigns.upload_data(emu.campaign_ids()[3], VALID)
    assert elsewhere.inserted == len(VALID)


async def test_contact_objects_are_sent_like_dicts(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    summary = await fs.dial_campaigns.upload_data(
        cid,
        [
            Contact(phone1="4165550111", account_name="Grace", amount=99.95, data6="x"),
            {"phone1": "4165550112"},
        ],
    )
    assert summary.inserted == 2
    stored = emu.stored_records(cid)
    assert stored[0] == {
        "phone1": "4165550111",
        "account_name": "Grace",
        "amount": 99.95,
        "data6": "x",
    }


async def test_an_all_invalid_upload_inserts_nothing(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    before = await campaign(fs, cid)
    summary = await fs.dial_campaigns.upload_data(cid, INVALID)
    assert (summary.inserted, summary.skipped) == (0, len(INVALID))
    assert summary.total_leads == before.total_leads
    assert emu.stored_records(cid) == []


# ---------------------------------------------------------------------------- activity events


async def test_upload_writes_a_records_imported_event(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    before = await collect(fs.dial_campaigns.list_activity(cid))
    records = [*VALID, *DUPLICATES, *INVALID]
    summary = await fs.dial_campaigns.upload_data(cid, records)

    after = await collect(fs.dial_campaigns.list_activity(cid))
    assert len(after) == len(before) + 1
    event = after[0]  # newest first
    assert event.activity_id not in {e.activity_id for e in before}
    assert event.type.id is ActivityType.RECORDS_IMPORTED
    assert event.type.name == "Records Imported"
    assert event.imported_count == summary.inserted == len(VALID)
    assert event.recycled_count == len(DUPLICATES)  # duplicates skipped on import
    assert event.excluded_count == len(INVALID)
    assert event.total_count == len(records)
    assert event.created_at >= before[0].created_at
    assert await latest_import(fs, cid) == event


async def test_each_upload_writes_its_own_event(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[4]
    imports_before = await collect(
        fs.dial_campaigns.list_activity(cid, type=ActivityType.RECORDS_IMPORTED)
    )
    await fs.dial_campaigns.upload_data(cid, VALID)
    await fs.dial_campaigns.upload_data(cid, VALID[:2])
    imports = await collect(
        fs.dial_campaigns.list_activity(cid, type=ActivityType.RECORDS_IMPORTED)
    )
    assert len(imports) == len(imports_before) + 2
    newest, previous = imports[0], imports[1]
    assert (newest.imported_count, newest.recycled_count, newest.total_count) == (0, 2, 2)
    assert (previous.imported_count, previous.recycled_count, previous.total_count) == (3, 0, 3)


async def test_pause_and_start_write_stopped_and_started_events(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    campaigns = await collect(fs.dial_campaigns.list())
    cid = next(c.id for c in campaigns if c.status is CampaignStatus.ACTIVE)
    before = {e.activity_id for e in await collect(fs.dial_campaigns.list_activity(cid))}

    paused = await fs.dial_campaigns.pause(cid)
    stopped = (
        await fs.dial_campaigns.list_activity(
            cid, type=ActivityType.CAMPAIGN_STOPPED, per_page=1
        ).first_page()
    ).data[0]
    assert stopped.activity_id not in before
    assert stopped.type.name == "Campaign Stopped"
    assert stopped.created_at == paused.updated_at
    counts = (stopped.imported_count, stopped.recycled_count, stopped.excluded_count)
    assert counts == (None, None, None) and stopped.total_count is None

    started_campaign = await fs.dial_campaigns.start(cid)
    events = await collect(fs.dial_campaigns.list_activity(cid))
    new = [e for e in events if e.activity_id not in before]
    assert [e.type.id for e in new] == [
        ActivityType.CAMPAIGN_STARTED,
        ActivityType.CAMPAIGN_STOPPED,
    ]
    assert new[0].type.name == "Campaign Started"
    assert new[0].created_at == started_campaign.updated_at
    assert started_campaign.status is CampaignStatus.ACTIVE
