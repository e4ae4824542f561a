"""The API key never shows: not in exception text or repr, not in the cause/context chain (even
for failures raised inside aiohttp), not in any log record at any level, not in reprs."""

from __future__ import annotations

import logging
import socket
import ssl
import traceback
from collections.abc import Awaitable, Callable

import pytest
import trustme

from freestyle_async import AsyncFreestyle, FreestyleError, RetryPolicy, Timeout

from .hostile_server import HostileServer
from .hostile_support import API_KEY, ClientFactory, assert_exception_clean, assert_no_secret

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
