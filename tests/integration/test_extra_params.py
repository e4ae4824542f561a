"""Default and extra headers and query parameters as the emulator receives them, from both
clients: one call, every page of a list, ``with_options`` defaults, an ``extra_body``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
from _clients import FAST_RETRIES
from aiohttp import web

from freestyle_async import AsyncFreestyle, Freestyle
from freestyle_async.models import CampaignStatus
from freestyle_async.testing import Emulator


@attrs.frozen
class Seen:
    """One request as the emulator received it."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str] = attrs.field(repr=False)  # holds the key


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[Emulator, list[Seen]]]:
    """A running emulator and the requests it answered, in order."""
    emu = Emulator(seed=0, shutdown_timeout=0.1)
    seen: list[Seen] = []

    async def record(request: web.Request, response: web.StreamResponse) -> None:
        seen.append(
            Seen(request.method, request.path, tuple(request.query.items()), dict(request.headers))
        )

    emu.app.on_response_prepare.append(record)
    async with emu:
        yield emu, seen


def _client(emu: Emulator, **options: Any) -> AsyncFreestyle:
    return AsyncFreestyle(emu.api_key, base_url=emu.base_url, retry_policy=FAST_RETRIES, **options)


async def test_a_call_carries_defaults_and_extras(recorded: tuple[Emulator, list[Seen]]) -> None:
    emu, seen = recorded
    async with _client(
        emu, default_headers={"X-Tenant": "acme"}, default_query={"beta": "on"}
    ) as fs:
        account = await fs.account.get(
            extra_headers={"X-Early-Access": "v2"}, extra_query={"trace": "t1"}
        )

    assert account.id  # the emulator ignores what it does not know, as the API does
    [request] = seen
    assert request.query == (("beta", "on"), ("trace", "t1"))
    assert (request.headers["X-Tenant"], request.headers["X-Early-Access"]) == ("acme", "v2")
    assert request.headers["X-API-Key"] == emu.api_key


async def test_every_page_of_a_list_carries_them(recorded: tuple[Emulator, list[Seen]]) -> None:
    emu, seen = recorded
    async with _client(emu) as fs:
        base = fs.with_options(default_headers={"X-Tenant": "acme"}, default_query={"beta": "on"})
        campaigns = [
            c
            async for c in base.dial_campaigns.list(
                per_page=2, extra_headers={"X-Trace": "t9"}, extra_query={"trace": "t9"}
            )
        ]

    assert len(campaigns) == len(emu.campaign_ids()) > 2
    pages = [r for r in seen if r.path == "/v1/dial-campaigns"]
    assert [dict(r.query)["page"] for r in pages] == [
        str(n) for n in range(1, len(pages) + 1)
    ] and len(pages) >= 2
    for request in pages:
        query = dict(request.query)
        assert (query["beta"], query["trace"], query["per_page"]) == ("on", "t9", "2")
        assert (request.headers["X-Tenant"], request.headers["X-Trace"]) == ("acme", "t9")


async def test_an_extra_body_field_reaches_the_emulator(
    recorded: tuple[Emulator, list[Seen]],
) -> None:
    emu, seen = recorded
    campaign_id = emu.campaign_ids()[0]
    async with _client(emu) as fs:
        campaign = await fs.dial_campaigns.pause(campaign_id, extra_body={"reason": "holiday"})
        summary = await fs.dial_campaigns.upload_data(
            campaign_id, [{"phone1": "4165550100"}], extra_body={"source": "crm"}
        )

    assert campaign.status is CampaignStatus.PAUSED
    assert summary.inserted == 1
    assert [(r.method, r.headers["Content-Type"]) for r in seen] == [
        ("PATCH", "application/json"),
        ("POST", "application/json"),
    ]


async def test_the_sync_client_sends_them_too(recorded: tuple[Emulator, list[Seen]]) -> None:
    emu, seen = recorded

    def use_freestyle() -> list[str]:
        # Freestyle blocks its caller: it runs on a worker thread while this loop serves.
        with Freestyle(
            emu.api_key,
            base_url=emu.base_url,
            retry_policy=FAST_RETRIES,
            default_headers={"X-Tenant": "acme"},
            default_query={"beta": "on"},
        ) as fs:
            fs.account.get(extra_headers={"X-Trace": "t3"})
            copy = fs.with_options(default_headers={"X-Tenant": "other"})
            return [c.id for c in copy.sms_campaigns.list(per_page=1, extra_query={"trace": "t3"})]

    ids = await asyncio.to_thread(use_freestyle)

    assert ids == emu.sms_campaign_ids()
    first, *pages = seen
    assert dict(first.query) == {"beta": "on"}
    assert (first.headers["X-Tenant"], first.headers["X-Trace"]) == ("acme", "t3")
    assert len(pages) == len(ids) > 1
    for request in pages:
        assert dict(request.query)["trace"] == "t3" and dict(request.query)["beta"] == "on"
        assert request.headers["X-Tenant"] == "other" and "X-Trace" not in request.headers
