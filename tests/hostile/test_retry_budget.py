"""Retry storms: a client's retries draw from one shared budget, and a Retry-After the call
cannot honour is not waited."""

from __future__ import annotations

import asyncio
import json

import pytest
from _clients import no_wait

from freestyle_async import (
    APIError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    Timeout,
    ValidationError,
)

# Public as freestyle_async.RetryBudget once exported from __init__.py.
from freestyle_async._limits import RetryBudget

from .hostile_server import EMPTY_PAGE, HostileServer
from .hostile_support import ClientFactory

INSTANT = RetryPolicy(sleep=no_wait)
OK = (200, json.dumps(EMPTY_PAGE).encode(), {})
FAIL_503 = (503, b'{"error": {"code": "server_error", "message": "down"}}', {})


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


async def test_fifty_concurrent_calls_against_a_dead_server_stay_within_the_budget(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(server.url("always-503"), max_retries=5, retry_policy=INSTANT)
    results = await asyncio.gather(
        *(client.dial_campaigns.list().first_page() for _ in range(50)), return_exceptions=True
    )
    assert all(isinstance(r, ServerError) and r.status == 503 for r in results), results
    # 50 first attempts + at most the 10 tokens of the default budget, not 50 * 6 = 300.
    assert server.hits["always-503"] == 60  # no success refunded anything: exactly 10 retries
    refused = [r for r in results if any("retry budget" in n for n in r.__notes__ or [])]
    assert len(refused) >= 40  # the calls that found the bucket empty say so


async def test_with_options_copies_share_the_budget(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(
        server.url("always-503"),
        max_retries=3,
        retry_policy=INSTANT,
        retry_budget=RetryBudget(max_tokens=4, refund=0.1),
    )
    clone = client.with_options(timeout=10.0)
    with pytest.raises(ServerError):
        await clone.account.get()  # 1 + 3 retries: 3 tokens spent
    with pytest.raises(ServerError):
        await client.account.get()  # 1 + 1 retry: the last token
    with pytest.raises(ServerError):
        await clone.with_options(max_retries=5).account.get()  # no token: no retry
    assert server.hits["always-503"] == 4 + 2 + 1


async def test_successes_refill_the_budget(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(
        server.url("queue"),
        max_retries=1,
        retry_policy=INSTANT,
        retry_budget=RetryBudget(max_tokens=1, refund=0.5),
    )
    server.script = FAIL_503
    with pytest.raises(ServerError):
        await client.account.get()  # 2 attempts: the one token spent
    with pytest.raises(ServerError):
        await client.account.get()  # 1 attempt: empty
    assert server.hits["queue"] == 3
    server.queue.extend([OK, OK])
    for _ in range(2):
        await client.dial_campaigns.list().first_page()  # each success puts 0.5 back
    server.queue.extend([FAIL_503, OK])
    page = await client.dial_campaigns.list().first_page()  # retried on the refilled token
    assert page.data == []
    assert server.hits["queue"] == 3 + 2 + 2


async def test_budget_of_none_retries_every_call_fully(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(
        server.url("always-503"), max_retries=2, retry_policy=INSTANT, retry_budget=None
    )
    results = await asyncio.gather(
        *(client.account.get() for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(r, ServerError) for r in results)
    assert server.hits["always-503"] == 20 * 3


async def test_empty_budget_means_no_retries(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(
        server.url("always-503"),
        max_retries=5,
        retry_policy=INSTANT,
        retry_budget=RetryBudget(max_tokens=0),
    )
    with pytest.raises(ServerError) as info:
        await client.account.get()
    assert server.hits["always-503"] == 1
    assert any("retry budget" in note for note in info.value.__notes__)


@pytest.mark.parametrize(
    ("field", "value"), [("max_tokens", -1), ("refund", float("nan")), ("max_tokens", "10")]
)
def test_retry_budget_refuses_bad_values(field: str, value: object) -> None:
    with pytest.raises(ValidationError, match=f"RetryBudget.{field}"):
        RetryBudget(**{field: value})  # type: ignore[arg-type]


async def test_retry_after_above_the_cap_raises_rate_limit_error_at_once(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (429, b'{"error": {"code": "rate_limited", "message": "slow down"}}',
                     {"Retry-After": "120"})  # fmt: skip
    client = make_client(server.url("status"), max_retries=5)  # real sleeps: none expected
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(RateLimitError) as info:
        await client.account.get()
    assert loop.time() - started < 0.5
    assert info.value.retry_after == 120.0
    assert server.hits["status"] == 1
    assert any("max_retry_after" in note for note in info.value.__notes__)


async def test_retry_after_past_the_deadline_raises_at_once(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (429, b"", {"Retry-After": "3"})
    client = make_client(server.url("status"), max_retries=5, timeout=Timeout(total=1.0))
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(RateLimitError) as info:
        await client.account.get()
    assert loop.time() - started < 0.5, "a wait that cannot finish in time is not started"
    assert info.value.retry_after == 3.0
    assert server.hits["status"] == 1
    assert any("deadline" in note for note in info.value.__notes__)


async def test_retry_after_on_503_above_the_cap_raises_the_server_error(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (503, b"", {"Retry-After": "3600"})
    client = make_client(
        server.url("status"), max_retries=5, retry_policy=RetryPolicy(max_retry_after=10)
    )
    with pytest.raises(ServerError) as info:
        await client.account.get()
    assert info.value.retry_after == 3600.0
    assert server.hits["status"] == 1


async def test_short_retry_after_is_waited_and_retried(
    server: HostileServer, make_client: ClientFactory
) -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    server.queue.extend([(429, b"", {"Retry-After": "2"}), OK])
    client = make_client(server.url("queue"), max_retries=2, retry_policy=RetryPolicy(sleep=record))
    page = await client.dial_campaigns.list().first_page()
    assert page.data == []
    assert slept == [2.0]


async def test_unparseable_retry_after_falls_back_to_backoff(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.queue.extend([(429, b"", {"Retry-After": "soon please"}), OK])
    client = make_client(server.url("queue"), max_retries=1, retry_policy=INSTANT)
    await client.dial_campaigns.list().first_page()
    assert server.hits["queue"] == 2


async def test_status_errors_other_than_retryable_are_not_retried(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (404, b'{"error": {"code": "not_found", "message": "no"}}', {})
    client = make_client(server.url("status"), max_retries=5, retry_policy=INSTANT)
    with pytest.raises(APIError):
        await client.account.get()
    assert server.hits["status"] == 1
