"""Event hooks: on_request, on_response, on_retry receive frozen records without the key; a
hook that raises is logged and ignored."""

from __future__ import annotations

import json
import logging

import attrs
import pytest
from _clients import no_wait

from freestyle_async import (
    APIConnectionError,
    RetryEvent,
    RetryPolicy,
    ServerError,
    ValidationError,
)

# Public as freestyle_async.RequestEvent / ResponseEvent once exported from __init__.py.
from freestyle_async._hooks import RequestEvent, ResponseEvent

from .hostile_server import EMPTY_PAGE, HostileServer
from .hostile_support import ClientFactory, assert_no_secret

OK = (200, json.dumps(EMPTY_PAGE).encode(), {})
FAIL_503 = (503, b'{"error": {"code": "server_error", "message": "down"}}', {})


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    def __call__(self, event: object) -> None:
        self.events.append(event)


@pytest.mark.uvloop
async def test_hooks_see_every_attempt_in_order(
    server: HostileServer, make_client: ClientFactory
) -> None:
    seen = Recorder()
    server.queue.extend([FAIL_503, (429, b"", {"Retry-After": "0.01"}), OK])
    client = make_client(
        server.url("queue"),
        max_retries=3,
        retry_policy=RetryPolicy(sleep=no_wait, initial_backoff=0.25),
        on_request=seen,
        on_response=seen,
        on_retry=seen,
    )
    await client.dial_campaigns.list(status="active").first_page()

    kinds = [type(e).__name__ for e in seen.events]
    assert kinds == [
        "RequestEvent", "ResponseEvent", "RetryEvent",
        "RequestEvent", "ResponseEvent", "RetryEvent",
        "RequestEvent", "ResponseEvent",
    ]  # fmt: skip
    requests = [e for e in seen.events if isinstance(e, RequestEvent)]
    responses = [e for e in seen.events if isinstance(e, ResponseEvent)]
    retries = [e for e in seen.events if isinstance(e, RetryEvent)]
    assert [(r.method, r.path, r.attempt) for r in requests] == [
        ("GET", "/dial-campaigns", n) for n in (1, 2, 3)
    ]
    assert [(r.status, r.error, r.attempt) for r in responses] == [
        (503, "ServerError", 1),
        (429, "RateLimitError", 2),
        (200, None, 3),
    ]
    assert all(r.elapsed > 0 for r in responses)  # under uvloop too: not its ms clock
    assert [r.attempt for r in retries] == [2, 3]
    assert 0 <= retries[0].wait <= 0.25  # full jitter
    assert retries[1].wait == pytest.approx(0.01)  # the server's Retry-After
    assert isinstance(retries[0].cause, ServerError)
    for event in seen.events:
        assert attrs.has(type(event))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.method = "POST"  # type: ignore[attr-defined]
        assert_no_secret(repr(event), "a hook record")
        assert not any("header" in f.name for f in attrs.fields(type(event)))


async def test_connection_failure_reaches_on_response_without_status(
    server: HostileServer, make_client: ClientFactory
) -> None:
    seen = Recorder()
    client = make_client(server.url("close"), max_retries=0, on_response=seen)
    with pytest.raises(APIConnectionError):
        await client.account.get()
    (event,) = seen.events
    assert isinstance(event, ResponseEvent)
    assert (event.status, event.error, event.path) == (None, "APIConnectionError", "/account")


async def test_a_raising_hook_does_not_break_the_call(
    server: HostileServer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("metrics backend is down")

    server.queue.extend([FAIL_503, OK])
    client = make_client(
        server.url("queue"),
        max_retries=1,
        retry_policy=RetryPolicy(sleep=no_wait),
        on_request=broken,
        on_response=broken,
        on_retry=broken,
    )
    with caplog.at_level(logging.WARNING, logger="freestyle_async"):
        page = await client.dial_campaigns.list().first_page()
    assert page.data == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 5  # 2 requests, 2 responses, 1 retry
    assert all("metrics backend is down" in r.getMessage() for r in warnings)
    assert all("broken" in r.getMessage() for r in warnings)
    for record in caplog.records:
        assert_no_secret(record.getMessage(), "a hook warning")


async def test_hooks_can_be_set_per_copy(server: HostileServer, make_client: ClientFactory) -> None:
    root, copy = Recorder(), Recorder()
    client = make_client(server.url("ok"), on_request=root)
    clone = client.with_options(on_request=copy)
    silent = client.with_options(on_request=None)
    await client.dial_campaigns.list().first_page()
    await clone.dial_campaigns.list().first_page()
    await silent.dial_campaigns.list().first_page()
    assert len(root.events) == 1 and len(copy.events) == 1


async def test_async_hooks_are_refused(server: HostileServer) -> None:
    from freestyle_async import AsyncFreestyle

    async def coroutine_hook(event: object) -> None:
        pass

    with pytest.raises(ValidationError, match="plain function"):
        AsyncFreestyle("ft_test", base_url=server.url("ok"), on_response=coroutine_hook)
    with pytest.raises(ValidationError, match="callable"):
        AsyncFreestyle("ft_test", base_url=server.url("ok"), on_retry="print")  # type: ignore[arg-type]
