"""``with_raw_response``: every endpoint, through both clients, against the emulator, gives the
HTTP status, the redacted headers, the request id and the elapsed time with a parsed value
equal to the plain call's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _clients import FAST_RETRIES
from _emulator_thread import EmulatorThread
from aioresponses import aioresponses

from freestyle_async import AsyncFreestyle, FreestyleError, RawResponse
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Emulator

# One call of each of the 13 endpoint methods as (the method, its arguments): the same table
# serves both clients, whose methods have the same names. A list is raw through first_page.
Target = Callable[[Any, str, str], tuple[Callable[..., Any], tuple[Any, ...]]]
TARGETS: dict[str, Target] = {
    "dial_campaigns.list": lambda fs, d, s: (fs.dial_campaigns.list().first_page, ()),
    "dial_campaigns.update_status": lambda fs, d, s: (
        fs.dial_campaigns.update_status,
        (d, "paused"),
    ),
    "dial_campaigns.upload_data": lambda fs, d, s: (
        fs.dial_campaigns.upload_data,
        (d, [{"phone1": "4165550100"}]),
    ),
    "dial_campaigns.list_results": lambda fs, d, s: (
        fs.dial_campaigns.list_results(d).first_page,
        (),
    ),
    "dial_campaigns.results_summary": lambda fs, d, s: (fs.dial_campaigns.results_summary, (d,)),
    "dial_campaigns.list_activity": lambda fs, d, s: (
        fs.dial_campaigns.list_activity(d).first_page,
        (),
    ),
    "sms_campaigns.list": lambda fs, d, s: (fs.sms_campaigns.list().first_page, ()),
    "sms_campaigns.get": lambda fs, d, s: (fs.sms_campaigns.get, (s,)),
    "sms_campaigns.list_runs": lambda fs, d, s: (fs.sms_campaigns.list_runs(s).first_page, ()),
    "sms_campaigns.list_messages": lambda fs, d, s: (
        fs.sms_campaigns.list_messages(s).first_page,
        (),
    ),
    "billing.usage": lambda fs, d, s: (fs.billing.usage, ()),
    "account.get": lambda fs, d, s: (fs.account.get, ()),
    "account.phone_numbers": lambda fs, d, s: (fs.account.phone_numbers, ()),
}


def test_the_table_names_all_13_endpoint_methods() -> None:
    assert len(TARGETS) == 13


def _check(raw: RawResponse[Any], plain: Any, key: str, seen: set[str]) -> None:
    assert isinstance(raw, RawResponse)
    assert raw.status == 200
    assert raw.parsed == plain and raw.parse() == plain
    assert raw.request_id and raw.request_id not in seen  # one id per request
    seen.add(raw.request_id)
    assert raw.headers["x-request-id"] == raw.request_id  # case-insensitive
    assert raw.headers["Content-Type"].startswith("application/json")
    assert isinstance(raw.elapsed, dt.timedelta) and raw.elapsed > dt.timedelta(0)
    assert all(key not in f"{k}: {v}" for k, v in raw.headers.items())
    assert key not in repr(raw)
    with pytest.raises(TypeError):
        raw.headers["X-Request-Id"] = "changed"  # type: ignore[index]


@pytest.mark.uvloop  # elapsed > 0 there too, although uvloop's clock keeps whole milliseconds
async def test_every_endpoint_raw_through_the_async_client(
    emu: Emulator, fs: AsyncFreestyle
) -> None:
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    seen: set[str] = set()
    for name, target in TARGETS.items():
        method, args = target(fs, dial, sms)
        await method(*args)  # first: an upload's records are duplicates from then on
        plain = await method(*args)
        emu.reset_counters()
        raw = await fs.with_raw_response(method)(*args)
        assert emu.counters.requests == 1, name
        _check(raw, plain, emu.api_key, seen)


@pytest.fixture
def sync_fs() -> Iterator[tuple[EmulatorThread, Freestyle]]:
    server = EmulatorThread(seed=0, shutdown_timeout=0.1)
    try:
        with Freestyle(server.emu.api_key, base_url=server.emu.base_url) as client:
            yield server, client
    finally:
        server.stop()


def test_every_endpoint_raw_through_the_sync_client(
    sync_fs: tuple[EmulatorThread, Freestyle],
) -> None:
    server, fs = sync_fs
    emu = server.emu
    dial, sms = emu.campaign_ids()[0], emu.sms_campaign_ids()[0]
    seen: set[str] = set()
    for name, target in TARGETS.items():
        method, args = target(fs, dial, sms)
        method(*args)  # first: an upload's records are duplicates from then on
        plain = method(*args)
        emu.reset_counters()
        raw = fs.with_raw_response(method)(*args)
        assert emu.counters.requests == 1, name
        _check(raw, plain, emu.api_key, seen)


async def test_a_list_method_itself_is_refused_naming_first_page(fs: AsyncFreestyle) -> None:
    with pytest.raises(FreestyleError, match=r"first_page"):
        await fs.with_raw_response(fs.sms_campaigns.list)()  # type: ignore[arg-type]


def test_a_sync_list_method_itself_is_refused_naming_first_page(
    sync_fs: tuple[EmulatorThread, Freestyle],
) -> None:
    _, fs = sync_fs
    with pytest.raises(FreestyleError, match=r"made 0"):
        fs.with_raw_response(fs.sms_campaigns.list)()


def test_upload_leads_is_refused_before_it_sends(
    sync_fs: tuple[EmulatorThread, Freestyle], fs: AsyncFreestyle
) -> None:
    server, sync = sync_fs
    for client in (fs, sync):
        with pytest.raises(FreestyleError, match=r"upload_leads.*request_ids"):
            client.with_raw_response(client.dial_campaigns.upload_leads)
    assert server.emu.counters.requests == 0


async def test_a_retried_call_gives_the_answer_that_succeeded() -> None:
    """The first attempt's 503 is retried: the raw response is the second attempt's 200."""
    url = "http://127.0.0.1:9/v1/account/phone-numbers"
    with aioresponses() as mocked:
        mocked.get(url, status=503, payload={}, headers={"X-Request-Id": "req-first"})
        mocked.get(url, payload={"data": []}, headers={"X-Request-Id": "req-second"})
        async with AsyncFreestyle(
            "fs_live_" + "r" * 32, base_url="http://127.0.0.1:9/v1", retry_policy=FAST_RETRIES
        ) as fs:
            raw = await fs.with_raw_response(fs.account.phone_numbers)()
    assert (raw.status, raw.request_id, raw.parsed) == (200, "req-second", [])


async def test_a_header_echoing_the_key_is_redacted() -> None:
    key = "fs_live_" + "k" * 32
    with aioresponses() as mocked:
        mocked.get(
            "http://127.0.0.1:9/v1/account/phone-numbers",
            payload={"data": []},
            headers={"X-Request-Id": f"req-{key}", "X-Echo": f"Bearer {key}"},
        )
        async with AsyncFreestyle(key, base_url="http://127.0.0.1:9/v1") as fs:
            raw = await fs.with_raw_response(fs.account.phone_numbers)()
    assert raw.parsed == []
    assert raw.headers["X-Echo"].startswith("Bearer ")
    assert key not in raw.headers["X-Echo"]
    assert raw.request_id is not None and key not in raw.request_id
