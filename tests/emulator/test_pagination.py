"""meta, walking to the last page, per_page limits, and each list's documented order."""

from __future__ import annotations

import itertools
import math

import pytest

from freestyle_async.testing import Emulator

from ._helpers import Api, assert_error


def _lists(emu: Emulator) -> list[tuple[str, int, int]]:
    """(path, default per_page, max per_page) of every paginated list."""
    cid, sid = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    return [
        ("/dial-campaigns", 25, 100),
        (f"/dial-campaigns/{cid}/results", 50, 200),
        (f"/dial-campaigns/{cid}/activity", 50, 200),
        ("/sms-campaigns", 50, 100),
        (f"/sms-campaigns/{sid}/runs", 50, 100),
        (f"/sms-campaigns/{sid}/messages", 50, 200),
    ]


async def test_defaults_and_maximums(api: Api, emu: Emulator) -> None:
    for path, default, maximum in _lists(emu):
        reply = await api.get(path)
        assert reply.body["meta"]["page"] == 1
        assert reply.body["meta"]["per_page"] == default, path
        reply = await api.get(path, per_page=maximum)
        assert reply.status == 200
        assert reply.body["meta"]["per_page"] == maximum
        assert_error(
            await api.get(path, per_page=maximum + 1), 400, "invalid_parameter", "per_page"
        )
        assert_error(await api.get(path, per_page=0), 400, "invalid_parameter", "per_page")


async def test_walk_to_the_last_page_and_past_it(api: Api, emu: Emulator) -> None:
    for path, _, maximum in _lists(emu):
        everything = (await api.get(path, per_page=maximum)).data
        per_page = 3
        pages = math.ceil(len(everything) / per_page)
        walked = []
        for page in range(1, pages + 1):
            reply = await api.get(path, page=page, per_page=per_page)
            assert reply.body["meta"] == {
                "page": page,
                "per_page": per_page,
                "total": len(everything),
                "total_pages": pages,
            }
            assert len(reply.data) == (per_page if page < pages else len(everything) - len(walked))
            walked.extend(reply.data)
        assert walked == everything, path
        past = await api.get(path, page=pages + 1, per_page=per_page)
        assert past.status == 200
        assert past.data == []
        assert past.body["meta"]["total"] == len(everything)
        assert past.body["meta"]["page"] == pages + 1


async def test_large_page_number_is_an_empty_page(api: Api) -> None:
    reply = await api.get("/dial-campaigns", page=10**12)
    assert reply.status == 200
    assert reply.data == []


async def test_empty_list_meta(api: Api, emu: Emulator) -> None:
    reply = await api.get("/sms-campaigns", status="running", per_page=1, page=99)
    assert reply.data == []
    drafts = (await api.get("/dial-campaigns", status="draft")).data
    reply = await api.get(f"/dial-campaigns/{drafts[0]['id']}/results")
    assert reply.body["meta"] == {"page": 1, "per_page": 50, "total": 0, "total_pages": 0}


def _descending(values: list[str]) -> bool:
    return all(a >= b for a, b in itertools.pairwise(values))


async def test_orders(api: Api, emu: Emulator) -> None:
    campaigns = (await api.get("/dial-campaigns", per_page=100)).data
    assert _descending([c["created_at"] for c in campaigns])
    for cid in emu.campaign_ids():
        results = await api.all_pages(f"/dial-campaigns/{cid}/results", 200)
        keys = [(r["completed_at"], r["result_id"]) for r in results]
        assert keys == sorted(keys, reverse=True)
        activity = (await api.get(f"/dial-campaigns/{cid}/activity", per_page=200)).data
        keys = [(a["created_at"], a["activity_id"]) for a in activity]
        assert keys == sorted(keys, reverse=True)
    sms = (await api.get("/sms-campaigns", per_page=100)).data
    assert [s["name"] for s in sms] == sorted(s["name"] for s in sms)
    for sid in emu.sms_campaign_ids():
        runs = (await api.get(f"/sms-campaigns/{sid}/runs", per_page=100)).data
        assert _descending([r["scheduled_at"] for r in runs])
        messages = (await api.get(f"/sms-campaigns/{sid}/messages", per_page=200)).data
        assert _descending([m["sent_at"] for m in messages])
    billing = (await api.get("/billing")).data
    durations = [b["duration_seconds"] for b in billing]
    assert durations == sorted(durations, reverse=True)


@pytest.mark.parametrize("per_page", [1, 7, 200])
async def test_results_pages_partition_the_campaign(api: Api, emu: Emulator, per_page: int) -> None:
    cid = emu.campaign_ids()[0]
    results = await api.all_pages(f"/dial-campaigns/{cid}/results", per_page)
    assert len(results) == 200
    assert len({r["result_id"] for r in results}) == 200
