"""Keys: 401 for missing/malformed/unknown, 403 api_disabled everywhere, 404 across accounts."""

from __future__ import annotations

import re

import aiohttp
import pytest

from freestyle_async.testing import Emulator, api_key_for

from ._helpers import Api, assert_error


def endpoints(emu: Emulator, key: str | None = None) -> list[tuple[str, str]]:
    cid = emu.campaign_ids(key)[0]
    sid = emu.sms_campaign_ids(key)[0]
    return [
        ("GET", "/dial-campaigns"),
        ("PATCH", f"/dial-campaigns/{cid}"),
        ("POST", f"/dial-campaigns/{cid}/data"),
        ("GET", f"/dial-campaigns/{cid}/results"),
        ("GET", f"/dial-campaigns/{cid}/results/summary"),
        ("GET", f"/dial-campaigns/{cid}/activity"),
        ("GET", "/sms-campaigns"),
        ("GET", f"/sms-campaigns/{sid}"),
        ("GET", f"/sms-campaigns/{sid}/runs"),
        ("GET", f"/sms-campaigns/{sid}/messages"),
        ("GET", "/billing"),
        ("GET", "/account"),
        ("GET", "/account/phone-numbers"),
    ]


def _body(method: str) -> dict[str, object] | None:
    if method == "PATCH":
        return {"status": "paused"}
    if method == "POST":
        return {"records": [{"phone1": "4165550100"}]}
    return None


def test_keys_are_ft_and_64_hex_derived_from_the_seed(emu: Emulator) -> None:
    keys = {emu.api_key, emu.other_api_key, emu.disabled_api_key}
    assert len(keys) == 3
    assert all(re.fullmatch(r"ft_[0-9a-f]{64}", k) for k in keys)
    assert emu.api_key == api_key_for(0, "main")
    assert Emulator(seed=1).api_key != emu.api_key


@pytest.mark.parametrize(
    "key",
    [None, "", "ft_" + "0" * 64, "not-a-key", "ft_" + "A" * 64],
    ids=["missing", "empty", "unknown", "malformed", "uppercase"],
)
async def test_bad_keys_get_401_on_every_endpoint(
    session: aiohttp.ClientSession, emu: Emulator, key: str | None
) -> None:
    api = Api(session, emu, key)
    for method, path in endpoints(emu):
        reply = await api.request(method, path, json=_body(method))
        assert_error(reply, 401, "unauthorized")
    assert emu.stored_records(emu.campaign_ids()[0]) == []


async def test_disabled_account_gets_403_on_every_endpoint(
    session: aiohttp.ClientSession, emu: Emulator
) -> None:
    api = Api(session, emu, emu.disabled_api_key)
    for method, path in endpoints(emu, emu.disabled_api_key):
        reply = await api.request(method, path, json=_body(method))
        assert_error(reply, 403, "api_disabled")


async def test_other_accounts_campaigns_are_404(
    session: aiohttp.ClientSession, emu: Emulator
) -> None:
    api = Api(session, emu, emu.api_key)
    for method, path in endpoints(emu, emu.other_api_key):
        if path in ("/dial-campaigns", "/sms-campaigns", "/billing") or path.startswith("/acc"):
            continue
        reply = await api.request(method, path, json=_body(method))
        assert_error(reply, 404, "not_found")
    other = emu.campaign_ids(emu.other_api_key)[0]
    assert_error(await api.get("/billing", campaign=other), 404, "not_found")
    assert emu.stored_records(other) == []


async def test_each_account_sees_only_its_own_data(
    session: aiohttp.ClientSession, emu: Emulator
) -> None:
    main = Api(session, emu, emu.api_key)
    other = Api(session, emu, emu.other_api_key)
    main_ids = [c["id"] for c in (await main.get("/dial-campaigns")).data]
    other_ids = [c["id"] for c in (await other.get("/dial-campaigns")).data]
    assert main_ids == emu.campaign_ids()
    assert other_ids == emu.campaign_ids(emu.other_api_key)
    assert not set(main_ids) & set(other_ids)
    other_sms = [c["id"] for c in (await other.get("/sms-campaigns")).data]
    assert other_sms == emu.sms_campaign_ids(emu.other_api_key)
    assert not set(other_sms) & set(emu.sms_campaign_ids())
    billed = {row["campaign_id"] for row in (await other.get("/billing")).data}
    assert billed == set(other_ids)


async def test_unknown_ids_and_paths_are_404(api: Api) -> None:
    for path in (
        "/dial-campaigns/c_00000000-0000-4000-8000-000000000000/results",
        "/sms-campaigns/sc_nope",
        "/sms-campaigns/sc_nope/messages",
        "/nope",
        "/dial-campaigns/",
        "/account/phone-numbers/1",
    ):
        assert_error(await api.get(path), 404, "not_found")
    assert_error(await api.get("/billing", campaign="c_unknown"), 404, "not_found")


async def test_wrong_method_and_non_api_paths(api: Api, session: aiohttp.ClientSession) -> None:
    reply = await api.request("DELETE", "/account")
    assert_error(reply, 405, "method_not_allowed")
    async with session.get(api.emulator.root_url + "/v2/account") as response:
        assert response.status == 404
        assert (await response.json())["error"]["code"] == "not_found"
        assert response.headers["X-Request-Id"]
