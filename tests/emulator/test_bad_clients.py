"""Clients that do not speak HTTP well: every answer is still the API's JSON error envelope, and
a client too slow to send a request is answered 408 and disconnected. Raw sockets on loopback."""

from __future__ import annotations

import json
import logging
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from _emulator_thread import EmulatorThread
from hypothesis import event, given, settings
from hypothesis import strategies as st

from freestyle_async.testing import Emulator, Faults

Response = tuple[int, dict[str, str], bytes]

_WAIT = 30.0  # a safety net for a broken emulator; every exchange below ends well before


# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorThread]:
    thread = EmulatorThread(shutdown_timeout=0.1)
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def impatient() -> Iterator[EmulatorThread]:
    """An emulator that gives a client 0.2 s for a request's head and for its body."""
    thread = EmulatorThread(header_timeout=0.2, body_timeout=0.2, shutdown_timeout=0.1)
    yield thread
    thread.stop()


def _connect(server: EmulatorThread) -> socket.socket:
    sock = socket.create_connection((server.emu.host, server.emu.port), timeout=_WAIT)
    sock.settimeout(_WAIT)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def exchange(server: EmulatorThread, raw: bytes) -> bytes:
    """Send ``raw``, then read until the server closes."""
    with _connect(server) as sock:
        sock.sendall(raw)
        return _read_all(sock)


def exchange_briefly(server: EmulatorThread, raw: bytes) -> bytes:
    """Send ``raw``, then read what comes until the server closes or is quiet for 0.3 s (a
    request that was answered may leave the connection open, one cut short may wait)."""
    with _connect(server) as sock:
        sock.sendall(raw)
        sock.settimeout(0.3)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def parse(data: bytes, *, whole: bool = True) -> list[Response]:
    """The HTTP responses in ``data``, each (status, lower-cased headers, body); with
    ``whole=False`` a last response cut short is left out."""
    responses: list[Response] = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not whole and not sep:
            break
        assert sep, data[:300]
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        if not whole and len(rest) < length:
            break
        responses.append((int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def envelope(response: Response, status: int, code: str, mentions: str = "") -> dict[str, Any]:
    got_status, headers, body = response
    assert got_status == status, (got_status, body)
    assert headers["content-type"].startswith("application/json"), headers
    assert headers["x-request-id"].startswith("req_")
    document = json.loads(body)
    assert set(document) == {"error"}
    assert set(document["error"]) == {"code", "message"}
    assert document["error"]["code"] == code
    assert mentions in document["error"]["message"]
    return document


def only(data: bytes) -> Response:
    (response,) = parse(data)
    return response


GET = b"GET /v1/account HTTP/1.1\r\nHost: x\r\n"

#: Requests aiohttp refuses before any middleware runs, with its C parser and its pure-Python
#: one (``AIOHTTP_NO_EXTENSIONS=1``) alike: (name, bytes, status, words of the message).
REFUSED: list[tuple[str, bytes, int, str]] = [
    (
        "request line too long",
        b"GET /v1/account?q=" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
        414,
        "request line",
    ),
    ("header value too long", GET + b"X-Note: " + b"a" * 9000 + b"\r\n\r\n", 431, "header"),
    ("header name too long", GET + b"X-" + b"a" * 9000 + b": 1\r\n\r\n", 431, "header"),
    (
        "too many headers",
        GET + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n",
        431,
        "header",
    ),
    (
        "TLS on the plain port",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n",
        400,
        "request line",
    ),
    ("garbage", b"\x00\x01\x02 hello there\r\n\r\n", 400, "request line"),
    ("bad HTTP version", b"GET /v1/account HTTP/1.x\r\nHost: x\r\n\r\n", 400, "request line"),
    ("not HTTP", b"GET /v1/account HTTX/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("invalid method", b"G(T /v1/account HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("space in the path", b"GET /v1/a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("control character in the path", b"GET /v1/\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "URL"),
    ("bad URL", b"GET http://[bad/ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "URL"),
    ("space in a header name", GET + b"Bad Header: 1\r\n\r\n", 400, "HTTP/1.1"),
    ("control character in a header", GET + b"X-Note: a\x01b\r\n\r\n", 400, "HTTP/1.1"),
    (
        "bad Content-Length",
        b"POST /v1/account HTTP/1.1\r\nHost: x\r\nContent-Length: ab\r\n\r\n",
        400,
        "HTTP/1.1",
    ),
    (
        "negative Content-Length",
        b"POST /v1/account HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        400,
        "HTTP/1.1",
    ),
    (
        "Content-Length and chunked",
        b"POST /v1/account HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        b"chunked\r\nContent-Length: 3\r\n\r\n",
        400,
        "HTTP/1.1",
    ),
    (
        "bad chunk size",
        b"POST /v1/account HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        400,
        "HTTP/1.1",
    ),
]


@pytest.mark.parametrize(
    ("name", "raw", "status", "mentions"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_requests_aiohttp_refuses_get_the_api_envelope(
    server: EmulatorThread, name: str, raw: bytes, status: int, mentions: str
) -> None:
    response = only(exchange(server, raw))  # the emulator closes the connection after it
    envelope(response, status, "invalid_request", mentions)
    assert response[1].get("connection", "close").lower() == "close"


def test_a_refusal_never_echoes_the_request(server: EmulatorThread) -> None:
    key = server.emu.api_key
    raw = b"GET /v1/account HTTP/1.1\r\nX-API-Key: " + key.encode() + b"\r\nBad Header: "
    data = exchange(server, raw + key.encode() + b"\r\n\r\n")
    envelope(only(data), 400, "invalid_request")
    assert key[3:].encode() not in data


def _answer(sock: socket.socket) -> Response:
    """One whole JSON answer on a connection that stays open."""
    data = b""
    while not data.endswith(b"}}"):
        data += sock.recv(65536)
    return only(data)


def test_a_refusal_on_a_kept_alive_connection_closes_it(server: EmulatorThread) -> None:
    good = GET + b"X-API-Key: " + server.emu.api_key.encode() + b"\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(good)
        assert _answer(sock)[0] == 200
        sock.sendall(b"get /v1/account HTTP/1.1\r\n\r\n")
        envelope(only(_read_all(sock)), 400, "invalid_request")


METHODS = [b"GET"] * 4 + [b"POST", b"PATCH", b"PUT", b"DELETE", b"G(T", b"get", b""]
TARGETS = [b"/v1/account"] * 2 + [
    b"/v1/dial-campaigns?page=1",
    b"/v1/dial-campaigns?page=" + b"9" * 30,
    b"/v1/billing?from=2026-01-01",
    b"/_emulator/counters",
    b"/v1/%ff",
    b"/nowhere",
    b"*",
]
VERSIONS = [b"HTTP/1.1"] * 4 + [b"HTTP/1.0", b"HTTP/2.0", b"HTTP/1.x", b""]
HEADERS = [
    b"Connection: close\r\n",
    b"Content-Type: application/json\r\n",
    b"Content-Length: 2\r\n",
    b"Content-Length: -1\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"X-Note: \x01\r\n",
    b"Bad Header: 1\r\n",
    b"X-Long: " + b"z" * 9000 + b"\r\n",
]
BODIES = [b""] * 3 + [b"{}", b"2\r\n{}\r\n0\r\n\r\n", b"zz\r\n"]


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    """A request built from mostly good parts, some bad ones, and now and then random bytes."""
    parts = [
        draw(st.sampled_from(METHODS)),
        b" ",
        draw(st.sampled_from(TARGETS)),
        b" ",
        draw(st.sampled_from(VERSIONS)),
        b"\r\n",
        b"Host: x\r\n" if draw(st.integers(0, 5)) else b"",  # HTTP/1.1 requires it
        b"X-API-Key: <key>\r\n" if draw(st.integers(0, 3)) else b"",
        *draw(st.lists(st.sampled_from(HEADERS), max_size=2)),
        b"\r\n",
        draw(st.sampled_from(BODIES)),
    ]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.binary(max_size=6)))
    return b"".join(parts)


@settings(max_examples=60, deadline=None)
@given(sent=st.lists(requests(), min_size=1, max_size=3))
def test_whatever_a_client_sends_every_answer_is_api_json(
    server: EmulatorThread, sent: list[bytes]
) -> None:
    key = server.emu.api_key.encode()
    raw = b"".join(sent).replace(b"<key>", key)
    data = exchange_briefly(server, raw)
    answers = parse(data, whole=False)
    event(f"statuses {sorted({status for status, _, _ in answers})}")
    for status, headers, body in answers:
        assert headers["content-type"].startswith("application/json"), (raw, data)
        assert headers["x-request-id"].startswith("req_")
        document = json.loads(body)
        if status >= 400:
            assert set(document) == {"error"}, document
            assert {"code", "message"} <= set(document["error"])
    assert key[3:] not in data


# -- slow clients ----------------------------------------------------------------------------


def test_a_head_never_finished_is_answered_408_and_closed(impatient: EmulatorThread) -> None:
    """Slowloris: the request line and a header, then nothing."""
    with _connect(impatient) as sock:
        sock.sendall(b"GET /v1/account HTTP/1.1\r\nHost: x\r\n")
        data = _read_all(sock)  # returns once the emulator closed the connection
    envelope(only(data), 408, "request_timeout", "headers")


def test_a_head_sent_byte_by_byte_is_timed_from_its_first_byte(impatient: EmulatorThread) -> None:
    """More bytes do not buy more time: the deadline runs from the head's first byte, so the
    408 comes while the client is still trickling its head (at 100 bytes a second, 40 s)."""
    head = b"GET /v1/account HTTP/1.1\r\nX-Note: " + b"a" * 4000
    sent = 0
    with _connect(impatient) as sock:
        for byte in head:
            if select.select([sock], [], [], 0.01)[0]:
                break  # the emulator answered
            sock.sendall(bytes([byte]))
            sent += 1
        data = _read_all(sock)
    envelope(only(data), 408, "request_timeout")
    assert sent < len(head)


def test_a_client_that_connects_and_sends_nothing_is_disconnected(
    impatient: EmulatorThread,
) -> None:
    with _connect(impatient) as sock:
        assert _read_all(sock) == b""


@pytest.mark.parametrize(
    ("method", "path", "faults"),
    [
        ("PATCH", "/v1/dial-campaigns/{cid}", None),
        ("POST", "/v1/dial-campaigns/{cid}/data", None),
        ("POST", "/v1/dial-campaigns/{cid}/data", Faults(drop_before_rate=1.0)),
    ],
    ids=["PATCH status", "upload", "upload meeting a drop-before fault"],
)
def test_a_body_slower_than_the_timeout_is_answered_408_wherever_it_is_read(
    impatient: EmulatorThread, method: str, path: str, faults: Faults | None
) -> None:
    target = path.format(cid=impatient.emu.campaign_ids()[0])
    head = (
        f"{method} {target} HTTP/1.1\r\nHost: x\r\nX-API-Key: {impatient.emu.api_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    ).encode()
    impatient.set_faults(faults)
    try:
        with _connect(impatient) as sock:
            sock.sendall(head + b'{"status": "pa')
            data = _read_all(sock)
    finally:
        impatient.set_faults(None)
    response = only(data)
    envelope(response, 408, "request_timeout", "body")
    assert response[1]["connection"].lower() == "close"


def test_a_client_gone_before_its_body_is_read_is_no_server_error(
    server: EmulatorThread, caplog: pytest.LogCaptureFixture
) -> None:
    """A cancelled upload closes its connection while the handler waits (its latency) to
    read the body: nobody hears the answer, and the emulator does not log a traceback."""
    cid = server.emu.campaign_ids()[0]
    head = (
        f"POST /v1/dial-campaigns/{cid}/data HTTP/1.1\r\nHost: x\r\n"
        f"X-API-Key: {server.emu.api_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    ).encode()

    async def statuses() -> dict[int, int]:
        return dict(server.emu.counters.by_status)

    server.set_faults(Faults(latency=0.1))
    try:
        before = server.run(statuses)
        with caplog.at_level("DEBUG", logger="freestyle_async"), _connect(server) as sock:
            sock.sendall(head + b'{"records": [')
            sock.close()
            deadline = time.monotonic() + _WAIT
            while server.run(statuses) == before and time.monotonic() < deadline:
                time.sleep(0.01)  # polling for the handler to finish, not waiting on luck
    finally:
        server.set_faults(None)
    after = server.run(statuses)
    assert {s: n - before.get(s, 0) for s, n in after.items() if n != before.get(s, 0)} == {400: 1}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_an_idle_kept_alive_connection_is_not_timed(impatient: EmulatorThread) -> None:
    """The head timer runs while a head arrives, not between requests: a client may keep its
    connection idle in its pool for longer than the head timeout and use it again."""
    request = GET + b"X-API-Key: " + impatient.emu.api_key.encode() + b"\r\n\r\n"
    with _connect(impatient) as sock:
        sock.sendall(request)
        assert _answer(sock)[0] == 200
        time.sleep(0.5)  # idle for longer than the 0.2 s head timeout
        sock.sendall(request)
        assert _answer(sock)[0] == 200


@pytest.mark.parametrize("name", ["header_timeout", "body_timeout"])
@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "5"])
def test_timeouts_must_be_positive_seconds(name: str, value: Any) -> None:
    with pytest.raises(ValueError, match=name):
        Emulator(**{name: value})
