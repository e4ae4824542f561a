"""The API key never shows: not in exception text or repr, not in the cause/context chain (even
for failures raised inside aiohttp), not in any log record at any level, not in reprs, not in
the locals of a traceback's frames, not in hook events, not in a pickled exception; and not
when a server echoes it back in any place or form (escaped, percent-encoded, other case, cut
short; in the body, a field, a header, a value a DecodeError quotes)."""

from __future__ import annotations

import json
import logging
import pickle
import socket
import ssl
import traceback
from collections.abc import Awaitable, Callable

import pytest
import trustme

from freestyle_async import (
    APIError,
    AsyncFreestyle,
    DecodeError,
    FreestyleError,
    RetryPolicy,
    Timeout,
)

from .hostile_server import HostileServer
from .hostile_support import (
    API_KEY,
    ClientFactory,
    assert_exception_clean,
    assert_locals_clean,
    assert_no_secret,
)

Call = Callable[[AsyncFreestyle], Awaitable[object]]

CALLS: dict[str, Call] = {
    "list": lambda fs: fs.dial_campaigns.list().first_page(),
    "pause": lambda fs: fs.dial_campaigns.pause("c_1"),
    "upload": lambda fs: fs.dial_campaigns.upload_data("c_1", [{"phone1": "4165550100"}]),
    "account": lambda fs: fs.account.get(),
}


def _free_port() -> int:
    """A loopback port nobody listens on (bound, read back, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        assert_no_secret(text, f"log record {record.name}:{record.levelname}")
        assert_no_secret(repr(record.args), f"log record args {record.name}")


async def _failure(client: AsyncFreestyle, call: Call) -> FreestyleError:
    with pytest.raises(FreestyleError) as info:
        await call(client)
    return info.value


MODES = [
    "reset",
    "truncated",
    "close",
    "stall",
    "invalid-json",
    "html-502",
    "echo-key-401",
    "echo-key-200",
    "always-503",
]
# Every mode through one GET; the modes that quote the key or break mid-body through every
# kind of call (GET, PATCH, the non-idempotent POST).
CASES = [(mode, "list") for mode in MODES] + [
    (mode, call)
    for mode in ("reset", "echo-key-401", "echo-key-200")
    for call in ("pause", "upload", "account")
]


@pytest.mark.parametrize(("mode", "call"), CASES)
async def test_key_absent_from_errors_and_logs(
    server: HostileServer,
    make_client: ClientFactory,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    call: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(
        server.url(mode),
        timeout=Timeout(total=2.0, read=0.2),
        max_retries=1,
        retry_policy=RetryPolicy(initial_backoff=0.01, max_backoff=0.02),
    )
    exc = await _failure(client, CALLS[call])
    assert_exception_clean(exc)
    assert_no_secret("".join(traceback.format_exception(exc)), "the formatted traceback")
    # Error reporters that print each frame's locals (Sentry, rich, capture_locals=True).
    with_locals = traceback.TracebackException.from_exception(exc, capture_locals=True)
    assert_no_secret("".join(with_locals.format()), "the traceback's local variables")
    _assert_logs_clean(caplog)
    assert server.hits[mode] >= 1  # the request, key and all, did reach the server


async def test_key_absent_when_connection_is_refused(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = _free_port()
    client = make_client(f"http://127.0.0.1:{port}", max_retries=0)
    exc = await _failure(client, CALLS["list"])
    assert "cannot connect to 127.0.0.1" in str(exc)
    assert_exception_clean(exc)
    assert_no_secret("".join(traceback.format_exception(exc)), "the formatted traceback")
    _assert_logs_clean(caplog)


async def test_key_absent_when_tls_fails(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    async with HostileServer(ssl_context=context) as server:
        client = make_client(server.url("ok"), max_retries=2)
        exc = await _failure(client, CALLS["list"])
    assert "TLS" in str(exc)
    assert_exception_clean(exc)
    _assert_logs_clean(caplog)


async def test_server_echoing_the_key_is_redacted(
    server: HostileServer, make_client: ClientFactory
) -> None:
    """A server that quotes the key back (in an error body or a non-JSON page) does not get
    it into the exception: message, body and str are redacted to ``ft_…`` + last 4."""
    client = make_client(server.url("echo-key-401"), max_retries=0)
    exc = await _failure(client, CALLS["list"])
    assert "Invalid API key" in str(exc)
    assert "ft_…" + API_KEY[-4:] in str(exc)
    assert_exception_clean(exc)

    client = make_client(server.url("echo-key-200"), max_retries=0)
    exc = await _failure(client, CALLS["list"])
    assert "hello ft_…" in str(exc)
    assert_exception_clean(exc)


async def test_reprs_hide_the_key(server: HostileServer, make_client: ClientFactory) -> None:
    client = make_client(server.url("ok"))
    clone = client.with_options(timeout=3.0)
    for obj in (client, clone, client._config, clone._config, client.dial_campaigns.list()):
        assert_no_secret(repr(obj), f"repr of {type(obj).__name__}")
        assert_no_secret(str(obj), f"str of {type(obj).__name__}")
    assert "ft_…" + API_KEY[-4:] in repr(client)


# ------------------------------------------------------------------ a server echoing the key
Reply = tuple[int, bytes, dict[str, str]]
JSON = {"Content-Type": "application/json"}
HINT = "ft_…" + API_KEY[-4:]


def _split_by_escapes(key: str) -> str:
    """``key`` as JSON string text with every other character ``\\u``-escaped."""
    return "".join(f"\\u{ord(ch):04x}" if i % 2 else ch for i, ch in enumerate(key))


def _percent_encoded(key: str) -> str:
    return "".join(f"%{byte:02X}" for byte in key.encode())


def _error(code: str = "bad", message: str = "no", **extra: object) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}, **extra}).encode()


# Each: the key as the server received it -> the reply that quotes it back.
ECHOES: dict[str, Callable[[str], Reply]] = {
    "message-split-by-json-escapes": lambda key: (
        401,
        b'{"error": {"code": "unauthorized", "message": "Invalid key '
        + _split_by_escapes(key).encode()
        + b'"}}',
        JSON,
    ),
    "message-one-escaped-character": lambda key: (
        401,
        _error(message=f"Invalid key {key}").replace(key[3].encode(), b"\\u%04x" % ord(key[3]), 1),
        JSON,
    ),
    "code": lambda key: (400, _error(code=key), JSON),
    "body-field": lambda key: (400, _error(debug={"headers": {"X-API-Key": key}}), JSON),
    "body-object-key": lambda key: (404, _error(**{key.upper(): [key]}), JSON),
    "request-id-header": lambda key: (500, _error(), {**JSON, "X-Request-Id": key}),
    "request-id-percent-encoded": lambda key: (
        500,
        _error(),
        {**JSON, "X-Request-Id": _percent_encoded(key)},
    ),
    "location-header-percent-encoded": lambda key: (
        302,
        b"",
        {"Location": "https://evil.example/steal?key=" + _percent_encoded(key)},
    ),
    "retry-after-header": lambda key: (503, _error(), {**JSON, "Retry-After": key}),
    "upper-case-in-html": lambda key: (
        502,
        f"<html><body><h1>Bad Gateway</h1>key {key.upper()}</body></html>".encode(),
        {"Content-Type": "text/html"},
    ),
    "cut-short-in-text": lambda key: (500, f"denied for {key[:24]}".encode(), {}),
    "escaped-in-broken-json-200": lambda key: (
        200,
        b'{"data": {"id": "' + _split_by_escapes(key).encode(),
        JSON,
    ),
    "value-a-decode-error-quotes": lambda key: (
        200,
        json.dumps(
            {"data": {"id": "a", "name": "n", "status": "active", "created_at": key}, "meta": key}
        ).encode(),
        JSON,
    ),
    "bare-json-string-200": lambda key: (200, json.dumps(key).encode(), JSON),
}


async def _echo_failure(
    server: HostileServer,
    make_client: ClientFactory,
    echo: str,
    call: str,
    events: list[object],
) -> FreestyleError:
    server.echo = ECHOES[echo]
    client = make_client(
        server.url("echo"),
        max_retries=1,
        retry_policy=RetryPolicy(initial_backoff=0.001, max_backoff=0.002, max_retry_after=0.01),
        on_request=events.append,
        on_response=events.append,
        on_retry=events.append,
    )
    return await _failure(client, CALLS[call])


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("echo", sorted(ECHOES))
async def test_an_echoed_key_shows_nowhere(
    server: HostileServer,
    make_client: ClientFactory,
    caplog: pytest.LogCaptureFixture,
    echo: str,
    call: str,
) -> None:
    """Every place a failure shows: str, repr, every attribute (message, body, code,
    request_id, notes), the cause/context chain, the locals of every traceback frame, the
    hook events, the log records and the pickled exception."""
    caplog.set_level(logging.DEBUG)
    events: list[object] = []
    exc = await _echo_failure(server, make_client, echo, call, events)
    assert isinstance(exc, APIError | DecodeError), repr(exc)
    assert_exception_clean(exc)
    for field in ("message", "body", "code", "request_id", "path", "__notes__"):
        assert_no_secret(repr(getattr(exc, field, None)), f"{type(exc).__name__}.{field}")
    assert assert_locals_clean(exc) > 0
    with_locals = traceback.TracebackException.from_exception(exc, capture_locals=True)
    assert_no_secret("".join(with_locals.format()), "the traceback's local variables")
    assert events
    for event in events:
        assert_no_secret(repr(event), f"the hook event {type(event).__name__}")
    _assert_logs_clean(caplog)
    assert_no_secret(pickle.dumps(exc).decode("latin-1"), "the pickled exception")
    assert server.hits["echo"] >= 1


@pytest.mark.parametrize(
    ("echo", "field"),
    [
        ("message-split-by-json-escapes", "message"),
        ("message-one-escaped-character", "message"),
        ("code", "code"),
        ("body-field", "body"),
        ("request-id-header", "request_id"),
        ("request-id-percent-encoded", "request_id"),
        ("location-header-percent-encoded", "message"),
        ("upper-case-in-html", "body"),
        ("cut-short-in-text", "body"),
        ("escaped-in-broken-json-200", "message"),
        ("value-a-decode-error-quotes", "message"),
    ],
)
async def test_the_echo_is_shown_redacted_where_it_was(
    server: HostileServer, make_client: ClientFactory, echo: str, field: str
) -> None:
    """The place that held the key still says what it said, with ``ft_…`` + last 4 in its
    stead: the redaction took the key out, not the whole field."""
    exc = await _echo_failure(server, make_client, echo, "account", [])
    assert HINT in repr(getattr(exc, field))


async def test_a_key_echoed_in_a_body_object_key_is_renamed(
    server: HostileServer, make_client: ClientFactory
) -> None:
    exc = await _echo_failure(server, make_client, "body-object-key", "account", [])
    assert isinstance(exc, APIError)
    assert exc.body == {"error": {"code": "bad", "message": "no"}, HINT: [HINT]}


async def test_an_unpickled_error_is_still_redacted(
    server: HostileServer, make_client: ClientFactory
) -> None:
    exc = await _echo_failure(server, make_client, "request-id-header", "list", [])
    exc.add_note("seen with " + API_KEY)  # notes are redacted too
    copy = pickle.loads(pickle.dumps(exc))
    assert (type(copy), str(copy), copy.request_id) == (type(exc), str(exc), HINT)
    assert copy.__notes__ == exc.__notes__ == [f"seen with {HINT}"]
