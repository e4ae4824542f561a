"""Every endpoint through ``Freestyle``, against the emulator. Where it helps, the answer is
compared with what ``AsyncFreestyle`` returns for the same call (the facade adds no logic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from freestyle_async import (
    ActivityType,
    APIError,
    AsyncFreestyle,
    AuthenticationError,
    CampaignStatus,
    Contact,
    DialCampaign,
    NotFoundError,
    Page,
    PermissionDeniedError,
    ValidationError,
)
from freestyle_async.sync import Freestyle, SyncPaginator

from .conftest import EmulatorThread, tasks_on_loop, wait_until


async def _collect(paginator: Any) -> list[Any]:
    return [item async for item in paginator]


def _leads(count: int, start: int = 0) -> Iterator[dict[str, str]]:
    for i in range(start, start + count):
        yield {"phone1": f"416555{i:04d}", "account_name": f"Lead {i}"}


# -- account and billing ---------------------------------------------------------------------


def test_account_get(fs: Freestyle, emulator: EmulatorThread) -> None:
    account = fs.account.get()
    assert account == emulator.async_call(lambda c: c.account.get())
    assert account.name


def test_account_phone_numbers(fs: Freestyle, emulator: EmulatorThread) -> None:
    numbers = fs.account.phone_numbers()
    assert isinstance(numbers, list) and numbers
    assert numbers == emulator.async_call(lambda c: c.account.phone_numbers())


def test_billing_usage(fs: Freestyle, emulator: EmulatorThread) -> None:
    usage = fs.billing.usage(from_=dt.date(2026, 1, 1), to="2026-06-30")
    expected = emulator.async_call(
        lambda c: c.billing.usage(from_=dt.date(2026, 1, 1), to="2026-06-30")
    )
    assert usage == expected
    assert usage.data, "the seed has billed campaigns in the first half of 2026"
    one = usage.data[0].campaign_id
    only = fs.billing.usage(from_="2026-01-01", to="2026-06-30", campaign=one)
    assert [row.campaign_id for row in only.data] == [one]


# -- dial campaigns ---------------------------------------------------------------------------


def test_dial_campaigns_list_iterates_every_item(fs: Freestyle, emulator: EmulatorThread) -> None:
    paginator = fs.dial_campaigns.list()
    assert isinstance(paginator, SyncPaginator)
    campaigns = list(paginator)
    assert [c.id for c in campaigns] == emulator.emu.campaign_ids()
    assert all(isinstance(c, DialCampaign) for c in campaigns)
    assert campaigns == emulator.async_call(lambda c: _collect(c.dial_campaigns.list()))
    # A paginator can be iterated again: it starts over.
    assert list(paginator) == campaigns


def test_dial_campaigns_list_filter_pages_and_first_page(fs: Freestyle) -> None:
    active = list(fs.dial_campaigns.list(status="active"))
    assert active and all(c.status is CampaignStatus.ACTIVE for c in active)

    pages = list(fs.dial_campaigns.list(per_page=3).pages())
    assert all(isinstance(p, Page) for p in pages)
    assert [p.meta.page for p in pages] == list(range(1, pages[0].meta.total_pages + 1))
    assert sum(len(p) for p in pages) == pages[0].meta.total

    first = fs.dial_campaigns.list(page=2, per_page=2).first_page()
    assert (first.meta.page, first.meta.per_page, len(first)) == (2, 2, 2)


def test_paginator_crosses_the_bridge_once_per_page(
    fs: Freestyle, emulator: EmulatorThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs.account.get()  # start the loop thread
    portal = fs._portal
    real_call = portal.call
    trips: list[object] = []

    def counting_call(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        trips.append(fn)
        return real_call(fn, *args, **kwargs)

    monkeypatch.setattr(portal, "call", counting_call)
    before = emulator.requests()
    campaigns = list(fs.dial_campaigns.list(per_page=2))
    pages = emulator.requests() - before
    assert len(campaigns) == 8 and pages == 4
    assert len(trips) == pages + 1  # one per page, and one that finds the end


def test_paginator_prefetches_next_page_while_caller_holds_this_one(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    pages = fs.dial_campaigns.list(per_page=2).prefetch(1).pages()
    before = emulator.requests()
    first = next(pages)
    assert first.meta.page == 1
    # Page 2 was requested before page 1 was handed over: it reaches the server although
    # the caller has not asked for it yet.
    assert wait_until(lambda: emulator.requests() - before >= 2)
    assert emulator.requests() - before == 2
    del pages  # closes the generator, and with it the prefetch


def test_breaking_out_of_a_loop_leaves_no_task_behind(fs: Freestyle) -> None:
    for campaign in fs.dial_campaigns.list(per_page=2):
        assert campaign.id
        break
    assert tasks_on_loop(fs, settle=1.0) == []


def test_update_status_start_and_pause(fs: Freestyle, emulator: EmulatorThread) -> None:
    active = next(iter(fs.dial_campaigns.list(status="active")))
    paused = fs.dial_campaigns.pause(active.id)
    assert (paused.id, paused.status) == (active.id, CampaignStatus.PAUSED)
    started = fs.dial_campaigns.start(active.id)
    assert started.status is CampaignStatus.ACTIVE
    again = fs.dial_campaigns.update_status(active.id, "paused")
    assert again.status is CampaignStatus.PAUSED
    listed = emulator.async_call(lambda c: _collect(c.dial_campaigns.list(status="paused")))
    assert again in listed


def test_update_status_refuses_computed_status_before_sending(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    before = emulator.requests()
    with pytest.raises(ValidationError, match="'active' or 'paused'"):
        fs.dial_campaigns.update_status(campaign_id, "completed")
    assert emulator.requests() == before


def test_upload_data_from_a_generator_and_contacts(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    summary = fs.dial_campaigns.upload_data(campaign_id, _leads(3))
    assert (summary.inserted, summary.skipped) == (3, 0)
    contacts = [Contact(phone1="14165559001"), Contact(phone1="4165550000")]
    summary = fs.dial_campaigns.upload_data(campaign_id, contacts)
    assert (summary.inserted, summary.skipped) == (1, 1)  # 4165550000 was in the first batch
    stored = [r["phone1"] for r in emulator.emu.stored_records(campaign_id)]
    assert stored[-4:] == ["4165550000", "4165550001", "4165550002", "4165559001"]


def test_upload_data_refuses_more_than_1000_records(
    fs: Freestyle, emulator: EmulatorThread
) -> None:
    with pytest.raises(ValidationError, match="upload_leads"):
        fs.dial_campaigns.upload_data(emulator.emu.campaign_ids()[0], _leads(1001))


def _dialed_campaign(emulator: EmulatorThread) -> str:
    async def find(client: AsyncFreestyle) -> str:
        async for campaign in client.dial_campaigns.list():
            if campaign.dialed:
                return campaign.id
        raise AssertionError("the seed has a dialed campaign")

    return emulator.async_call(find)


def test_list_results_with_filters(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaign_id = _dialed_campaign(emulator)
    results = list(fs.dial_campaigns.list_results(campaign_id))
    assert results
    assert results == emulator.async_call(
        lambda c: _collect(c.dial_campaigns.list_results(campaign_id))
    )
    disposition = results[0].disposition.id if results[0].disposition else None
    assert disposition is not None
    filtered = list(fs.dial_campaigns.list_results(campaign_id, disposition=disposition))
    assert filtered and all(r.disposition and r.disposition.id == disposition for r in filtered)
    first = fs.dial_campaigns.list_results(campaign_id, per_page=5).first_page()
    assert len(first) == 5 and first.data == results[:5]


def test_results_summary(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaign_id = _dialed_campaign(emulator)
    summary = fs.dial_campaigns.results_summary(campaign_id, from_="2026-01-01")
    assert summary == emulator.async_call(
        lambda c: c.dial_campaigns.results_summary(campaign_id, from_="2026-01-01")
    )


def test_list_activity_with_type_filter(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaign_id = emulator.emu.campaign_ids()[0]
    fs.dial_campaigns.upload_data(campaign_id, _leads(2, start=200))
    events = list(fs.dial_campaigns.list_activity(campaign_id))
    assert events == emulator.async_call(
        lambda c: _collect(c.dial_campaigns.list_activity(campaign_id))
    )
    imported = list(
        fs.dial_campaigns.list_activity(campaign_id, type=ActivityType.RECORDS_IMPORTED)
    )
    assert imported and all(e.type.id is ActivityType.RECORDS_IMPORTED for e in imported)


# -- SMS campaigns -----------------------------------------------------------------------------


def test_sms_campaigns_list_and_get(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaigns = list(fs.sms_campaigns.list())
    assert [c.id for c in campaigns] == emulator.emu.sms_campaign_ids()
    one = fs.sms_campaigns.get(campaigns[0].id)
    assert one == emulator.async_call(lambda c: c.sms_campaigns.get(campaigns[0].id))
    assert one.id == campaigns[0].id


def test_sms_runs_and_messages(fs: Freestyle, emulator: EmulatorThread) -> None:
    campaign_id = emulator.emu.sms_campaign_ids()[0]
    runs = list(fs.sms_campaigns.list_runs(campaign_id))
    assert runs == emulator.async_call(lambda c: _collect(c.sms_campaigns.list_runs(campaign_id)))
    messages = list(fs.sms_campaigns.list_messages(campaign_id))
    assert messages == emulator.async_call(
        lambda c: _collect(c.sms_campaigns.list_messages(campaign_id))
    )
    page = fs.sms_campaigns.list_messages(campaign_id, direction="received").first_page()
    assert page.summary is not None
    assert all(m.direction == "received" for m in page.data)


# -- errors cross the bridge with their types ---------------------------------------------------


def test_not_found_for_another_accounts_campaign(fs: Freestyle, emulator: EmulatorThread) -> None:
    other = emulator.emu.campaign_ids(emulator.emu.other_api_key)[0]
    with pytest.raises(NotFoundError) as info:
        fs.dial_campaigns.pause(other)
    assert info.value.status == 404


@pytest.mark.parametrize(
    ("key", "error"),
    [("ft_" + "0" * 64, AuthenticationError), (None, PermissionDeniedError)],
)
def test_auth_errors(emulator: EmulatorThread, key: str | None, error: type[APIError]) -> None:
    api_key = key if key is not None else emulator.emu.disabled_api_key
    with Freestyle(api_key, base_url=emulator.emu.base_url) as fs:
        with pytest.raises(error) as info:
            fs.account.get()
        assert api_key not in str(info.value) and api_key not in repr(info.value)
        with pytest.raises(error):
            list(fs.dial_campaigns.list())


def test_list_arguments_are_checked_on_the_calling_thread(fs: Freestyle) -> None:
    with pytest.raises(ValidationError, match="per_page"):
        fs.dial_campaigns.list(per_page=101)
