"""Every documented filter, checked against the unfiltered data."""

from __future__ import annotations

import aiohttp

from freestyle_async.testing import Emulator

from ._helpers import Api, assert_error


async def test_dial_campaign_status_filter(api: Api) -> None:
    everything = (await api.get("/dial-campaigns", per_page=100)).data
    seen = 0
    for status in ("active", "paused", "completed", "draft"):
        reply = await api.get("/dial-campaigns", status=status, per_page=100)
        assert reply.data == [c for c in everything if c["status"] == status]
        assert reply.body["meta"]["total"] == len(reply.data) > 0
        seen += len(reply.data)
    assert seen == len(everything)


async def test_results_date_and_disposition_filters(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    everything = await api.all_pages(f"/dial-campaigns/{cid}/results", 200)
    days = sorted({r["completed_at"][:10] for r in everything})
    start, end = days[len(days) // 4], days[len(days) // 2]
    filtered = await api.all_pages(
        f"/dial-campaigns/{cid}/results", 200, **{"from": start, "to": end}
    )
    assert filtered == [r for r in everything if start <= r["completed_at"][:10] <= end]
    assert 0 < len(filtered) < len(everything)
    one_day = await api.all_pages(f"/dial-campaigns/{cid}/results", 200, **{"from": end, "to": end})
    assert one_day and all(r["completed_at"].startswith(end) for r in one_day)
    only_from = await api.all_pages(f"/dial-campaigns/{cid}/results", 200, **{"from": end})
    assert only_from == [r for r in everything if r["completed_at"][:10] >= end]
    only_to = await api.all_pages(f"/dial-campaigns/{cid}/results", 200, to=start)
    assert only_to == [r for r in everything if r["completed_at"][:10] <= start]
    for disposition in {r["disposition"]["id"] for r in everything}:
        got = await api.all_pages(f"/dial-campaigns/{cid}/results", 200, disposition=disposition)
        assert got == [r for r in everything if r["disposition"]["id"] == disposition]
    both = await api.all_pages(
        f"/dial-campaigns/{cid}/results", 200, disposition=6, **{"from": start, "to": end}
    )
    assert both == [r for r in filtered if r["disposition"]["id"] == 6]
    assert (await api.get(f"/dial-campaigns/{cid}/results", disposition=999)).data == []
    future = await api.get(f"/dial-campaigns/{cid}/results", **{"from": "2030-01-01"})
    assert future.data == [] and future.body["meta"]["total"] == 0


async def test_summary_date_filter(api: Api, emu: Emulator) -> None:
    cid = (await api.get("/dial-campaigns", status="completed")).data[0]["id"]
    everything = await api.all_pages(f"/dial-campaigns/{cid}/results", 200)
    days = sorted({r["completed_at"][:10] for r in everything})
    start, end = days[1], days[-2]
    expected = [r for r in everything if start <= r["completed_at"][:10] <= end]
    reply = await api.get(f"/dial-campaigns/{cid}/results/summary", **{"from": start, "to": end})
    summary = reply.data
    assert summary["date_range"] == {"from": start, "to": end}
    assert summary["total_calls"] == len(expected)
    assert summary["total_contacts"] == sum(r["disposition"]["contacted"] for r in expected)
    assert summary["first_call_at"] == min(r["completed_at"] for r in expected)
    assert summary["last_call_at"] == max(r["completed_at"] for r in expected)
    reply = await api.get(f"/dial-campaigns/{cid}/results/summary", to=start)
    assert reply.data["date_range"] == {"from": None, "to": start}


async def test_activity_filters(api: Api, emu: Emulator) -> None:
    events = []
    for cid in emu.campaign_ids():
        everything = (await api.get(f"/dial-campaigns/{cid}/activity", per_page=200)).data
        for type_id in (1, 2, 3, 4):
            reply = await api.get(f"/dial-campaigns/{cid}/activity", type=type_id)
            assert reply.data == [e for e in everything if e["type"]["id"] == type_id]
        day = everything[-1]["created_at"][:10]
        reply = await api.get(f"/dial-campaigns/{cid}/activity", **{"from": day, "to": day})
        assert reply.data == [e for e in everything if e["created_at"][:10] == day]
        assert reply.data
        events.extend(everything)
    assert {e["type"]["id"] for e in events} == {1, 2, 3, 4}


async def test_sms_campaign_status_filter(api: Api) -> None:
    everything = (await api.get("/sms-campaigns")).data
    for status in ("scheduled", "running", "completed", "cancelled"):
        reply = await api.get("/sms-campaigns", status=status)
        assert reply.data == [c for c in everything if c[f"{status}_count"] > 0]
        assert reply.data


async def test_run_status_filter(api: Api, emu: Emulator) -> None:
    seen = set()
    for sid in emu.sms_campaign_ids():
        everything = (await api.get(f"/sms-campaigns/{sid}/runs")).data
        for status in ("scheduled", "running", "completed", "cancelled"):
            reply = await api.get(f"/sms-campaigns/{sid}/runs", status=status)
            assert reply.data == [r for r in everything if r["status"] == status]
            seen |= {r["status"] for r in reply.data}
    assert seen == {"scheduled", "running", "completed", "cancelled"}


def _summary(messages: list[dict[str, object]]) -> dict[str, object]:
    sent = sum(1 for m in messages if m["direction"] == "sent")
    return {
        "total": len(messages),
        "sent_count": sent,
        "received_count": len(messages) - sent,
        "total_cost": round(sum(m["cost"] for m in messages), 4),  # type: ignore[misc]
    }


async def test_message_filters_and_summary(api: Api, emu: Emulator) -> None:
    sid = max(
        emu.sms_campaign_ids(),
        key=lambda s: len(emu.state.accounts["main"].sms_campaigns[s].messages),
    )
    path = f"/sms-campaigns/{sid}/messages"
    everything = (await api.get(path, per_page=200)).data
    assert len(everything) > 20
    reply = await api.get(path, per_page=5)
    assert reply.body["summary"] == _summary(everything)
    assert len(reply.data) == 5
    filters = [{"direction": d} for d in ("sent", "received")]
    filters += [{"status": s} for s in ("delivered", "failed", "undelivered", "sent", "queued")]
    filters += [{"run_id": r} for r in sorted({m["run_id"] for m in everything})]
    day = everything[len(everything) // 2]["sent_at"][:10]
    filters += [{"from": day}, {"to": day}, {"from": day, "to": day}]
    filters += [{"direction": "sent", "status": "delivered", "from": day}]

    def keep(m: dict[str, object], f: dict[str, object]) -> bool:
        sent_day = str(m["sent_at"])[:10]
        return (
            all(m[k] == v for k, v in f.items() if k in ("direction", "status", "run_id"))
            and ("from" not in f or sent_day >= str(f["from"]))
            and ("to" not in f or sent_day <= str(f["to"]))
        )

    for f in filters:
        reply = await api.get(path, per_page=200, **f)
        expected = [m for m in everything if keep(m, f)]
        assert reply.data == expected, f
        assert reply.body["summary"] == _summary(expected), f
    assert (await api.get(path, run_id=1)).data == []


async def test_billing_filters(api: Api, emu: Emulator, session: aiohttp.ClientSession) -> None:
    everything = await api.get("/billing")
    assert {row["campaign_id"] for row in everything.data} == set(emu.campaign_ids())
    usage = {c.id: c.usage for c in emu.state.accounts["main"].dial_campaigns.values()}
    start, end = "2026-05-01", "2026-05-31"
    reply = await api.get("/billing", **{"from": start, "to": end})
    assert reply.body["summary"]["date_range"] == {"from": start, "to": end}
    for row in reply.data:
        expected = sum(s for day, s in usage[row["campaign_id"]] if start <= day <= end)
        assert row["duration_seconds"] == expected
    totals = {r["campaign_id"]: r["duration_seconds"] for r in everything.data}
    assert all(r["duration_seconds"] <= totals[r["campaign_id"]] for r in reply.data)
    cid = emu.campaign_ids()[0]
    one = await api.get("/billing", campaign=cid)
    assert [r["campaign_id"] for r in one.data] == [cid]
    assert one.body["summary"]["total_duration_seconds"] == totals[cid]
    assert_error(
        await api.get("/billing", campaign=emu.campaign_ids(emu.other_api_key)[0]), 404, "not_found"
    )
    other = Api(session, emu, emu.other_api_key)
    rows = (await other.get("/billing")).data
    assert {r["hourly_rate"] for r in rows} == {38.75}
