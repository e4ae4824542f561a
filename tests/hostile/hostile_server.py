"""A loopback aiohttp.web server that misbehaves on purpose, one way per URL prefix.

Point a client at ``server.url("invalid-json")`` and every endpoint path below it answers the
same way. The modes:

========================  ==========================================================================
``ok``                    200, an empty valid page (``{"data": [], "meta": {...}}``)
``slow-ok``               the same after ``server.delay`` seconds (counts requests in flight)
``invalid-json``          200 ``application/json`` whose body is cut-off JSON
``truncated``             ``Content-Length`` larger than what is sent, then the connection closes
``html``                  200 ``text/html`` page (a captive portal)
``html-502``              502 ``text/html`` page (a proxy in front of the API)
``json-as-html``          a valid page served as ``text/html``
``text-as-json``          plain text served as ``application/json``
``wrong-shape``           valid JSON that is not the documented shape
``empty``                 200 with an empty body
``deep-json``             200, valid JSON nested ``deep_json_depth`` arrays deep
``huge``                  64 MB streamed chunked, forever-looking to a reader
``huge-declared``         ``Content-Length`` of 64 MB, then the same stream
``gzip-bomb``             a ~64 KB gzip body that inflates to 64 MB
``stall-headers``         the status line and headers, then silence
``stall``                 nothing at all: the request is read and never answered
``reset``                 headers and half a body, then a TCP reset (RST)
``close``                 the connection is closed without an answer
``status``                answers ``server.script`` = (status, body bytes, headers)
``queue``                 answers the next of ``server.queue``, then ``server.script``
``upload-ok``             after ``server.delay`` s, an upload summary counting the records sent
``always-503``            503 with a JSON error body, every time
``echo-key-401``          401 whose JSON message, and a plain-text twin, quote the X-API-Key sent
``echo-key-200``          200 non-JSON text that quotes the X-API-Key sent
``echo``                  answers ``server.echo(key)`` = (status, body bytes, headers), ``key``
                          being the X-API-Key the request carried
========================  ==========================================================================

Everything it serves comes from memory it already holds (the 64 MB modes send one chunk
again and again), so the server side never grows with what it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import socket
import struct
from collections import Counter, deque
from collections.abc import Callable
from types import TracebackType
from typing import Any, Final

from aiohttp import web

__all__ = ["EMPTY_PAGE", "HUGE_BYTES", "HostileServer"]

HUGE_BYTES: Final = 64 * 1024 * 1024
_CHUNK: Final = b"[" + b"0," * (32 * 1024 - 1) + b"0"  # 64 KiB of something JSON-ish
EMPTY_PAGE: Final = {"data": [], "meta": {"page": 1, "per_page": 25, "total": 0, "total_pages": 0}}
_EMPTY_PAGE_BYTES: Final = json.dumps(EMPTY_PAGE).encode()
_HTML: Final = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>The upstream server is unavailable.</p></body></html>"
)


@functools.cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b"0" * HUGE_BYTES, compresslevel=9)


class HostileServer:
    """``async with HostileServer() as server:`` serves on ``127.0.0.1`` and a free port.

    Pass ``ssl_context`` to serve HTTPS. Counters: ``hits`` (requests per mode),
    ``in_flight``/``max_in_flight``, ``bytes_sent`` (per mode, body bytes written),
    and ``arrivals`` (loop-clock times at which requests arrived).
    """

    def __init__(self, *, ssl_context: Any = None, delay: float = 0.05) -> None:
        self.ssl_context = ssl_context
        self.delay = delay
        self.deep_json_depth = 1000
        self.script: tuple[int, bytes, dict[str, str]] = (200, _EMPTY_PAGE_BYTES, {})
        self.queue: deque[tuple[int, bytes, dict[str, str]]] = deque()
        self.echo: Callable[[str], tuple[int, bytes, dict[str, str]]] = lambda key: self.script
        self.hits: Counter[str] = Counter()
        self.bytes_sent: Counter[str] = Counter()
        self.arrivals: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> HostileServer:
        app = web.Application()
        app.router.add_route("*", "/{mode}/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self.ssl_context)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def port(self) -> int:
        return self._port

    def url(self, mode: str) -> str:
        """The base URL whose every path answers in ``mode``."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self._port}/{mode}"

    # -- handlers ----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        mode = request.match_info["mode"]
        handler = getattr(self, "_mode_" + mode.replace("-", "_"), None)
        if handler is None:
            return web.Response(status=404, text=f"no such mode {mode!r}")
        await request.read()
        self.hits[mode] += 1
        self.arrivals.append(asyncio.get_running_loop().time())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            response: web.StreamResponse = await handler(request)
            return response
        finally:
            self.in_flight -= 1

    def _json(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "application/json",
        mode: str = "",
    ) -> web.Response:
        self.bytes_sent[mode] += len(body)
        return web.Response(status=status, body=body, headers={"Content-Type": content_type})

    async def _mode_ok(self, request: web.Request) -> web.StreamResponse:
        return self._json(_EMPTY_PAGE_BYTES, mode="ok")

    async def _mode_slow_ok(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(self.delay)
        return self._json(_EMPTY_PAGE_BYTES, mode="slow-ok")

    async def _mode_invalid_json(self, request: web.Request) -> web.StreamResponse:
        return self._json(b'{"data": [{"id": "c_1", "name": ', mode="invalid-json")

    async def _mode_html(self, request: web.Request) -> web.StreamResponse:
        return self._json(_HTML, content_type="text/html", mode="html")

    async def _mode_html_502(self, request: web.Request) -> web.StreamResponse:
        return self._json(_HTML, status=502, content_type="text/html", mode="html-502")

    async def _mode_json_as_html(self, request: web.Request) -> web.StreamResponse:
        return self._json(_EMPTY_PAGE_BYTES, content_type="text/html", mode="json-as-html")

    async def _mode_text_as_json(self, request: web.Request) -> web.StreamResponse:
        return self._json(b"Service temporarily unavailable, try later", mode="text-as-json")

    async def _mode_wrong_shape(self, request: web.Request) -> web.StreamResponse:
        body = {"data": [{"id": 42, "name": None}], "meta": {"page": "one"}}
        return self._json(json.dumps(body).encode(), mode="wrong-shape")

    async def _mode_empty(self, request: web.Request) -> web.StreamResponse:
        return self._json(b"", mode="empty")

    async def _mode_deep_json(self, request: web.Request) -> web.StreamResponse:
        depth = self.deep_json_depth
        return self._json(b"[" * depth + b"]" * depth, mode="deep-json")

    async def _mode_status(self, request: web.Request) -> web.StreamResponse:
        status, body, headers = self.script
        self.bytes_sent["status"] += len(body)
        return web.Response(status=status, body=body, headers=headers)

    async def _mode_queue(self, request: web.Request) -> web.StreamResponse:
        status, body, headers = self.queue.popleft() if self.queue else self.script
        self.bytes_sent["queue"] += len(body)
        return web.Response(status=status, body=body, headers=headers)

    async def _mode_echo(self, request: web.Request) -> web.StreamResponse:
        status, body, headers = self.echo(request.headers.get("X-API-Key", ""))
        self.bytes_sent["echo"] += len(body)
        return web.Response(status=status, body=body, headers=headers)

    async def _mode_upload_ok(self, request: web.Request) -> web.StreamResponse:
        records = json.loads(await request.read())["records"]
        await asyncio.sleep(self.delay)
        body = {"inserted": len(records), "skipped": 0, "total_leads": len(records)}
        return self._json(json.dumps(body).encode(), mode="upload-ok")

    async def _mode_always_503(self, request: web.Request) -> web.StreamResponse:
        body = b'{"error": {"code": "server_error", "message": "overloaded"}}'
        return self._json(body, status=503, mode="always-503")

    async def _mode_echo_key_401(self, request: web.Request) -> web.StreamResponse:
        key = request.headers.get("X-API-Key", "")
        body = {"error": {"code": "unauthorized", "message": f"Invalid API key {key!r}"}}
        return self._json(json.dumps(body).encode(), status=401, mode="echo-key-401")

    async def _mode_echo_key_200(self, request: web.Request) -> web.StreamResponse:
        key = request.headers.get("X-API-Key", "")
        return self._json(f"hello {key}".encode(), content_type="text/plain", mode="echo-key-200")

    async def _stream(
        self, request: web.Request, mode: str, *, declared: bool
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if declared:
            response.content_length = HUGE_BYTES
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            while self.bytes_sent[mode] < HUGE_BYTES and not self._closing.is_set():
                await response.write(_CHUNK)
                self.bytes_sent[mode] += len(_CHUNK)
        except (ConnectionError, RuntimeError):
            pass  # the client stopped reading and closed the connection: what we expect
        return response

    async def _mode_huge(self, request: web.Request) -> web.StreamResponse:
        return await self._stream(request, "huge", declared=False)

    async def _mode_huge_declared(self, request: web.Request) -> web.StreamResponse:
        return await self._stream(request, "huge-declared", declared=True)

    async def _mode_gzip_bomb(self, request: web.Request) -> web.StreamResponse:
        bomb = _gzip_bomb()
        self.bytes_sent["gzip-bomb"] += len(bomb)
        return web.Response(
            body=bomb,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    async def _until_client_leaves(self, request: web.Request) -> None:
        """Hold the handler until the client closes the connection or the server stops."""
        transport = request.transport
        while transport is not None and not transport.is_closing() and not self._closing.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), 0.02)

    async def _mode_stall_headers(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = 1000
        await response.prepare(request)
        await self._until_client_leaves(request)
        return response

    async def _mode_stall(self, request: web.Request) -> web.StreamResponse:
        await self._until_client_leaves(request)
        return web.Response(status=204)

    async def _partial_then(
        self, request: web.Request, mode: str, *, reset: bool
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = 10_000
        await response.prepare(request)
        part = _EMPTY_PAGE_BYTES[: len(_EMPTY_PAGE_BYTES) // 2]
        await response.write(part)
        self.bytes_sent[mode] += len(part)
        transport = request.transport
        assert transport is not None
        if reset:
            sock = transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()  # close with linger 0: the kernel sends RST
        else:
            transport.close()
        return response

    async def _mode_truncated(self, request: web.Request) -> web.StreamResponse:
        return await self._partial_then(request, "truncated", reset=False)

    async def _mode_reset(self, request: web.Request) -> web.StreamResponse:
        return await self._partial_then(request, "reset", reset=True)

    async def _mode_close(self, request: web.Request) -> web.StreamResponse:
        transport = request.transport
        assert transport is not None
        transport.close()
        return web.Response(status=204)
