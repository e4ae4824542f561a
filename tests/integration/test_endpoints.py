"""Every endpoint method through ``AsyncFreestyle`` against the emulator, decoded into models
with sensible values: aware UTC datetimes, ``Decimal`` money, enums for closed sets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from freestyle_async import (
    Account,
    AccountStatus,
    ActivityType,
    AsyncFreestyle,
    BillingUsage,
    CallResult,
    CampaignStatus,
    DialCampaign,
    MessageDirection,
    MessageStatus,
    PhoneNumber,
    ResultsSummary,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
    UploadSummary,
)
from freestyle_async.testing import DISPOSITIONS, Emulator

from ._support import ENDPOINT_CALLS, client_for, collect, decimal_places, is_utc

DISPOSITION_IDS = {d["id"] for d in DISPOSITIONS}


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


def test_the_table_names_all_13_endpoint_methods() -> None:
    assert len(ENDPOINT_CALLS) == 13


async def test_each_endpoint_answers_through_the_sdk(emu: Emulator, fs: AsyncFreestyle) -> None:
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    for name, call in ENDPOINT_CALLS.items():
        emu.reset_counters()
        result = await call(fs, dial, sms)
        assert result is not None, name
        assert emu.counters.requests == 1, name
        assert emu.counters.by_status == {200: 1}, name


async def test_list_dial_campaigns(emu: Emulator, fs: AsyncFreestyle) -> None:
    campaigns = await collect(fs.dial_campaigns.list())
    assert [c.id for c in campaigns] == emu.campaign_ids()
    assert len(campaigns) >= 3
    for c in campaigns:
        assert isinstance(c, DialCampaign)
        assert c.id.startswith("c_") and c.name
        assert isinstance(c.status, CampaignStatus)
        assert is_utc(c.created_at) and is_utc(c.updated_at)
        assert c.created_at <= c.updated_at
        assert 0 <= c.dialed <= c.total_leads
        assert c.remaining == c.total_leads - c.dialed
    assert {c.status for c in campaigns} == set(CampaignStatus)  # the seed has every status


async def test_start_and_pause_return_the_updated_campaign(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    campaigns = {c.id: c for c in await collect(fs.dial_campaigns.list())}
    active = next(c for c in campaigns.values() if c.status is CampaignStatus.ACTIVE)

    paused = await fs.dial_campaigns.pause(active.id)
    assert isinstance(paused, DialCampaign)
    assert paused.id == active.id
    assert paused.status is CampaignStatus.PAUSED
    assert is_utc(paused.updated_at) and paused.updated_at > active.updated_at
    assert (paused.total_leads, paused.dialed) == (active.total_leads, active.dialed)

    started = await fs.dial_campaigns.start(active.id)
    assert started.status is CampaignStatus.ACTIVE
    assert started.updated_at >= paused.updated_at

    again = await fs.dial_campaigns.update_status(active.id, CampaignStatus.PAUSED)
    assert again.status is CampaignStatus.PAUSED
    listed = {c.id: c for c in await collect(fs.dial_campaigns.list())}
    assert listed[active.id].status is CampaignStatus.PAUSED
    assert listed[active.id].updated_at == again.updated_at


async def test_upload_data_returns_a_summary(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    summary = await fs.dial_campaigns.upload_data(
        cid, [{"phone1": "4165550100", "account_name": "Ada"}, {"phone1": "14165550101"}]
    )
    assert isinstance(summary, UploadSummary)
    assert (summary.inserted, summary.skipped) == (2, 0)
    assert isinstance(summary.total_leads, int) and summary.total_leads > 2


async def test_list_results(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    results = await collect(fs.dial_campaigns.list_results(cid))
    assert len(results) == 200  # the emulator's default results_per_campaign
    assert len({r.result_id for r in results}) == len(results)
    amounts = []
    for r in results:
        assert isinstance(r, CallResult)
        assert r.disposition.id in DISPOSITION_IDS
        assert isinstance(r.disposition.contacted, bool)
        assert is_utc(r.dialed_at) and is_utc(r.completed_at)
        assert r.dialed_at <= r.completed_at
        assert r.total_seconds == (r.completed_at - r.dialed_at).total_seconds()
        assert len(r.phone_dialed) == 10 and r.phone_dialed.isdigit()
        assert r.phone_number_index >= 0
        if r.connected_at is None:
            assert r.talk_seconds is None
        else:
            assert is_utc(r.connected_at)
            assert r.dialed_at <= r.connected_at <= r.completed_at
            assert r.talk_seconds == (r.completed_at - r.connected_at).total_seconds()
        if r.amount is not None:
            assert isinstance(r.amount, Decimal)
            amounts.append(r.amount)
    assert amounts, "the seed has sales with an amount"
    assert all(decimal_places(a) <= 2 for a in amounts)  # no binary float noise


async def test_results_summary(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    summary = await fs.dial_campaigns.results_summary(cid)
    results = await collect(fs.dial_campaigns.list_results(cid))
    assert isinstance(summary, ResultsSummary)
    assert summary.total_calls == len(results)
    contacted = [r for r in results if r.disposition.contacted]
    assert summary.total_contacts == len(contacted)
    assert summary.contact_rate == round(100 * len(contacted) / len(results), 2)
    assert summary.total_talk_seconds == sum(r.talk_seconds or 0 for r in results)
    assert summary.total_dial_seconds == sum(r.total_seconds for r in results)
    assert summary.first_call_at == min(r.completed_at for r in results)
    assert summary.last_call_at == max(r.completed_at for r in results)
    assert is_utc(summary.first_call_at) and is_utc(summary.last_call_at)
    assert summary.date_range is not None
    assert (summary.date_range.from_, summary.date_range.to) == (None, None)
    assert sum(d.count for d in summary.dispositions) == summary.total_calls
    assert abs(sum(d.percentage for d in summary.dispositions) - 100) < 0.1
    counts = [d.count for d in summary.dispositions]
    assert counts == sorted(counts, reverse=True)  # "ranked by call count"


async def test_list_activity(emu: Emulator, fs: AsyncFreestyle) -> None:
    seen_types: set[ActivityType | int] = set()
    for cid in emu.campaign_ids():
        for event in await collect(fs.dial_campaigns.list_activity(cid)):
            assert is_utc(event.created_at)
            kind = event.type.id
            assert isinstance(kind, ActivityType)
            seen_types.add(kind)
            if kind is ActivityType.RECORDS_IMPORTED:
                assert event.imported_count is not None
                assert event.recycled_count is not None
                assert event.excluded_count is not None
                assert event.total_count == (
                    event.imported_count + event.recycled_count + event.excluded_count
                )
                assert event.type.name == "Records Imported"
            elif kind is ActivityType.RECORDS_RECYCLED:
                assert event.recycled_count is not None and event.total_count is not None
                assert event.imported_count is None and event.excluded_count is None
            else:
                counts = (
                    event.imported_count,
                    event.recycled_count,
                    event.excluded_count,
                    event.total_count,
                )
                assert counts == (None, None, None, None)
    assert seen_types == set(ActivityType)


async def test_list_sms_campaigns_and_get(emu: Emulator, fs: AsyncFreestyle) -> None:
    campaigns = await collect(fs.sms_campaigns.list())
    assert [c.id for c in campaigns] == emu.sms_campaign_ids()
    for c in campaigns:
        assert isinstance(c, SmsCampaign)
        assert c.id.startswith("sc_")
        assert c.from_number.startswith("+1") and c.from_number[1:].isdigit()
        assert c.template is None  # only get() carries the template
        assert is_utc(c.created_at)
        assert c.updated_at is None or is_utc(c.updated_at)
        assert c.total_runs == (
            c.running_count + c.scheduled_count + c.completed_count + c.cancelled_count
        )
        assert (c.last_run_at is None) == (c.total_runs == 0)

        one = await fs.sms_campaigns.get(c.id)
        assert one.template and "{" in one.template  # placeholders such as {Name}
        assert (one.id, one.name, one.total_runs, one.last_run_at) == (
            c.id,
            c.name,
            c.total_runs,
            c.last_run_at,
        )


async def test_list_runs(emu: Emulator, fs: AsyncFreestyle) -> None:
    statuses: set[RunStatus | str] = set()
    for c in await collect(fs.sms_campaigns.list()):
        runs = await collect(fs.sms_campaigns.list_runs(c.id))
        assert len(runs) == c.total_runs
        for run in runs:
            assert isinstance(run, SmsRun)
            assert isinstance(run.status, RunStatus)
            statuses.add(run.status)
            assert is_utc(run.scheduled_at) and is_utc(run.created_at)
            assert 0 <= run.processed <= run.total
            assert run.sent + run.failed == run.processed
            assert 0 <= run.progress_pct <= 100
            assert (run.started_at is None) == (run.status is RunStatus.SCHEDULED)
            assert (run.completed_at is not None) == (run.status is RunStatus.COMPLETED)
    assert statuses == set(RunStatus)


async def test_list_messages(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.sms_campaign_ids()[0]
    paginator = fs.sms_campaigns.list_messages(cid)
    first = await paginator.first_page()
    messages = await collect(paginator)
    assert messages
    summary = first.summary
    assert summary is not None
    assert summary.total == len(messages) == first.meta.total
    assert summary.sent_count == sum(m.direction is MessageDirection.SENT for m in messages)
    assert summary.received_count == sum(m.direction is MessageDirection.RECEIVED for m in messages)
    assert isinstance(summary.total_cost, Decimal)
    # Exact only if each cost was decoded without binary float noise.
    assert summary.total_cost == sum((m.cost for m in messages), Decimal(0))
    for m in messages:
        assert isinstance(m, SmsMessage)
        assert isinstance(m.direction, MessageDirection)
        assert isinstance(m.status, MessageStatus)
        assert isinstance(m.cost, Decimal) and decimal_places(m.cost) <= 4
        assert is_utc(m.sent_at)
        assert m.segments >= 1 and m.message
        if m.status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            assert m.error_code and m.error_message
        else:
            assert m.error_code is None and m.error_message is None


async def test_billing_usage(emu: Emulator, fs: AsyncFreestyle) -> None:
    usage = await fs.billing.usage()
    assert isinstance(usage, BillingUsage)
    assert sorted(u.campaign_id for u in usage.data) == sorted(emu.campaign_ids())
    for u in usage.data:
        assert isinstance(u.hourly_rate, Decimal) and isinstance(u.cost, Decimal)
        assert u.hourly_rate == Decimal("42.5")  # the seed's GHR, exactly
        assert decimal_places(u.cost) <= 2
        # cost = duration_seconds / 3600 * hourly_rate, to the cent
        assert abs(u.cost - Decimal(u.duration_seconds) * u.hourly_rate / 3600) <= Decimal("0.005")
    assert usage.summary.total_duration_seconds == sum(u.duration_seconds for u in usage.data)
    assert usage.summary.total_cost == sum((u.cost for u in usage.data), Decimal(0))
    assert usage.summary.date_range is not None
    assert (usage.summary.date_range.from_, usage.summary.date_range.to) == (None, None)


async def test_account_and_phone_numbers(emu: Emulator, fs: AsyncFreestyle) -> None:
    account = await fs.account.get()
    assert isinstance(account, Account)
    assert isinstance(account.status, AccountStatus)
    assert is_utc(account.created_at)
    assert account.name
    for contact in (account.contacts.primary, account.contacts.technical, account.contacts.billing):
        assert contact is not None and contact.email and "@" in contact.email
    assert account.location is not None and account.location.country

    numbers = await fs.account.phone_numbers()
    assert numbers
    assert len({n.phone_number_id for n in numbers}) == len(numbers)
    for n in numbers:
        assert isinstance(n, PhoneNumber)
        assert n.phone_number.startswith("+") and n.phone_number[1:].isdigit()
        assert isinstance(n.type.id, int) and n.type.name
        assert isinstance(n.neustar_branded_call_display, bool)
        assert is_utc(n.created_at) and n.created_at >= account.created_at
    senders = {c.from_number for c in await collect(fs.sms_campaigns.list())}
    assert senders <= {n.phone_number for n in numbers}


async def test_other_account_sees_its_own_data(emu: Emulator) -> None:
    async with client_for(emu, emu.other_api_key) as other:
        account = await other.account.get()
        campaigns = await collect(other.dial_campaigns.list())
    assert account.location is None  # the other seed account has no location
    assert [c.id for c in campaigns] == emu.campaign_ids(emu.other_api_key)
    assert not {c.id for c in campaigns} & set(emu.campaign_ids())
