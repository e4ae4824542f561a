"""Fault injection: latency, error statuses, 429 + Retry-After, drops before and after."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from freestyle_async._retry import parse_retry_after
from freestyle_async.testing import Emulator, Faults

from ._helpers import Api, assert_error

RECORDS = {"records": [{"phone1": f"416555{i:04d}"} for i in range(10)]}


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


def test_faults_validate_their_arguments() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError, match="latency"):
        Faults(latency=-1)
    with pytest.raises(ValueError, match="error_statuses"):
        Faults(error_statuses=(200,))
    assert Faults(methods=["post", "Patch"]).methods == frozenset({"POST", "PATCH"})
    assert Faults().retry_after_header() == "1"
    assert Faults(retry_after=0.05).retry_after_header() == "0.05"
    # No exponent: 5e-05 is no delta-seconds, and the SDK would not read it.
    assert Faults(retry_after=5e-05).retry_after_header() == "0.00005"
    assert parse_retry_after(Faults(retry_after=5e-05).retry_after_header()) == 5e-05
    assert Faults(retry_after=3).retry_after_header() == "3"


async def test_latency_is_added(api: Api, emu: Emulator) -> None:
    emu.faults = Faults(latency=0.2)
    started = time.perf_counter()
    reply = await api.get("/account")
    assert reply.status == 200
    assert time.perf_counter() - started >= 0.19
    emu.faults = None


async def test_error_statuses(api: Api, emu: Emulator) -> None:
    emu.faults = Faults(error_rate=1.0, error_statuses=(502,))
    cid = emu.campaign_ids()[0]
    assert_error(await api.get("/dial-campaigns"), 502, "server_error")
    reply = await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)
    assert_error(reply, 502, "server_error")
    assert emu.stored_records(cid) == []  # an error fault answers before processing
    assert emu.counters.faults_injected == 2
    emu.faults = None
    assert (await api.get("/dial-campaigns")).status == 200


async def test_error_decisions_are_reproducible(session: aiohttp.ClientSession) -> None:
    sequences = []
    for _ in range(2):
        faults = Faults(error_rate=0.5, error_statuses=(500, 503), seed=7)
        async with Emulator(faults=faults) as emu:
            api = Api(session, emu, emu.api_key)
            sequences.append([(await api.get("/account")).status for _ in range(30)])
    assert sequences[0] == sequences[1]
    assert {200, 500, 503} <= set(sequences[0])


async def test_faults_limited_to_methods(api: Api, emu: Emulator) -> None:
    emu.faults = Faults(error_rate=1.0, methods=frozenset({"PATCH"}))
    cid = emu.campaign_ids()[0]
    assert (await api.get("/dial-campaigns")).status == 200
    assert (await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)).status == 200
    reply = await api.request("PATCH", f"/dial-campaigns/{cid}", json={"status": "paused"})
    assert reply.status in (500, 502, 503)


@pytest.mark.parametrize(("retry_after", "header"), [(0.05, "0.05"), (2, "2")])
async def test_rate_limit(api: Api, emu: Emulator, retry_after: float, header: str) -> None:
    emu.faults = Faults(rate_limit_rate=1.0, retry_after=retry_after)
    reply = await api.get("/account")
    assert_error(reply, 429, "rate_limited")
    assert reply.headers["Retry-After"] == header
    assert emu.counters.by_status == {429: 1}


async def test_faults_apply_before_auth(session: aiohttp.ClientSession, emu: Emulator) -> None:
    emu.faults = Faults(rate_limit_rate=1.0)
    reply = await Api(session, emu, None).get("/account")
    assert reply.status == 429


async def test_drop_before_processing(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    emu.faults = Faults(drop_before_rate=1.0, methods=frozenset({"POST"}))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)
    assert emu.stored_records(cid) == []
    assert emu.counters.dropped_before == 1
    assert emu.counters.records_received == 0
    assert emu.counters.requests == 1
    assert emu.counters.by_status == {}
    assert (await api.get("/dial-campaigns")).status == 200  # the same session goes on
    emu.faults = None
    reply = await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)
    assert reply.data["inserted"] == 10


async def test_drop_after_processing(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    before = {c["id"]: c for c in (await api.get("/dial-campaigns")).data}[cid]
    emu.faults = Faults(drop_after_rate=1.0, methods=frozenset({"POST"}))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)
    assert [r["phone1"] for r in emu.stored_records(cid)] == [
        r["phone1"] for r in RECORDS["records"]
    ]
    assert emu.counters.dropped_after == 1
    assert emu.counters.records_stored == 10
    after = {c["id"]: c for c in (await api.get("/dial-campaigns")).data}[cid]
    assert after["total_leads"] == before["total_leads"] + 10
    emu.faults = None
    retry = await api.request("POST", f"/dial-campaigns/{cid}/data", json=RECORDS)
    assert (retry.data["inserted"], retry.data["duplicates"]) == (0, 10)


async def test_dropped_get_on_a_fresh_connection(emu: Emulator) -> None:
    emu.faults = Faults(drop_before_rate=1.0)
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await Api(session, emu, emu.api_key).get("/account")
    # aiohttp itself retries an idempotent request once after a disconnect
    assert emu.counters.dropped_before in (1, 2)


async def test_faults_at_construction_and_counted(
    freestyle_emulator_factory: Any, session: aiohttp.ClientSession
) -> None:
    emu = await freestyle_emulator_factory(faults=Faults(error_rate=1.0, error_statuses=(500,)))
    api = Api(session, emu, emu.api_key)
    for _ in range(3):
        assert_error(await api.get("/account"), 500, "server_error")
    assert emu.counters.faults_injected == 3
    assert emu.counters.by_status == {500: 3}
    async with session.get(emu.root_url + "/_emulator/counters") as response:
        assert response.status == 200  # the control endpoint is never faulted


async def test_faults_that_are_not_faults_are_refused_and_not_kept(emu: Emulator) -> None:
    """Before: a dict was stored before it was found wrong, and every later request got a
    500 with a logged traceback."""
    emu.faults = Faults(latency=0.01)
    with pytest.raises(TypeError, match="faults must be a Faults"):
        emu.faults = {"latency": 0.01}  # type: ignore[assignment]
    assert emu.faults == Faults(latency=0.01)  # the previous faults stay
    with pytest.raises(TypeError, match="faults must be a Faults"):
        Emulator(faults={"latency": 0.01})  # type: ignore[arg-type]
