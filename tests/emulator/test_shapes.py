"""Every endpoint answers every documented field, with the documented type."""

from __future__ import annotations

from decimal import Decimal

import aiohttp

from freestyle_async.testing import Emulator

from . import _shapes as S
from ._helpers import Api


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


async def test_dial_campaigns_shape_and_statuses(api: Api) -> None:
    reply = await api.get("/dial-campaigns", per_page=100)
    assert reply.status == 200
    assert set(reply.body) == {"data", "meta"}
    S.check(reply.body["meta"], S.META)
    S.check(reply.data, [S.CAMPAIGN])
    assert {c["status"] for c in reply.data} == {"active", "paused", "completed", "draft"}
    assert all(c["id"].startswith("c_") and len(c["id"]) == 38 for c in reply.data)
    for c in reply.data:
        assert c["remaining"] == c["total_leads"] - c["dialed"]
        assert c["created_at"] <= c["updated_at"]
        if c["status"] == "completed":
            assert c["remaining"] == 0
        if c["status"] == "draft":
            assert c["dialed"] == 0


async def test_results_shape_and_timing(api: Api, emu: Emulator) -> None:
    rows = []
    for cid in emu.campaign_ids():
        reply = await api.get(f"/dial-campaigns/{cid}/results", per_page=200)
        assert reply.status == 200
        assert set(reply.body) == {"data", "meta"}
        S.check(reply.body["meta"], S.META)
        rows.extend(reply.data)
    S.check(rows, [S.RESULT])
    assert len({r["result_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["dialed_at"] <= r["completed_at"]
        if r["connected_at"] is None:
            assert r["talk_seconds"] is None
        else:
            assert r["dialed_at"] < r["connected_at"] <= r["completed_at"]
            assert r["talk_seconds"] is not None
            assert r["talk_seconds"] <= r["total_seconds"]
        assert len(r["phone_dialed"]) == 10
        assert r["phone_dialed"].isdigit()
    S.nullable_fields_seen(
        rows, "connected_at", "talk_seconds", "amount", "dtmf", "recording_id", "new_phone"
    )
    S.nullable_fields_seen(rows, "new_email")
    assert len({r["disposition"]["id"] for r in rows}) >= 8


async def test_summary_shape(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    reply = await api.get(f"/dial-campaigns/{cid}/results/summary")
    assert reply.status == 200
    assert set(reply.body) == {"data"}
    summary = reply.data
    S.check(summary, S.SUMMARY)
    assert summary["total_calls"] == 200
    assert summary["date_range"] == {"from": None, "to": None}
    counts = [d["count"] for d in summary["dispositions"]]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == summary["total_calls"]
    contacted = sum(d["count"] for d in summary["dispositions"] if d["contacted"])
    assert contacted == summary["total_contacts"]
    assert summary["contact_rate"] == round(100 * contacted / summary["total_calls"], 2)
    for d in summary["dispositions"]:
        assert d["percentage"] == round(100 * d["count"] / summary["total_calls"], 2)
    results = await api.all_pages(f"/dial-campaigns/{cid}/results", 200)
    assert summary["total_talk_seconds"] == sum(r["talk_seconds"] or 0 for r in results)
    assert summary["total_dial_seconds"] == sum(r["total_seconds"] for r in results)
    assert summary["first_call_at"] == min(r["completed_at"] for r in results)
    assert summary["last_call_at"] == max(r["completed_at"] for r in results)


async def test_summary_of_a_campaign_without_calls(api: Api, emu: Emulator) -> None:
    drafts = (await api.get("/dial-campaigns", status="draft")).data
    reply = await api.get(f"/dial-campaigns/{drafts[0]['id']}/results/summary")
    S.check(reply.data, S.SUMMARY)
    assert reply.data["total_calls"] == 0
    assert reply.data["contact_rate"] == 0
    assert reply.data["first_call_at"] is None
    assert reply.data["dispositions"] == []


async def test_activity_shape(api: Api, emu: Emulator) -> None:
    events = []
    for cid in emu.campaign_ids():
        reply = await api.get(f"/dial-campaigns/{cid}/activity", per_page=200)
        assert set(reply.body) == {"data", "meta"}
        events.extend(reply.data)
    S.check(events, [S.ACTIVITY])
    names = {
        1: "Records Imported",
        2: "Campaign Stopped",
        3: "Campaign Started",
        4: "Records Recycled",
    }
    assert {e["type"]["id"] for e in events} == set(names)
    for e in events:
        assert e["type"]["name"] == names[e["type"]["id"]]
        counts = (e["imported_count"], e["recycled_count"], e["excluded_count"], e["total_count"])
        if e["type"]["id"] == 1:
            assert None not in counts
            assert e["total_count"] == sum(counts[:3])
        elif e["type"]["id"] == 4:
            assert e["imported_count"] is None and e["excluded_count"] is None
            assert e["recycled_count"] is not None and e["total_count"] is not None
        else:
            assert counts == (None, None, None, None)


async def test_sms_shapes(api: Api, emu: Emulator) -> None:
    listing = await api.get("/sms-campaigns", per_page=100)
    assert set(listing.body) == {"data", "meta"}
    S.check(listing.data, [S.SMS_CAMPAIGN])
    S.nullable_fields_seen(listing.data, "last_run_at", "updated_at")
    runs, messages = [], []
    for item in listing.data:
        assert item["id"].startswith("sc_")
        detail = await api.get(f"/sms-campaigns/{item['id']}")
        assert set(detail.body) == {"data"}
        S.check(detail.data, S.SMS_CAMPAIGN_DETAIL)
        assert {k: v for k, v in detail.data.items() if k != "template"} == item
        reply = await api.get(f"/sms-campaigns/{item['id']}/runs", per_page=100)
        S.check(reply.data, [S.RUN])
        assert item["total_runs"] == len(reply.data)
        for status in ("running", "scheduled", "completed", "cancelled"):
            count = sum(1 for r in reply.data if r["status"] == status)
            assert item[f"{status}_count"] == count
        if reply.data:
            assert item["last_run_at"] == max(r["scheduled_at"] for r in reply.data)
        runs.extend(reply.data)
        reply = await api.get(f"/sms-campaigns/{item['id']}/messages", per_page=200)
        assert set(reply.body) == {"data", "summary", "meta"}
        S.check(reply.body["summary"], S.MESSAGE_SUMMARY)
        S.check(reply.data, [S.MESSAGE])
        messages.extend(reply.data)
    assert {r["status"] for r in runs} == {"scheduled", "running", "completed", "cancelled"}
    S.nullable_fields_seen(runs, "started_at", "completed_at", "notes")
    for r in runs:
        assert r["sent"] + r["failed"] == r["processed"] <= r["total"]
        assert r["progress_pct"] == round(100 * r["processed"] / r["total"], 1)
        if r["status"] == "scheduled":
            assert r["started_at"] is None and r["processed"] == 0
        if r["status"] == "completed":
            assert r["completed_at"] is not None and r["progress_pct"] == 100
    statuses = {m["status"] for m in messages}
    assert {"delivered", "failed", "undelivered", "sent", "queued"} <= statuses
    assert {m["direction"] for m in messages} == {"sent", "received"}
    S.nullable_fields_seen(messages, "error_code", "error_message", "reference_id")
    for m in messages:
        assert _decimals(m["cost"]) <= 4
        assert (m["error_code"] is None) == (m["status"] not in ("failed", "undelivered"))


async def test_billing_shape_and_cost(api: Api) -> None:
    reply = await api.get("/billing")
    assert reply.status == 200
    assert set(reply.body) == {"data", "summary"}
    S.check(reply.data, [S.BILLING_ROW])
    S.check(reply.body["summary"], S.BILLING_SUMMARY)
    assert reply.body["summary"]["date_range"] == {"from": None, "to": None}
    total = Decimal(0)
    for row in reply.data:
        assert _decimals(row["cost"]) <= 2
        expected = Decimal(row["duration_seconds"]) * Decimal(repr(row["hourly_rate"])) / 3600
        assert abs(Decimal(repr(row["cost"])) - expected) <= Decimal("0.005")
        total += Decimal(repr(row["cost"]))
    summary = reply.body["summary"]
    assert Decimal(repr(summary["total_cost"])) == total
    assert summary["total_duration_seconds"] == sum(r["duration_seconds"] for r in reply.data)


async def test_account_and_phone_numbers(
    api: Api, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    reply = await api.get("/account")
    assert set(reply.body) == {"data"}
    S.check(reply.data, S.ACCOUNT)
    assert reply.data["location"] is not None
    other = await Api(session, emu, emu.other_api_key).get("/account")
    S.check(other.data, S.ACCOUNT)
    assert other.data["location"] is None and other.data["description"] is None
    assert other.data["id"] != reply.data["id"]
    numbers = await api.get("/account/phone-numbers")
    assert set(numbers.body) == {"data", "meta"}
    assert numbers.body["meta"] == {"total": len(numbers.data)}
    S.check(numbers.data, [S.PHONE_NUMBER])
    assert {n["type"]["name"] for n in numbers.data} == {"Local", "Toll-Free", "Mobile"}
    assert {n["neustar_branded_call_display"] for n in numbers.data} == {True, False}


async def test_content_type_and_request_ids(api: Api) -> None:
    first = await api.get("/account")
    second = await api.get("/account")
    assert first.headers["Content-Type"].startswith("application/json")
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
