"""Each way a server can answer badly surfaces as one of the SDK's exceptions, with a message
that says what happened, in bounded time and memory."""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc

import pytest

from freestyle_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncFreestyle,
    DecodeError,
    FreestyleError,
    Page,
    ServerError,
    Timeout,
)

from .hostile_server import HUGE_BYTES, HostileServer, _gzip_bomb
from .hostile_support import API_KEY, ClientFactory, assert_exception_clean

FAST = Timeout(total=5.0, connect=2.0, read=2.0)

# mode -> (exception class, words the message must hold)
BAD_ANSWERS: dict[str, tuple[type[FreestyleError], tuple[str, ...]]] = {
    "invalid-json": (DecodeError, ("GET /dial-campaigns", "not JSON", '{"data"')),
    "html": (DecodeError, ("not JSON", "Bad Gateway The upstream server is unavailable")),
    "text-as-json": (DecodeError, ("not JSON", "Service temporarily unavailable")),
    "empty": (DecodeError, ("HTTP 200", "(empty body)")),
    "wrong-shape": (
        DecodeError,
        ("Page[DialCampaign]", "expected a string, got int 42", "$.data[0].id"),
    ),
    # orjson parses 1000 levels ("does not fit"); the stdlib parser gives up ("not JSON").
    "deep-json": (DecodeError, ("GET /dial-campaigns", "[[[[")),
    "html-502": (ServerError, ("HTTP 502", "Bad Gateway", "upstream server is unavailable")),
    "truncated": (APIConnectionError, ("cut off", "received 39 of 10000 bytes")),
    "reset": (APIConnectionError, ("GET /dial-campaigns", "reset")),
    "close": (APIConnectionError, ("closed the connection without a complete answer",)),
}


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


async def call(client_url: str, make_client: ClientFactory, **options: object) -> BaseException:
    client = make_client(client_url, **{"timeout": FAST, "max_retries": 0, **options})
    with pytest.raises(FreestyleError) as info:
        await client.dial_campaigns.list().first_page()
    return info.value


@pytest.mark.parametrize("mode", sorted(BAD_ANSWERS))
async def test_bad_answer_maps_to_sdk_error(
    server: HostileServer, make_client: ClientFactory, mode: str
) -> None:
    expected, words = BAD_ANSWERS[mode]
    loop = asyncio.get_running_loop()
    started = loop.time()
    tracemalloc.start()
    try:
        exc = await call(server.url(mode), make_client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = loop.time() - started
    assert peak < 4 * 1024 * 1024, f"{mode}: peak {peak / 1e6:.1f} MB"

    assert type(exc) is expected, f"{mode}: {type(exc).__name__}: {exc}"
    for word in words:
        assert word in str(exc), f"{mode}: {word!r} not in {str(exc)!r}"
    assert elapsed < 1.0
    assert server.hits[mode] == 1
    assert_exception_clean(exc)
    # Nothing from aiohttp, json or cattrs is reachable as the cause of the SDK's error.
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


@pytest.mark.parametrize("parser", ["stdlib", "installed"])
async def test_deeply_nested_json_is_a_decode_error_with_either_parser(
    server: HostileServer,
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    parser: str,
) -> None:
    from freestyle_async import _json

    if parser == "stdlib":
        monkeypatch.setattr(_json, "loads", json.loads)
    for depth in (900, 1000, 5000):
        server.deep_json_depth = depth
        for fetch in (
            lambda c: c.dial_campaigns.list().first_page(),  # a page: structure from the root
            lambda c: c.account.get(),  # an object under "data"
        ):
            client = make_client(server.url("deep-json"), timeout=FAST, max_retries=0)
            with pytest.raises(DecodeError) as info:
                await fetch(client)
            assert "[[[" in str(info.value) and len(str(info.value)) < 500


async def test_decode_error_names_endpoint_and_field(
    server: HostileServer, make_client: ClientFactory
) -> None:
    exc = await call(server.url("wrong-shape"), make_client)
    assert isinstance(exc, DecodeError)
    assert exc.endpoint == "GET /dial-campaigns"
    assert exc.path == "$.data[0].id"


async def test_valid_json_labelled_text_html_is_decoded(
    server: HostileServer, make_client: ClientFactory
) -> None:
    # Chosen behaviour: the body decides, not the label. A JSON body of the right shape served
    # as text/html decodes; anything else labelled so fails as "not JSON" (the html mode).
    client = make_client(server.url("json-as-html"), timeout=FAST, max_retries=0)
    page = await client.dial_campaigns.list().first_page()
    assert isinstance(page, Page)
    assert page.data == []


async def test_error_status_with_html_body_keeps_status_and_text(
    server: HostileServer, make_client: ClientFactory
) -> None:
    exc = await call(server.url("html-502"), make_client)
    assert isinstance(exc, ServerError)
    assert exc.status == 502
    assert exc.code is None
    assert isinstance(exc.body, str) and "<html>" in exc.body
    assert "<" not in exc.message  # tags are stripped from the readable message


async def test_stall_after_headers_is_a_read_timeout(
    server: HostileServer, make_client: ClientFactory
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    exc = await call(server.url("stall-headers"), make_client, timeout=Timeout(total=5.0, read=0.2))
    elapsed = loop.time() - started
    assert type(exc) is APITimeoutError
    assert "read timeout" in str(exc) and "0.2 s" in str(exc)
    assert 0.15 <= elapsed < 1.0


async def test_stall_before_headers_is_a_read_timeout(
    server: HostileServer, make_client: ClientFactory
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    exc = await call(server.url("stall"), make_client, timeout=Timeout(total=5.0, read=0.2))
    assert type(exc) is APITimeoutError
    assert "read timeout" in str(exc)
    assert loop.time() - started < 1.0


@pytest.mark.parametrize("read", [0.3, None], ids=["read-0.3", "no-read-timeout"])
async def test_stalled_server_cannot_hold_a_call_past_the_total_timeout(
    server: HostileServer, make_client: ClientFactory, read: float | None
) -> None:
    """Retries included: five retries of a stalling server still end at the deadline."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    exc = await call(
        server.url("stall"), make_client, timeout=Timeout(total=0.5, read=read), max_retries=5
    )
    elapsed = loop.time() - started
    assert isinstance(exc, APITimeoutError)
    assert elapsed < 1.0, f"a 0.5 s total timeout took {elapsed:.2f} s"
    assert server.hits["stall"] >= 1
    if read is None:
        assert "total timeout of 0.5 s" in str(exc)


@pytest.mark.parametrize("cap", [256 * 1024, 4 * 1024 * 1024])
async def test_endless_body_stops_at_max_response_bytes(
    server: HostileServer, make_client: ClientFactory, cap: int
) -> None:
    """64 MB streamed chunked: the SDK stops reading at the cap; memory stays near the cap."""
    started = time.perf_counter()
    tracemalloc.start()
    try:
        exc = await call(server.url("huge"), make_client, max_response_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started

    assert type(exc) is DecodeError
    assert f"exceeds max_response_bytes={cap}" in str(exc)
    assert peak < 2.5 * cap + 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {cap} byte cap"
    assert server.bytes_sent["huge"] < HUGE_BYTES // 4  # the reader hung up early
    assert elapsed < 5.0


async def test_declared_huge_body_is_refused_before_reading(
    server: HostileServer, make_client: ClientFactory
) -> None:
    tracemalloc.start()
    try:
        exc = await call(server.url("huge-declared"), make_client, max_response_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(exc) is DecodeError
    assert f"response body of {HUGE_BYTES} bytes exceeds max_response_bytes=1048576" in str(exc)
    assert peak < 2 * 1024 * 1024


async def test_gzip_bomb_is_capped_after_inflating(
    server: HostileServer, make_client: ClientFactory
) -> None:
    _gzip_bomb()  # built before measuring: it is the server's memory, not the client's
    tracemalloc.start()
    try:
        exc = await call(server.url("gzip-bomb"), make_client, max_response_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(exc) is DecodeError
    assert "exceeds max_response_bytes=1048576" in str(exc)
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB inflating a 64 MB gzip bomb"


async def test_server_error_after_bad_answers_leaves_client_usable(
    server: HostileServer, make_client: ClientFactory
) -> None:
    """A reset or truncated answer must not poison the pool for the next call."""
    client = make_client(server.url("ok"), timeout=FAST, max_retries=0)
    bad = client.with_options(base_url=server.url("reset"))
    for _ in range(3):
        with pytest.raises(APIConnectionError):
            await bad.dial_campaigns.list().first_page()
        page = await client.dial_campaigns.list().first_page()
        assert page.data == []


async def test_api_errors_are_api_errors_not_connection_errors(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (418, b'{"error": {"code": "teapot", "message": "short and stout"}}', {})
    exc = await call(server.url("status"), make_client)
    assert type(exc) is APIError
    assert (exc.status, exc.code) == (418, "teapot")
    assert "short and stout" in str(exc)


async def test_redirect_is_an_error_that_names_the_target(
    server: HostileServer, make_client: ClientFactory
) -> None:
    server.script = (302, b"<html>moved</html>", {"Location": "https://login.example.com/"})
    exc = await call(server.url("status"), make_client)
    assert type(exc) is APIError
    assert exc.status == 302
    assert "redirected to 'https://login.example.com/'" in str(exc)
    assert "check base_url" in str(exc)


async def test_closing_a_client_twice_is_fine(server: HostileServer) -> None:

    client = AsyncFreestyle(API_KEY, base_url=server.url("ok"))
    await client.dial_campaigns.list().first_page()
    await client.aclose()
    await client.aclose()
    assert client.closed
    with pytest.raises(FreestyleError, match="closed"):
        await client.dial_campaigns.list().first_page()
    async with AsyncFreestyle(API_KEY, base_url=server.url("ok")) as twice:
        await twice.aclose()
    assert twice.closed
