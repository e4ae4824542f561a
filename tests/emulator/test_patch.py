"""PATCH /dial-campaigns/{id}: status, updated_at and the Started/Stopped events."""

from __future__ import annotations

from typing import Any

from freestyle_async.testing import Emulator

from . import _shapes as S
from ._helpers import Api


async def _campaign(api: Api, status: str) -> dict[str, Any]:
    return (await api.get("/dial-campaigns", status=status)).data[0]


async def _patch(api: Api, cid: str, status: str) -> Any:
    reply = await api.request("PATCH", f"/dial-campaigns/{cid}", json={"status": status})
    assert reply.status == 200, reply.body
    assert set(reply.body) == {"data"}
    S.check(reply.data, S.CAMPAIGN)
    return reply.data


async def _latest_event(api: Api, cid: str) -> Any:
    return (await api.get(f"/dial-campaigns/{cid}/activity", per_page=1)).data[0]


async def test_pause_then_start(api: Api) -> None:
    campaign = await _campaign(api, "active")
    cid = campaign["id"]
    paused = await _patch(api, cid, "paused")
    assert paused["status"] == "paused"
    assert paused["updated_at"] > campaign["updated_at"]
    assert {k: v for k, v in paused.items() if k not in ("status", "updated_at")} == {
        k: v for k, v in campaign.items() if k not in ("status", "updated_at")
    }
    event = await _latest_event(api, cid)
    assert event["type"] == {"id": 2, "name": "Campaign Stopped"}
    assert [event[k] for k in ("imported_count", "recycled_count", "excluded_count")] == [None] * 3
    assert event["total_count"] is None
    assert event["created_at"] == paused["updated_at"]
    assert cid in [c["id"] for c in (await api.get("/dial-campaigns", status="paused")).data]

    started = await _patch(api, cid, "active")
    assert started["status"] == "active"
    event2 = await _latest_event(api, cid)
    assert event2["type"] == {"id": 3, "name": "Campaign Started"}
    assert event2["activity_id"] > event["activity_id"]


async def test_same_status_is_a_no_op(api: Api) -> None:
    campaign = await _campaign(api, "paused")
    before = await _latest_event(api, campaign["id"])
    again = await _patch(api, campaign["id"], "paused")
    assert again == campaign
    assert await _latest_event(api, campaign["id"]) == before


async def test_completed_and_draft_campaigns_can_be_started(api: Api) -> None:
    for status in ("completed", "draft"):
        campaign = await _campaign(api, status)
        assert (await _patch(api, campaign["id"], "active"))["status"] == "active"
        assert (await _latest_event(api, campaign["id"]))["type"]["id"] == 3


async def test_patch_is_per_account(api: Api, emu: Emulator) -> None:
    other_id = emu.campaign_ids(emu.other_api_key)[0]
    reply = await api.request("PATCH", f"/dial-campaigns/{other_id}", json={"status": "paused"})
    assert reply.status == 404
