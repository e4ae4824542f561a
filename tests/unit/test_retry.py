"""Retries: what is repeated, how long it waits (an injected sleep: no real waiting) and when
it gives up."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from freestyle_async._client import AsyncFreestyle
from freestyle_async._retry import RetryPolicy, parse_retry_after
from freestyle_async.errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

from . import payloads as p
from .support import BASE_URL, ClientFactory, FakeSleep, RecordingMock, connector_error

ACCOUNT_URL = f"{BASE_URL}/account"
UPLOAD_URL = f"{BASE_URL}/dial-campaigns/{p.CAMPAIGN_ID}/data"
PATCH_URL = f"{BASE_URL}/dial-campaigns/{p.CAMPAIGN_ID}"
OK_ACCOUNT = {"data": p.ACCOUNT}
OK_UPLOAD = {"data": {"inserted": 1, "skipped": 0, "total_leads": 4821}}
RECORDS = [{"phone1": "4165550100"}]


def error(code: str = "server_error") -> dict[str, Any]:
    return {"error": {"code": code, "message": f"{code} happened"}}


async def upload(fs: AsyncFreestyle, **kwargs: Any) -> Any:
    return await fs.dial_campaigns.upload_data(p.CAMPAIGN_ID, RECORDS, **kwargs)


async def test_503_then_200_succeeds(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    mocked.get(ACCOUNT_URL, status=503, payload=error())
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)

    account = await client.account.get()

    assert account.id == p.ACCOUNT["id"]
    assert len(mocked.sent) == 2
    assert len(fake_sleep.waits) == 1
    # full jitter on the first retry: between 0 and initial_backoff
    assert 0 <= fake_sleep.waits[0] <= RetryPolicy().initial_backoff


async def test_retry_after_seconds_is_waited_exactly(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    mocked.get(ACCOUNT_URL, status=503, payload=error(), headers={"Retry-After": "2"})
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)

    await client.account.get()

    assert fake_sleep.waits == [2.0]
    assert len(mocked.sent) == 2


async def test_retry_after_http_date_is_waited(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=30)
    mocked.get(
        ACCOUNT_URL,
        status=429,
        payload=error("rate_limited"),
        headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)},
    )
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)

    await client.account.get()

    (wait,) = fake_sleep.waits
    # the date has whole seconds and a little time passes before it is read
    assert 28.0 < wait <= 30.0


async def test_retry_after_date_in_the_past_retries_at_once(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    mocked.get(
        ACCOUNT_URL,
        status=503,
        payload=error(),
        headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
    )
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    await client.account.get()
    assert fake_sleep.waits == [0.0]


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ],
)
async def test_client_errors_are_raised_at_once(
    status: int,
    cls: type[Exception],
    client: AsyncFreestyle,
    mocked: RecordingMock,
    fake_sleep: FakeSleep,
) -> None:
    mocked.get(ACCOUNT_URL, status=status, payload=error("nope"), repeat=True)
    with pytest.raises(cls):
        await client.account.get()
    assert len(mocked.sent) == 1
    assert fake_sleep.waits == []


async def test_max_retries_zero_on_the_client(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client(max_retries=0)
    mocked.get(ACCOUNT_URL, status=503, payload=error(), repeat=True)
    with pytest.raises(ServerError):
        await fs.account.get()
    assert len(mocked.sent) == 1
    assert fake_sleep.waits == []


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda fs: fs.account.get(max_retries=0), id="coroutine"),
        pytest.param(lambda fs: fs.dial_campaigns.list(max_retries=0).first_page(), id="paginator"),
        pytest.param(lambda fs: fs.with_options(max_retries=0).account.get(), id="with_options"),
    ],
)
async def test_max_retries_zero_per_call(
    call: Callable[[AsyncFreestyle], Awaitable[Any]],
    client: AsyncFreestyle,
    mocked: RecordingMock,
    fake_sleep: FakeSleep,
) -> None:
    mocked.get(ACCOUNT_URL, status=503, payload=error(), repeat=True)
    mocked.get(f"{BASE_URL}/dial-campaigns?page=1", status=503, payload=error(), repeat=True)
    with pytest.raises(ServerError):
        await call(client)
    assert len(mocked.sent) == 1
    assert fake_sleep.waits == []


async def test_per_call_max_retries_overrides_the_client(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client(max_retries=0)
    for _ in range(4):
        mocked.get(ACCOUNT_URL, status=502, payload=error())
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    await fs.account.get(max_retries=4)
    assert len(mocked.sent) == 5
    assert len(fake_sleep.waits) == 4


async def test_exhausted_retries_raise_the_last_error(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    for status, request_id in ((503, "req-1"), (500, "req-2"), (502, "req-3")):
        mocked.get(
            ACCOUNT_URL, status=status, payload=error(), headers={"X-Request-Id": request_id}
        )
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)  # a 4th attempt would succeed: it must not happen

    with pytest.raises(ServerError) as info:
        await client.account.get()

    assert info.value.status == 502
    assert info.value.request_id == "req-3"
    assert len(mocked.sent) == 3  # the first attempt and max_retries=2 retries
    assert len(fake_sleep.waits) == 2


async def test_backoff_is_capped_full_jitter(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    policy = RetryPolicy(initial_backoff=0.25, max_backoff=1.0, sleep=fake_sleep)
    fs = make_client(max_retries=6, retry_policy=policy)
    for _ in range(6):
        mocked.get(ACCOUNT_URL, status=500, payload=error())
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    await fs.account.get()
    caps = [min(1.0, 0.25 * 2**n) for n in range(6)]
    assert len(fake_sleep.waits) == 6
    assert all(0 <= w <= cap for w, cap in zip(fake_sleep.waits, caps, strict=True))


# ------------------------------------------------------------------ the non-idempotent upload
@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 500, "payload": error()}, id="500"),
        pytest.param({"status": 502, "payload": error()}, id="502"),
        pytest.param({"exception": aiohttp.ServerDisconnectedError()}, id="disconnect"),
        pytest.param({"exception": aiohttp.ClientPayloadError("cut")}, id="payload-cut"),
    ],
)
async def test_upload_not_retried_once_the_body_may_have_arrived(
    failure: dict[str, Any],
    client: AsyncFreestyle,
    mocked: RecordingMock,
    fake_sleep: FakeSleep,
) -> None:
    mocked.post(UPLOAD_URL, **failure)
    mocked.post(UPLOAD_URL, payload=OK_UPLOAD)  # would succeed if (wrongly) retried

    with pytest.raises((ServerError, APIConnectionError)) as info:
        await upload(client)

    if isinstance(info.value, APIConnectionError):
        assert info.value.request_sent
    assert len(mocked.sent) == 1
    assert fake_sleep.waits == []


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"exception": connector_error()}, id="connect-failure"),
        pytest.param({"status": 429, "payload": error("rate_limited")}, id="429"),
        pytest.param(
            {"status": 429, "payload": error("rate_limited"), "headers": {"Retry-After": "1"}},
            id="429-retry-after",
        ),
    ],
)
async def test_upload_retried_when_the_server_cannot_have_acted(
    failure: dict[str, Any],
    client: AsyncFreestyle,
    mocked: RecordingMock,
    fake_sleep: FakeSleep,
) -> None:
    mocked.post(UPLOAD_URL, **failure)
    mocked.post(UPLOAD_URL, payload=OK_UPLOAD)

    summary = await upload(client)

    assert summary.inserted == 1
    assert len(mocked.sent) == 2
    assert mocked.sent[0].body == mocked.sent[1].body  # the same body, sent again
    assert len(fake_sleep.waits) == 1
    if "headers" in failure:
        assert fake_sleep.waits == [1.0]


async def test_upload_with_max_retries_zero_is_not_retried_after_429(
    client: AsyncFreestyle, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    mocked.post(UPLOAD_URL, status=429, payload=error("rate_limited"), headers={"Retry-After": "1"})
    with pytest.raises(RateLimitError):
        await upload(client, max_retries=0)
    assert len(mocked.sent) == 1


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 500, "payload": error()}, id="500"),
        pytest.param({"exception": aiohttp.ServerDisconnectedError()}, id="disconnect"),
        pytest.param({"exception": connector_error()}, id="connect-failure"),
    ],
)
async def test_idempotent_calls_are_retried(
    failure: dict[str, Any],
    client: AsyncFreestyle,
    mocked: RecordingMock,
    fake_sleep: FakeSleep,
) -> None:
    """GET and the status PATCH may be repeated after any transient failure."""
    mocked.get(ACCOUNT_URL, **failure)
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    mocked.patch(PATCH_URL, **failure)
    mocked.patch(PATCH_URL, payload={"data": p.PAUSED_CAMPAIGN})

    await client.account.get()
    campaign = await client.dial_campaigns.pause(p.CAMPAIGN_ID)

    assert campaign.status == "paused"
    assert [r.method for r in mocked.sent] == ["GET", "GET", "PATCH", "PATCH"]
    assert mocked.sent[2].json() == mocked.sent[3].json() == {"status": "paused"}
    assert len(fake_sleep.waits) == 2


# ----------------------------------------------------------------------------------- logging
async def test_retry_count_in_debug_log(
    client: AsyncFreestyle,
    mocked: RecordingMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="freestyle_async")
    mocked.get(ACCOUNT_URL, status=503, payload=error(), headers={"Retry-After": "2"})
    mocked.get(ACCOUNT_URL, status=502, payload=error(), headers={"Retry-After": "3"})
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)

    await client.account.get()

    retries = [
        r.getMessage()
        for r in caplog.records
        if r.name == "freestyle_async"
        and r.levelno == logging.DEBUG
        and "retrying" in r.getMessage()
    ]
    assert len(retries) == 2
    assert "GET /account" in retries[0]
    assert "attempt 2 of 3" in retries[0]
    assert "HTTP 503" in retries[0]
    assert "2.00 s" in retries[0]
    assert "attempt 3 of 3" in retries[1]
    assert "HTTP 502" in retries[1]


# ---------------------------------------------------------------------- Retry-After too long
async def test_retry_after_above_the_cap_is_not_waited(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client(retry_policy=RetryPolicy(max_retry_after=10.0, sleep=fake_sleep))
    mocked.get(
        ACCOUNT_URL, status=429, payload=error("rate_limited"), headers={"Retry-After": "30"}
    )
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)

    with pytest.raises(RateLimitError) as info:
        await fs.account.get()

    assert info.value.retry_after == 30.0
    assert fake_sleep.waits == []
    assert len(mocked.sent) == 1


async def test_retry_after_at_the_cap_is_waited(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client(retry_policy=RetryPolicy(max_retry_after=10.0, sleep=fake_sleep))
    mocked.get(
        ACCOUNT_URL, status=429, payload=error("rate_limited"), headers={"Retry-After": "10"}
    )
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    await fs.account.get()
    assert fake_sleep.waits == [10.0]


async def test_retry_after_past_the_total_deadline_is_not_waited(
    make_client: ClientFactory, mocked: RecordingMock, fake_sleep: FakeSleep
) -> None:
    fs = make_client(timeout=5)
    mocked.get(ACCOUNT_URL, status=503, payload=error(), headers={"Retry-After": "20"})
    mocked.get(ACCOUNT_URL, payload=OK_ACCOUNT)
    with pytest.raises(ServerError) as info:
        await fs.account.get()
    assert info.value.retry_after == 20.0
    assert fake_sleep.waits == []
    assert len(mocked.sent) == 1


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (" 0.05 ", 0.05),
        ("1_0", None),  # float() reads it as 10
        ("\u0661\u0660", None),  # Arabic-Indic digits: float() reads them as 10
        ("-5", None),  # float() reads it, and it meant "at once"
        ("1e3", None),
        ("+3", None),
        ("nan", None),
    ],
)
def test_retry_after_is_rfc_delta_seconds_or_a_date(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds
