"""Every filter reaches the server and really filters: each filtered result is compared with
the unfiltered result filtered in Python, and must be a proper, non-empty subset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from freestyle_async import (
    ActivityType,
    AsyncFreestyle,
    CampaignStatus,
    MessageDirection,
    MessageStatus,
    RunStatus,
)
from freestyle_async.testing import Emulator

from ._support import collect

T = TypeVar("T")


def expect_subset(filtered: Sequence[T], everything: Sequence[T], expected: Sequence[T]) -> None:
    """``filtered`` is exactly ``expected`` (the unfiltered items the filter should keep, in
    the same order), and the filter made a difference (neither nothing nor everything)."""
    assert list(filtered) == list(expected)
    assert 0 < len(filtered) < len(everything)


def middle_range(days: Sequence[dt.date]) -> tuple[dt.date, dt.date]:
    """A from/to window strictly inside the span of ``days``."""
    ordered = sorted(set(days))
    assert len(ordered) >= 4, "need a few distinct days to cut a window"
    return ordered[len(ordered) // 4], ordered[(3 * len(ordered)) // 4]


# ---------------------------------------------------------------------------- dial campaigns


async def test_dial_campaigns_status(fs: AsyncFreestyle) -> None:
    everything = await collect(fs.dial_campaigns.list())
    seen = 0
    for status in CampaignStatus:
        filtered = await collect(fs.dial_campaigns.list(status=status))
        expect_subset(filtered, everything, [c for c in everything if c.status == status])
        seen += len(filtered)
    assert seen == len(everything)
    # A plain string works as well as the enum member.
    assert await collect(fs.dial_campaigns.list(status="paused")) == await collect(
        fs.dial_campaigns.list(status=CampaignStatus.PAUSED)
    )


async def test_results_from_and_to_filter_by_completion_day(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_results(cid))
    start, end = middle_range([r.completed_at.date() for r in everything])

    both = await collect(fs.dial_campaigns.list_results(cid, from_=start, to=end))
    expect_subset(
        both, everything, [r for r in everything if start <= r.completed_at.date() <= end]
    )
    assert any(r.completed_at.date() == end for r in both)  # "to" is inclusive

    since = await collect(fs.dial_campaigns.list_results(cid, from_=start.isoformat()))
    expect_subset(since, everything, [r for r in everything if r.completed_at.date() >= start])
    until = await collect(fs.dial_campaigns.list_results(cid, to=end.isoformat()))
    expect_subset(until, everything, [r for r in everything if r.completed_at.date() <= end])

    one_day = await collect(fs.dial_campaigns.list_results(cid, from_=end, to=end))
    expect_subset(one_day, everything, [r for r in everything if r.completed_at.date() == end])


async def test_results_disposition(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_results(cid))
    dispositions = {r.disposition.id for r in everything}
    assert len(dispositions) > 1
    for disposition in sorted(dispositions):
        filtered = await collect(fs.dial_campaigns.list_results(cid, disposition=disposition))
        expect_subset(
            filtered, everything, [r for r in everything if r.disposition.id == disposition]
        )


async def test_results_disposition_and_dates_combine(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_results(cid))
    start, end = middle_range([r.completed_at.date() for r in everything])
    filtered = await collect(
        fs.dial_campaigns.list_results(cid, from_=start, to=end, disposition=6)
    )
    expect_subset(
        filtered,
        everything,
        [r for r in everything if r.disposition.id == 6 and start <= r.completed_at.date() <= end],
    )


async def test_results_summary_from_and_to(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_results(cid))
    start, end = middle_range([r.completed_at.date() for r in everything])
    in_range = await collect(fs.dial_campaigns.list_results(cid, from_=start, to=end))

    whole = await fs.dial_campaigns.results_summary(cid)
    summary = await fs.dial_campaigns.results_summary(cid, from_=start, to=end)
    assert whole.total_calls == len(everything)
    assert 0 < summary.total_calls == len(in_range) < whole.total_calls
    assert summary.total_contacts == sum(r.disposition.contacted for r in in_range)
    assert summary.total_talk_seconds == sum(r.talk_seconds or 0 for r in in_range)
    assert summary.total_dial_seconds == sum(r.total_seconds for r in in_range)
    assert summary.first_call_at == min(r.completed_at for r in in_range)
    assert summary.last_call_at == max(r.completed_at for r in in_range)
    assert summary.date_range is not None
    assert (summary.date_range.from_, summary.date_range.to) == (start, end)
    by_id = {d.id: d.count for d in summary.dispositions}
    for disposition_id, count in by_id.items():
        assert count == sum(r.disposition.id == disposition_id for r in in_range)


async def test_activity_type(emu: Emulator, fs: AsyncFreestyle) -> None:
    for cid in emu.campaign_ids():
        everything = await collect(fs.dial_campaigns.list_activity(cid))
        for kind in {e.type.id for e in everything}:
            filtered = await collect(fs.dial_campaigns.list_activity(cid, type=kind))
            assert filtered == [e for e in everything if e.type.id == kind]
            assert filtered
    # Across the account, each type filter is a proper subset somewhere.
    cid = emu.campaign_ids()[0]
    everything = await collect(fs.dial_campaigns.list_activity(cid))
    imported = await collect(
        fs.dial_campaigns.list_activity(cid, type=ActivityType.RECORDS_IMPORTED)
    )
    expect_subset(
        imported, everything, [e for e in everything if e.type.id is ActivityType.RECORDS_IMPORTED]
    )
    as_int = await collect(fs.dial_campaigns.list_activity(cid, type=1))
    assert as_int == imported


async def test_activity_from_and_to(emu: Emulator, fs: AsyncFreestyle) -> None:
    # A campaign whose events span several days.
    for cid in emu.campaign_ids():
        everything = await collect(fs.dial_campaigns.list_activity(cid))
        days = sorted({e.created_at.date() for e in everything})
        if len(days) >= 3:
            break
    else:  # pragma: no cover - the seed has such campaigns
        raise AssertionError("no campaign with activity on three different days")
    first, last = days[0], days[-1]
    after_first = await collect(
        fs.dial_campaigns.list_activity(cid, from_=first + dt.timedelta(days=1))
    )
    expect_subset(after_first, everything, [e for e in everything if e.created_at.date() > first])
    before_last = await collect(fs.dial_campaigns.list_activity(cid, to=last - dt.timedelta(1)))
    expect_subset(before_last, everything, [e for e in everything if e.created_at.date() < last])
    only_last = await collect(fs.dial_campaigns.list_activity(cid, from_=last, to=last))
    expect_subset(only_last, everything, [e for e in everything if e.created_at.date() == last])


# ---------------------------------------------------------------------------- SMS campaigns


async def test_sms_campaigns_status_keeps_campaigns_with_a_run_in_that_status(
    fs: AsyncFreestyle,
) -> None:
    everything = await collect(fs.sms_campaigns.list())
    run_statuses = {
        c.id: {run.status for run in await collect(fs.sms_campaigns.list_runs(c.id))}
        for c in everything
    }
    for status in RunStatus:
        filtered = await collect(fs.sms_campaigns.list(status=status))
        expect_subset(filtered, everything, [c for c in everything if status in run_statuses[c.id]])


async def test_sms_runs_status(emu: Emulator, fs: AsyncFreestyle) -> None:
    checked = 0
    for cid in emu.sms_campaign_ids():
        everything = await collect(fs.sms_campaigns.list_runs(cid))
        for status in RunStatus:
            filtered = await collect(fs.sms_campaigns.list_runs(cid, status=status))
            assert filtered == [r for r in everything if r.status == status]
            if 0 < len(filtered) < len(everything):
                checked += 1
    assert checked >= 3


async def test_messages_run_id_status_and_direction(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.sms_campaign_ids()[0]
    everything = await collect(fs.sms_campaigns.list_messages(cid))

    for run_id in {m.run_id for m in everything}:
        filtered = await collect(fs.sms_campaigns.list_messages(cid, run_id=run_id))
        expect_subset(filtered, everything, [m for m in everything if m.run_id == run_id])

    for status in {m.status for m in everything}:
        filtered = await collect(fs.sms_campaigns.list_messages(cid, status=status))
        expect_subset(filtered, everything, [m for m in everything if m.status == status])
    assert await collect(fs.sms_campaigns.list_messages(cid, status="delivered")) == [
        m for m in everything if m.status is MessageStatus.DELIVERED
    ]

    for direction in MessageDirection:
        filtered = await collect(fs.sms_campaigns.list_messages(cid, direction=direction))
        expect_subset(filtered, everything, [m for m in everything if m.direction == direction])


async def test_messages_from_and_to_filter_by_send_day(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.sms_campaign_ids()[0]
    everything = await collect(fs.sms_campaigns.list_messages(cid))
    days = sorted({m.sent_at.date() for m in everything})
    assert len(days) >= 2
    last = days[-1]
    recent = await collect(fs.sms_campaigns.list_messages(cid, from_=last))
    expect_subset(recent, everything, [m for m in everything if m.sent_at.date() >= last])
    older = await collect(fs.sms_campaigns.list_messages(cid, to=last - dt.timedelta(days=1)))
    expect_subset(older, everything, [m for m in everything if m.sent_at.date() < last])
    window = await collect(fs.sms_campaigns.list_messages(cid, from_=days[0], to=days[0]))
    expect_subset(window, everything, [m for m in everything if m.sent_at.date() == days[0]])


async def test_messages_summary_follows_the_filters(emu: Emulator, fs: AsyncFreestyle) -> None:
    cid = emu.sms_campaign_ids()[0]
    everything = await collect(fs.sms_campaigns.list_messages(cid))
    run_id = everything[-1].run_id
    paginator = fs.sms_campaigns.list_messages(
        cid, run_id=run_id, direction=MessageDirection.SENT, per_page=3
    )
    pages = [page async for page in paginator.pages()]
    items = [m for page in pages for m in page.data]
    expected = [
        m for m in everything if m.run_id == run_id and m.direction is MessageDirection.SENT
    ]
    assert 0 < len(expected) < len(everything)
    assert items == expected
    for page in pages:  # every page carries the summary of all matching messages
        assert page.summary is not None
        assert page.summary.total == len(expected)
        assert page.summary.sent_count == len(expected)
        assert page.summary.received_count == 0
        assert page.summary.total_cost == sum((m.cost for m in expected), 0)


# ---------------------------------------------------------------------------- billing


async def test_billing_campaign(emu: Emulator, fs: AsyncFreestyle) -> None:
    everything = await fs.billing.usage()
    target = everything.data[1]
    one = await fs.billing.usage(campaign=target.campaign_id)
    assert one.data == [target]
    assert one.summary.total_duration_seconds == target.duration_seconds
    assert one.summary.total_cost == target.cost


async def test_billing_from_and_to(emu: Emulator, fs: AsyncFreestyle) -> None:
    everything = await fs.billing.usage()
    start, end = dt.date(2026, 4, 1), dt.date(2026, 4, 30)
    april = await fs.billing.usage(from_=start, to=end)
    assert april.summary.date_range is not None
    assert (april.summary.date_range.from_, april.summary.date_range.to) == (start, end)
    assert {u.campaign_id for u in april.data} == {u.campaign_id for u in everything.data}
    whole = {u.campaign_id: u.duration_seconds for u in everything.data}
    assert all(u.duration_seconds <= whole[u.campaign_id] for u in april.data)
    assert 0 < april.summary.total_duration_seconds < everything.summary.total_duration_seconds
    assert april.summary.total_duration_seconds == sum(u.duration_seconds for u in april.data)
    assert april.summary.total_cost == sum((u.cost for u in april.data), 0)

    # Adjacent ranges add up to the wider one: each day is counted once, "to" inclusive.
    first_half = await fs.billing.usage(from_=start, to="2026-04-15")
    second_half = await fs.billing.usage(from_="2026-04-16", to=end)
    assert (
        first_half.summary.total_duration_seconds + second_half.summary.total_duration_seconds
        == april.summary.total_duration_seconds
    )
    assert 0 < first_half.summary.total_duration_seconds < april.summary.total_duration_seconds

    # A campaign and dates together.
    target = max(april.data, key=lambda u: u.duration_seconds)
    both = await fs.billing.usage(from_=start, to=end, campaign=target.campaign_id)
    assert both.data == [target]
