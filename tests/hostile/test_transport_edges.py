"""The edges of the transport's failure mapping: a client used on a second event loop, any
other exception from the HTTP exchange, aiohttp's own parse errors (which quote the URL and its
query string), a server's error text full of terminal escapes or megabytes long, and valid JSON
that the parser cannot take. Each surfaces as an SDK error whose text is safe to print and
whose traceback holds no key."""

from __future__ import annotations

import asyncio
import json
import socket
import traceback
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from freestyle_async import (
    APIConnectionError,
    AsyncFreestyle,
    BadRequestError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    Timeout,
)

from .hostile_server import HostileServer
from .hostile_support import API_KEY, ClientFactory, assert_exception_clean, assert_no_secret

FAST = Timeout(total=5.0, connect=2.0, read=2.0)
SECRET = "tok_SUPERSECRET_9876"
EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mALERT\r"


def _free_port() -> int:
    """A loopback port nobody listens on (bound, read back, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _locals_text(exc: BaseException) -> str:
    """The traceback as an error reporter that shows locals prints it."""
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def _assert_sdk_error_without_library_frames(exc: BaseException) -> None:
    assert isinstance(exc, FreestyleError), f"{type(exc).__name__}: {exc}"
    assert_no_secret(_locals_text(exc), "traceback with locals")
    assert_exception_clean(exc)
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


class RawServer:
    """A loopback server that answers every request with ``answer``, bytes as they are (the
    malformed answers aiohttp.web refuses to send), then closes the connection."""

    def __init__(self) -> None:
        self.answer = b""
        self.hits = 0
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            self.hits += 1
            writer.write(self.answer)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/v1"


@pytest.fixture
async def raw_server() -> AsyncIterator[RawServer]:
    async with RawServer() as running:
        yield running


def _raising_trace(error: BaseException, attempts: list[int]) -> aiohttp.TraceConfig:
    """A trace config whose request-start callback raises ``error`` (inside the exchange,
    with the request headers in aiohttp's frames), counting the attempts."""

    async def on_request_start(session: Any, context: SimpleNamespace, params: Any) -> None:
        attempts.append(1)
        raise error

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    return trace


# -- 1. a client on a second event loop; any other exception from the exchange ---------------


def test_client_used_on_a_second_event_loop_raises_a_clean_sdk_error() -> None:
    client = AsyncFreestyle(
        api_key=API_KEY, base_url=f"http://127.0.0.1:{_free_port()}", max_retries=0
    )
    try:
        # The first call opens the session on this loop (and fails: nobody listens).
        with pytest.raises(APIConnectionError):
            asyncio.run(client.account.get())
        with pytest.raises(BaseException) as info:
            asyncio.run(client.account.get())  # a second loop: the first one is closed
    finally:
        asyncio.run(client.aclose())
    exc = info.value
    _assert_sdk_error_without_library_frames(exc)
    assert "another event loop" in str(exc)
    assert "one client per event loop" in str(exc)
    assert "sync Freestyle from threads" in str(exc)


def test_a_stray_call_does_not_take_the_client_from_its_sessions_loop() -> None:
    """With the caller's session, the session's loop is the client's: a call from another
    loop is refused without taking the client from it."""

    async def new_session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    home = asyncio.new_event_loop()
    session = home.run_until_complete(new_session())
    try:
        client = AsyncFreestyle(
            api_key=API_KEY,
            base_url=f"http://127.0.0.1:{_free_port()}",
            max_retries=0,
            session=session,
        )
        with pytest.raises(FreestyleError, match="another event loop"):
            asyncio.run(client.account.get())  # a stray loop
        with pytest.raises(APIConnectionError):  # its own loop: served (nobody listens)
            home.run_until_complete(client.account.get())
    finally:
        home.run_until_complete(session.close())
        home.close()


@pytest.mark.parametrize(
    "limit",
    [{"max_concurrency": 1}, {"max_requests_per_second": 20}],
    ids=["max_concurrency", "max_requests_per_second"],
)
def test_second_event_loop_is_refused_with_a_client_side_gate(limit: dict[str, float]) -> None:
    client = AsyncFreestyle(
        api_key=API_KEY,
        base_url=f"http://127.0.0.1:{_free_port()}",
        max_retries=0,
        **limit,
    )

    async def three_at_once() -> list[BaseException | object]:
        calls = [client.account.get() for _ in range(3)]
        return list(await asyncio.gather(*calls, return_exceptions=True))

    try:
        # Calls that wait at the gate bind its semaphore (or its lock) to this first loop.
        first = asyncio.run(three_at_once())
        assert all(isinstance(result, APIConnectionError) for result in first), first
        results = asyncio.run(three_at_once())
    finally:
        asyncio.run(client.aclose())
    for result in results:
        assert isinstance(result, BaseException)
        _assert_sdk_error_without_library_frames(result)
        assert "another event loop" in str(result)


async def test_any_other_exception_from_the_exchange_is_a_clean_sdk_error_not_retried(
    make_client: ClientFactory,
) -> None:
    attempts: list[int] = []
    boom = RuntimeError(f"boom at http://u:pw@127.0.0.1/v1/account?access_token={SECRET}")
    client = make_client(
        f"http://127.0.0.1:{_free_port()}",
        timeout=FAST,
        max_retries=2,
        trace_configs=[_raising_trace(boom, attempts)],
    )
    with pytest.raises(BaseException) as info:
        await client.account.get()
    exc = info.value
    _assert_sdk_error_without_library_frames(exc)
    assert isinstance(exc, APIConnectionError)
    assert exc.transient is False
    assert attempts == [1], "retried"
    assert "GET /account" in str(exc) and "RuntimeError: boom at" in str(exc)
    assert SECRET not in str(exc) and "pw@" not in str(exc)


@pytest.mark.parametrize("error", [asyncio.CancelledError, KeyboardInterrupt])
def test_cancelled_error_and_keyboard_interrupt_pass_through_unchanged(
    error: type[BaseException],
) -> None:
    attempts: list[int] = []
    raised = error("from the exchange")

    async def call() -> None:
        async with AsyncFreestyle(
            api_key=API_KEY,
            base_url=f"http://127.0.0.1:{_free_port()}",
            max_retries=2,
            trace_configs=[_raising_trace(raised, attempts)],
        ) as client:
            await client.account.get()

    with pytest.raises(error) as info:
        asyncio.run(call())
    assert info.value is raised
    assert attempts == [1]


# -- 2. aiohttp's parse errors: no URL query string, no "HTTP 400" look ----------------------

MALFORMED = {
    "bad-chunk-size": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n"
    ),
    "too-many-headers": (
        b"HTTP/1.1 200 OK\r\n"
        + b"".join(b"X-%d: 1\r\n" % i for i in range(200))
        + b"Content-Length: 2\r\n\r\n{}"
    ),
    "bad-content-length": b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}",
}


@pytest.mark.parametrize("mode", sorted(MALFORMED))
async def test_unreadable_response_quotes_no_query_and_reads_as_unreadable(
    raw_server: RawServer, make_client: ClientFactory, mode: str
) -> None:
    raw_server.answer = MALFORMED[mode]
    client = make_client(
        raw_server.url(), timeout=FAST, max_retries=0, default_query={"access_token": SECRET}
    )
    for call in (
        lambda: client.account.get(),
        lambda: client.sms_campaigns.list(extra_query={"sig": SECRET}).first_page(),
    ):
        with pytest.raises(APIConnectionError) as info:
            await call()
        text = str(info.value)
        assert SECRET not in text, text
        assert "the response could not be read: " in text, text
        assert "400" not in text and "url=" not in text and "127.0.0.1" not in text, text
        assert "\n" not in text
        _assert_sdk_error_without_library_frames(info.value)


# -- 3. a server's error text: escaped and capped in str(exc), kept as data ------------------


async def test_json_error_text_is_shown_with_controls_escaped(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    # The raw server: aiohttp.web refuses to send control characters in a header.
    body = json.dumps({"error": {"code": "bad\x1b[5m", "message": EVIL}}).encode()
    raw_server.answer = (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
        b"X-Request-Id: req\x1b[8m\x07\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    client = make_client(raw_server.url(), timeout=FAST, max_retries=0)
    with pytest.raises(BadRequestError) as info:
        await client.account.get()
    exc = info.value
    text = str(exc)
    assert not any(char in text for char in "\x1b\x07\r"), repr(text)
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in text and "bad\\x1b[5m" in text
    assert "req\\x1b[8m\\x07" in text
    # The attributes keep the server's text as data.
    assert exc.message == EVIL and exc.code == "bad\x1b[5m" and exc.request_id == "req\x1b[8m\x07"


async def test_huge_server_text_is_cut_in_str(
    server: HostileServer, make_client: ClientFactory
) -> None:
    body = {"error": {"code": "c" * 5000, "message": "m" * 5_000_000}}
    server.script = (404, json.dumps(body).encode(), {"X-Request-Id": "r" * 8000})
    client = make_client(server.url("status"), timeout=FAST, max_retries=0)
    with pytest.raises(NotFoundError) as info:
        await client.account.get()
    text = str(info.value)
    assert len(text) < 2000, len(text)
    assert "4,999,000 more characters cut" in text
    assert "7,872 more characters cut" in text
    assert len(info.value.message) == 5_000_000


# -- 4. valid JSON the parser cannot take ----------------------------------------------------

UNDECODABLE = {
    "deep": ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply to decode"),
    "huge-int": ('{"data": {"id": ' + "9" * 5000 + "}}", "a number too long to decode"),
}


@pytest.mark.parametrize("kind", sorted(UNDECODABLE))
async def test_undecodable_json_says_what_it_is(
    server: HostileServer,
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    from freestyle_async import _json

    monkeypatch.setattr(_json, "loads", json.loads)  # the stdlib parser, as without orjson
    body, words = UNDECODABLE[kind]
    client = make_client(server.url("status"), timeout=FAST, max_retries=0)

    server.script = (200, body.encode(), {"Content-Type": "application/json"})
    with pytest.raises(DecodeError) as decode:
        await client.account.get()
    assert f"GET /account: HTTP 200 with {words}: " in str(decode.value)
    assert "not JSON" not in str(decode.value)

    server.script = (400, body.encode(), {"Content-Type": "application/json"})
    with pytest.raises(BadRequestError) as status:
        await client.account.get()
    assert f"the body could not be decoded ({words})" in str(status.value)
    assert len(str(status.value)) < 500
