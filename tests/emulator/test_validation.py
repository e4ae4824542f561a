"""A walk over every endpoint with bad parameters: 400 invalid_parameter naming the parameter."""

from __future__ import annotations

from typing import Any

from freestyle_async.testing import Emulator

from ._helpers import Api, assert_error

BAD_INTEGERS = ["0", "-1", "abc", "1.5", "", " 1", "+1", "1e3", "１", "9" * 40]
BAD_DATES = ["2026-5-1", "2026/05/01", "20260501", "2026-02-30", "", "yesterday", "2026-05-01T00"]
BAD_IDS = ["abc", "1.0", "", "one", "0x10"]


def _list_endpoints(emu: Emulator) -> dict[str, dict[str, Any]]:
    """path -> what it accepts: max per_page, status values, dates, integer filters."""
    cid, sid = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    return {
        "/dial-campaigns": {"max": 100, "status": True},
        f"/dial-campaigns/{cid}/results": {"max": 200, "dates": True, "ints": ["disposition"]},
        f"/dial-campaigns/{cid}/results/summary": {"dates": True},
        f"/dial-campaigns/{cid}/activity": {"max": 200, "dates": True, "ints": ["type"]},
        "/sms-campaigns": {"max": 100, "status": True},
        f"/sms-campaigns/{sid}/runs": {"max": 100, "status": True},
        f"/sms-campaigns/{sid}/messages": {
            "max": 200,
            "dates": True,
            "ints": ["run_id"],
            "status": True,
            "direction": True,
        },
        "/billing": {"dates": True},
    }


async def test_bad_query_parameters_everywhere(api: Api, emu: Emulator) -> None:
    checked = 0
    for path, accepts in _list_endpoints(emu).items():
        cases: list[tuple[str, str, str]] = []
        if "max" in accepts:
            cases += [("page", v, "page") for v in BAD_INTEGERS]
            cases += [("per_page", v, "per_page") for v in [*BAD_INTEGERS, str(accepts["max"] + 1)]]
        if accepts.get("dates"):
            cases += [(name, v, name) for name in ("from", "to") for v in BAD_DATES]
        for name in accepts.get("ints", []):
            cases += [(name, v, name) for v in BAD_IDS]
        if accepts.get("status"):
            cases += [("status", v, "status") for v in ("bogus", "ACTIVE", "", "active,paused")]
        if accepts.get("direction"):
            cases += [("direction", v, "direction") for v in ("inbound", "", "SENT")]
        for name, value, mentioned in cases:
            reply = await api.get(path, **{name: value})
            assert_error(reply, 400, "invalid_parameter", mentioned)
            checked += 1
        if accepts.get("dates"):
            reply = await api.get(path, **{"from": "2026-05-02", "to": "2026-05-01"})
            assert_error(reply, 400, "invalid_parameter", "from")
    assert checked > 200


async def test_messages_name_the_range(api: Api) -> None:
    reply = await api.get("/dial-campaigns", per_page=101)
    assert reply.body["error"]["message"] == "per_page must be an integer between 1 and 100"


async def test_status_values_are_per_endpoint(api: Api, emu: Emulator) -> None:
    sid = emu.sms_campaign_ids()[0]
    assert_error(await api.get("/dial-campaigns", status="running"), 400, "invalid_parameter")
    assert_error(await api.get("/sms-campaigns", status="active"), 400, "invalid_parameter")
    runs = f"/sms-campaigns/{sid}/runs"
    assert_error(await api.get(runs, status="delivered"), 400, "invalid_parameter")
    messages = f"/sms-campaigns/{sid}/messages"
    assert_error(await api.get(messages, status="running"), 400, "invalid_parameter")
    for ok in ("queued", "sent", "delivered", "failed", "undelivered"):
        assert (await api.get(messages, status=ok)).status == 200


async def test_valid_edge_values_are_accepted(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    for params in (
        {"page": "1", "per_page": "1"},
        {"page": "01"},
        {"from": "2026-02-28", "to": "2026-02-28"},
        {"disposition": "-1"},
        {"unknown_parameter": "ignored"},
    ):
        assert (await api.get(f"/dial-campaigns/{cid}/results", **params)).status == 200


async def test_patch_body_rules(api: Api, emu: Emulator) -> None:
    path = f"/dial-campaigns/{emu.campaign_ids()[0]}"
    for body, mentioned in (
        ({}, "status"),
        ({"status": None}, "status"),
        ({"status": "bogus"}, "status"),
        ({"status": "ACTIVE"}, "status"),
        ({"status": 1}, "status"),
        ({"status": ["active"]}, "status"),
        ({"status": "completed"}, "computed"),
        ({"status": "draft"}, "computed"),
        ([], "object"),
        ("active", "object"),
    ):
        assert_error(
            await api.request("PATCH", path, json=body), 400, "invalid_parameter", mentioned
        )
    reply = await api.request(
        "PATCH", path, data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(reply, 400, "invalid_parameter", "JSON")
    reply = await api.request(
        "PATCH", path, data='{"status": "paused"}', headers={"Content-Type": "text/plain"}
    )
    assert_error(reply, 400, "invalid_parameter", "Content-Type")
    assert_error(await api.request("PATCH", path), 400, "invalid_parameter")


async def test_upload_envelope_rules(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    path = f"/dial-campaigns/{cid}/data"
    too_many = {"records": [{"phone1": f"416555{i:04d}"} for i in range(1001)]}
    for body, mentioned in (
        ({}, "records"),
        ({"records": None}, "records"),
        ({"records": "4165550100"}, "records"),
        ({"records": {"phone1": "4165550100"}}, "records"),
        ({"records": []}, "records"),
        (too_many, "1000"),
        ([{"phone1": "4165550100"}], "object"),
    ):
        assert_error(
            await api.request("POST", path, json=body), 400, "invalid_parameter", mentioned
        )
    reply = await api.request(
        "POST", path, data=b"\xff\xfe", headers={"Content-Type": "application/json"}
    )
    assert_error(reply, 400, "invalid_parameter", "JSON")
    assert emu.stored_records(cid) == []
    assert emu.counters.records_received == 0
    exactly = {"records": [{"phone1": f"416555{i:04d}"} for i in range(1000)]}
    reply = await api.request("POST", path, json=exactly)
    assert reply.status == 200
    assert reply.data["inserted"] == 1000


HUGE = ["9" * 25, "9" * 5000, str(2**63), "0" * 30 + "9" * 20]


async def test_huge_integers_get_an_accurate_message_everywhere(api: Api, emu: Emulator) -> None:
    """Every integer query parameter: a value past the 64-bit range (thousands of digits too)
    is named as too large, never "must be >= 1" or "must be an integer"."""
    checked = 0
    for path, accepts in _list_endpoints(emu).items():
        if "max" in accepts:
            for value in HUGE:
                reply = await api.get(path, page=value)
                assert_error(reply, 400, "invalid_parameter")
                assert reply.body["error"]["message"] == (
                    "page must be an integer between 1 and 9223372036854775807"
                )
                reply = await api.get(path, per_page=value)
                assert reply.body["error"]["message"] == (
                    f"per_page must be an integer between 1 and {accepts['max']}"
                )
                checked += 2
        for name in accepts.get("ints", []):
            for value in [*HUGE, "-" + "9" * 25, "-" + "9" * 5000, str(-(2**63) - 1)]:
                reply = await api.get(path, **{name: value})
                assert_error(reply, 400, "invalid_parameter")
                assert reply.body["error"]["message"] == (
                    f"{name} must be an integer between -9223372036854775808 and "
                    "9223372036854775807"
                )
                checked += 1
    assert checked == 6 * 2 * len(HUGE) + 3 * (len(HUGE) + 3)


async def test_the_64_bit_bounds_themselves_are_accepted(api: Api, emu: Emulator) -> None:
    cid, sid = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    top, bottom = str(2**63 - 1), str(-(2**63))
    reply = await api.get("/dial-campaigns", page=top)
    assert reply.status == 200
    assert reply.data == []
    assert reply.body["meta"]["page"] == 2**63 - 1
    for path, name in (
        (f"/dial-campaigns/{cid}/results", "disposition"),
        (f"/dial-campaigns/{cid}/activity", "type"),
        (f"/sms-campaigns/{sid}/messages", "run_id"),
    ):
        for value in (top, bottom, "0" * 40 + "7"):
            assert (await api.get(path, **{name: value})).status == 200, (path, name, value)
