"""Counters: in process (emu.counters) and over HTTP (GET /_emulator/counters)."""

from __future__ import annotations

import aiohttp

from freestyle_async.testing import Counters, Emulator

from ._helpers import Api

COUNTER_FIELDS = {
    "requests",
    "by_status",
    "by_route",
    "records_received",
    "records_stored",
    "duplicates_seen",
    "invalid_seen",
    "dropped_before",
    "dropped_after",
    "faults_injected",
}


async def test_counters(api: Api, emu: Emulator, session: aiohttp.ClientSession) -> None:
    cid = emu.campaign_ids()[0]
    await api.get("/dial-campaigns")
    await api.get("/dial-campaigns", per_page=0)
    await api.get(f"/dial-campaigns/{cid}/results")
    await api.get("/nope")
    await Api(session, emu, None).get("/account")
    records = [{"phone1": "4165550100"}, {"phone1": "4165550100"}, {"phone1": "x"}]
    await api.request("POST", f"/dial-campaigns/{cid}/data", json={"records": records})
    counters = emu.counters
    assert isinstance(counters, Counters)
    assert counters.requests == 6
    assert counters.by_status == {200: 3, 400: 1, 401: 1, 404: 1}
    assert counters.by_route == {
        "GET /v1/dial-campaigns": 2,
        "GET /v1/dial-campaigns/{id}/results": 1,
        "GET <unmatched>": 1,
        "GET /v1/account": 1,
        "POST /v1/dial-campaigns/{id}/data": 1,
    }
    assert (counters.records_received, counters.records_stored) == (3, 1)
    assert (counters.duplicates_seen, counters.invalid_seen) == (1, 1)

    async with session.get(emu.root_url + "/_emulator/counters") as response:
        assert response.status == 200
        assert response.headers["X-Request-Id"]
        body = await response.json()
    assert set(body) == COUNTER_FIELDS
    assert body == counters.as_dict()
    assert body["by_status"] == {"200": 3, "400": 1, "401": 1, "404": 1}
    assert emu.counters.requests == 6  # the control endpoint is not counted

    emu.reset_counters()
    assert emu.counters.as_dict() == Counters().as_dict()
    await api.get("/account")
    async with session.post(emu.root_url + "/_emulator/counters/reset") as response:
        assert (await response.json())["requests"] == 0
    assert emu.counters.requests == 0
