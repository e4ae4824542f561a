"""Client-side rate control: max_requests_per_second and max_concurrency, shared by every call
of a client (its with_options copies and bulk uploads included)."""

from __future__ import annotations

import asyncio

import pytest
from _clients import no_wait

from freestyle_async import APITimeoutError, Timeout, ValidationError

from .hostile_server import HostileServer
from .hostile_support import ClientFactory

EPSILON = 0.005  # loop clock resolution slack; the bound is a correctness bound, not a perf claim


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


async def test_requests_per_second_spaces_the_requests(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(server.url("ok"), max_requests_per_second=50)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(client.dial_campaigns.list().first_page() for _ in range(20)))
    elapsed = loop.time() - started
    arrivals = sorted(server.arrivals)
    assert len(arrivals) == 20
    # 20 starts at least 1/50 s apart: the last one no sooner than 19 * 20 ms after the first.
    assert elapsed >= 19 / 50 - EPSILON
    # The server sees the same spacing, less however late the first request reached it (its
    # loop shares 2 busy cores with the client's; both loops read the same monotonic clock).
    first_delay = arrivals[0] - started
    assert arrivals[-1] - arrivals[0] >= 19 / 50 - EPSILON - first_delay


async def test_rate_is_shared_with_with_options_copies(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(server.url("ok"), max_requests_per_second=100)
    clone = client.with_options(timeout=5.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(
        *(c.dial_campaigns.list().first_page() for c in [client, clone] * 10),
    )
    assert loop.time() - started >= 19 / 100 - EPSILON


async def test_waiting_for_the_rate_counts_against_the_total_timeout(
    server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(server.url("ok"), max_requests_per_second=2, timeout=0.3)
    results = await asyncio.gather(
        *(client.dial_campaigns.list().first_page() for _ in range(3)), return_exceptions=True
    )
    # Starts at 0, 0.5 and 1.0 s: only the first fits in a 0.3 s deadline.
    assert sum(isinstance(r, APITimeoutError) for r in results) == 2
    assert server.hits["ok"] == 1


async def test_max_concurrency_caps_requests_in_flight(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.delay = 0.03
    client = make_client(server.url("slow-ok"), max_concurrency=3)
    await asyncio.gather(*(client.dial_campaigns.list().first_page() for _ in range(20)))
    assert server.hits["slow-ok"] == 20
    assert server.max_in_flight == 3


async def test_max_concurrency_is_shared_with_copies_and_bulk_uploads(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.delay = 0.02
    client = make_client(server.url("upload-ok"), max_concurrency=2)
    clone = client.with_options(timeout=30.0)
    records = [{"phone1": f"416555{i:04d}"} for i in range(40)]
    report = await clone.dial_campaigns.upload_leads("c_1", records, chunk_size=5, concurrency=8)
    assert report.inserted == 40
    assert server.hits["upload-ok"] == 8
    assert server.max_in_flight == 2


async def test_without_limits_there_is_no_gate(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.delay = 0.03
    client = make_client(server.url("slow-ok"))
    assert client._transport._gate is None  # nothing to pay on the success path
    await asyncio.gather(*(client.dial_campaigns.list().first_page() for _ in range(10)))
    assert server.max_in_flight == 10


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_requests_per_second", 0),
        ("max_requests_per_second", -5.0),
        ("max_requests_per_second", float("inf")),
        ("max_requests_per_second", True),
        ("max_concurrency", 0),
        ("max_concurrency", 2.5),
    ],
)
def test_bad_limits_are_refused(option: str, value: object) -> None:
    from freestyle_async import AsyncFreestyle

    with pytest.raises(ValidationError, match=option):
        AsyncFreestyle("ft_test", base_url="http://127.0.0.1:9", **{option: value})


async def test_limits_apply_to_each_retry_too(
    server: HostileServer, make_client: ClientFactory
) -> None:
    from freestyle_async import RetryPolicy, ServerError

    client = make_client(
        server.url("always-503"),
        max_requests_per_second=50,
        max_retries=4,
        retry_policy=RetryPolicy(sleep=no_wait),
        timeout=Timeout(total=5.0),
    )
    with pytest.raises(ServerError):
        await client.account.get()
    arrivals = server.arrivals
    assert len(arrivals) == 5
    assert arrivals[-1] - arrivals[0] >= 4 / 50 - EPSILON
