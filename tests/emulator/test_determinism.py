"""Same seed, same bytes; another seed, other data; 100,000 results per campaign stay quick."""

from __future__ import annotations

import time

import aiohttp

from freestyle_async.testing import Emulator

from ._helpers import Api


async def _everything(session: aiohttp.ClientSession, emu: Emulator) -> dict[str, bytes]:
    """The raw body of every read endpoint, for every campaign, all pages."""
    paths = ["/dial-campaigns?per_page=100", "/sms-campaigns?per_page=100", "/billing"]
    paths += ["/account", "/account/phone-numbers", "/billing?from=2026-05-01&to=2026-05-31"]
    for cid in emu.campaign_ids():
        paths += [
            f"/dial-campaigns/{cid}/results?per_page=200",
            f"/dial-campaigns/{cid}/results?per_page=200&page=2",
            f"/dial-campaigns/{cid}/results/summary",
            f"/dial-campaigns/{cid}/activity?per_page=200",
        ]
    for sid in emu.sms_campaign_ids():
        paths += [
            f"/sms-campaigns/{sid}",
            f"/sms-campaigns/{sid}/runs?per_page=100",
            f"/sms-campaigns/{sid}/messages?per_page=200",
        ]
    bodies = {}
    for path in paths:
        async with session.get(emu.base_url + path, headers={"X-API-Key": emu.api_key}) as r:
            assert r.status == 200, path
            bodies[path.replace(emu.campaign_ids()[0], "first")] = await r.read()
    return bodies


async def test_same_seed_same_json(session: aiohttp.ClientSession) -> None:
    async with Emulator(seed=5) as one, Emulator(seed=5) as two:
        assert one.api_key == two.api_key
        assert one.campaign_ids() == two.campaign_ids()
        first = await _everything(session, one)
        # read the second emulator's campaigns in another order: results are per campaign
        for cid in reversed(two.campaign_ids()):
            two.state.results(two.state.find_dial_campaign(cid))  # type: ignore[arg-type]
        second = await _everything(session, two)
    assert first == second


async def test_other_seed_other_data(session: aiohttp.ClientSession) -> None:
    async with Emulator(seed=5) as one, Emulator(seed=6) as two:
        assert one.api_key != two.api_key
        assert not set(one.campaign_ids()) & set(two.campaign_ids())
        first = await _everything(session, one)
        second = await _everything(session, two)
    assert first["/account"] != second["/account"]
    assert first["/dial-campaigns?per_page=100"] != second["/dial-campaigns?per_page=100"]


async def test_a_hundred_thousand_results_per_campaign(session: aiohttp.ClientSession) -> None:
    started = time.perf_counter()
    async with Emulator(results_per_campaign=100_000) as emu:
        api = Api(session, emu, emu.api_key)
        cid = emu.campaign_ids()[0]
        first = await api.get(f"/dial-campaigns/{cid}/results", per_page=200)
        assert first.body["meta"]["total"] == 100_000
        assert first.body["meta"]["total_pages"] == 500
        last = await api.get(f"/dial-campaigns/{cid}/results", per_page=200, page=500)
        assert len(last.data) == 200
        assert last.data[-1]["completed_at"] <= first.data[0]["completed_at"]
        summary = await api.get(f"/dial-campaigns/{cid}/results/summary")
        assert summary.data["total_calls"] == 100_000
        day = first.data[0]["completed_at"][:10]
        one_day = await api.get(f"/dial-campaigns/{cid}/results", **{"from": day, "to": day})
        assert 0 < one_day.body["meta"]["total"] < 100_000
        filtered = await api.get(f"/dial-campaigns/{cid}/results", disposition=1)
        assert 0 < filtered.body["meta"]["total"] < 100_000
    assert time.perf_counter() - started < 10
