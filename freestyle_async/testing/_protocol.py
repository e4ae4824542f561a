"""The HTTP connection layer under the emulator's app: requests aiohttp cannot parse get the
API's JSON error instead of aiohttp's text/plain page, and a client has ``header_timeout``
seconds to send a request's head (request line and headers).

aiohttp answers unparsable requests in ``RequestHandler.handle_error``, before any middleware
runs, and offers no public hook for it (aio-libs/aiohttp#3287), so :class:`EmulatorRunner`
serves its app through a :class:`~aiohttp.web.RequestHandler` subclass. The private parts of
aiohttp used here (``AppRunner._make_server``, ``Server._loop``/``_kwargs``, the handler's
``_request_count``/``_messages``/``_waiter`` and ``_ErrInfo``) are those its own code uses for
the same job; ``tests/emulator/test_bad_clients.py`` fails if they change. A 408 closes the
connection at once, where aiohttp would read on for 10 s what the slow client still sends.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage, BadStatusLine, InvalidURLError, LineTooLong
from aiohttp.streams import EMPTY_PAYLOAD, StreamReader
from aiohttp.web_protocol import _ErrInfo

from ._errors import ErrorAnswer, server_error
from ._middleware import error_response, new_request_id
from ._timeouts import DEFAULT_HEADER_TIMEOUT, check_timeout

__all__ = ["MAX_FIELD_SIZE", "MAX_HEADERS", "MAX_REQUEST_LINE", "EmulatorRunner"]

logger = logging.getLogger("freestyle_async.testing")

#: Limits of the request line (URL included) and of one header line, in bytes, and the number of
#: headers. The two byte limits differ so that a too-long line tells which it was (414 or 431).
MAX_REQUEST_LINE: Final = 16384
MAX_FIELD_SIZE: Final = 8190
MAX_HEADERS: Final = 128


class _HeadTimeout(Exception):
    """The client did not finish a request's head in time (queued like a parse error)."""


def _refusal(status: int, exc: BaseException | None) -> ErrorAnswer:
    """The API error answering a request aiohttp refused with ``status`` because of ``exc``.

    Code ``invalid_request``, the emulator's code for requests refused before any parameter is
    looked at (``invalid_parameter`` would send a reader looking for a parameter). The message
    names the problem, never the request's bytes (they may hold the key).
    """
    if isinstance(exc, _HeadTimeout):
        return ErrorAnswer(408, "request_timeout", str(exc), close=True)
    if status >= 500:
        return server_error(status, close=True)
    if isinstance(exc, LineTooLong):
        limit = exc.args[1] if len(exc.args) > 1 else None
        if limit == MAX_FIELD_SIZE:
            message = f"A request header line is longer than {MAX_FIELD_SIZE} bytes."
            return ErrorAnswer(431, "invalid_request", message, close=True)
        message = f"The request line is longer than {MAX_REQUEST_LINE} bytes."
        return ErrorAnswer(414, "invalid_request", message, close=True)
    if isinstance(exc, BadHttpMessage) and "Too many headers" in exc.message:
        message = f"The request has more than {MAX_HEADERS} header lines."
        return ErrorAnswer(431, "invalid_request", message, close=True)
    if isinstance(exc, BadStatusLine):  # a bad method, target or version, or not HTTP at all
        message = "The request line is malformed: expected METHOD /path HTTP/1.1."
    elif isinstance(exc, InvalidURLError):
        message = "The request target is not a valid URL."
    else:
        message = "The request is not valid HTTP/1.1 (malformed headers or body framing)."
    return ErrorAnswer(400, "invalid_request", message, close=True)


class _Protocol(web.RequestHandler):
    """aiohttp's request handler, answering refused requests with the API's JSON error and
    timing each request's head."""

    __slots__ = ("_body", "_head_started", "_head_timeout", "_head_timer")

    def __init__(
        self, manager: web.Server, *, header_timeout: float = DEFAULT_HEADER_TIMEOUT, **kwargs: Any
    ) -> None:
        super().__init__(manager, **kwargs)
        self._head_timeout = header_timeout
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_started = False  # bytes of a request's head arrived, the head is not complete
        self._body: StreamReader | None = None  # the body of the latest request

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # an answer is under way: aiohttp gives up on it
            return super().handle_error(request, status, exc, message)
        logger.debug("refused a request from %s: %s", request.remote, type(exc).__name__)
        response = error_response(_refusal(status, exc))
        response.headers["X-Request-Id"] = new_request_id()
        return response

    async def finish_response(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        sent = await super().finish_response(request, resp, start_time)
        if resp.status == 408:  # too slow to send its request: close now, not read on for 10 s
            self.force_close()
        return sent

    # -- the head timer ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        heads = self._request_count  # aiohttp counts each head parsed (or refused)
        super().data_received(data)
        if self._request_count != heads:
            self._stop_head_timer()
            self._head_started = False
            self._body = self._messages[-1][1] if self._messages else None
        elif data and (self._body is None or self._body.is_eof()):
            self._head_started = True
            if self._head_timer is None:
                self._start_head_timer()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def _start_head_timer(self) -> None:
        self._head_timer = self._loop.call_later(self._head_timeout, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._head_started:  # connected and sent nothing
            self.force_close()
            return
        # Queued as aiohttp queues a parse error: answered by handle_error, then closed.
        timeout = _HeadTimeout(
            f"The request line and headers were not received within {self._head_timeout:g} seconds."
        )
        self._messages.append((_ErrInfo(status=408, exc=timeout, message=""), EMPTY_PAYLOAD))
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        self.close()  # parse nothing more from this connection (the waiter is already done)


class _Server(web.Server):
    """aiohttp's low-level server, making :class:`_Protocol` connections."""

    def __call__(self) -> web.RequestHandler:
        return _Protocol(self, loop=self._loop, **self._kwargs)


class EmulatorRunner(web.AppRunner):
    """An :class:`~aiohttp.web.AppRunner` whose connections answer like the API even when
    aiohttp cannot parse a request, and time out a head not sent within ``header_timeout``."""

    def __init__(
        self, app: web.Application, *, header_timeout: float = DEFAULT_HEADER_TIMEOUT, **kwargs: Any
    ) -> None:
        super().__init__(
            app,
            header_timeout=check_timeout("header_timeout", header_timeout),
            max_line_size=MAX_REQUEST_LINE,
            max_field_size=MAX_FIELD_SIZE,
            max_headers=MAX_HEADERS,
            **kwargs,
        )

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()  # starts the app up and freezes it
        return _Server(
            server.request_handler,
            request_factory=server.request_factory,
            handler_cancellation=server.handler_cancellation,
            loop=server._loop,
            **server._kwargs,
        )
