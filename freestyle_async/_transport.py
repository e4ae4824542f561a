"""The one place that does HTTP: the aiohttp session, auth headers, timeouts, retries and the
mapping of every failure to a :mod:`freestyle_async.errors` exception."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import platform
import re
import ssl
import time
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any, Final

import aiohttp
import attrs

from . import _json
from ._config import Proxy, Timeout
from ._extras import EMPTY, Pairs
from ._hooks import Hooks, RequestEvent, ResponseEvent, emit
from ._limits import RequestGate, RetryBudget, RetryTokens
from ._raw import answered
from ._retry import RetryEvent, RetryPolicy, is_retryable, parse_retry_after, retrying
from ._secrets import KeyHolder, redact
from ._terminal import show_controls
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    DecodeError,
    FreestyleError,
    error_class_for_status,
)

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "RequestConfig", "Transport", "user_agent"]

logger: Final = logging.getLogger("freestyle_async")

DEFAULT_MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
DEFAULT_MAX_CONNECTIONS: Final = 100
_JSON_CONTENT: Final = {"Content-Type": "application/json"}
_NO_GATE: Final = contextlib.nullcontext()
# How early an event loop may run a timer against its own clock: uvloop (libuv) keeps whole
# milliseconds and rounds the delay, so a timer set for the deadline can fire while
# loop.time() still reads up to about 1.5 ms before it.
_TIMER_SLOP: Final = 0.01
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
# A URL's userinfo and query string, in text from a library: aiohttp quotes the request URL in
# its exceptions, and the query holds default_query / extra_query values, which may be secrets.
_URL_USERINFO: Final = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@'\"<>]*@")
_URL_QUERY: Final = re.compile(r"(?<=\S)\?[^\s'\"<>]+")
_LIBRARY_TEXT_LIMIT: Final = 500
_OTHER_LOOP: Final = (
    "this AsyncFreestyle (its aiohttp session, its rate limits) belongs to another event "
    "loop than the one running this call (an earlier asyncio.run(), another thread): an "
    "AsyncFreestyle serves the one "
    "event loop it was first used on. Create one client per event loop, inside it (in the "
    "coroutine that asyncio.run() runs, with `async with AsyncFreestyle(...)`), or use the sync "
    "Freestyle from threads"
)


def user_agent() -> str:
    """``freestyle-async/<version> Python/<version> aiohttp/<version>``."""
    return (
        f"freestyle-async/{__version__} Python/{platform.python_version()} "
        f"aiohttp/{aiohttp.__version__}"
    )


@attrs.frozen
class RequestConfig(KeyHolder):
    """What one client sends with every call. The key lives only in ``headers`` (no repr),
    and the object refuses pickling and copying (:class:`KeyHolder`)."""

    base_url: str
    headers: dict[str, str] = attrs.field(repr=False)
    timeout: Timeout
    max_retries: int
    retry_policy: RetryPolicy
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    hooks: Hooks | None = None
    #: The client's ``default_query``, merged into each call's query by the resources.
    default_query: Pairs = EMPTY
    #: The forward proxy requests go through (``proxy_for_url``), or ``None``.
    proxy: Proxy | None = None


class Transport(KeyHolder):
    """Owns (or borrows) one aiohttp session with a bounded connection pool.

    Clients made by ``with_options`` share one Transport, so they share the pool, the retry
    budget and the client-side limits (``gate``).
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        ssl_context: ssl.SSLContext | None = None,
        retry_budget: RetryBudget | None = None,
        gate: RequestGate | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] | None = None,
    ) -> None:
        self._trace_configs = None if trace_configs is None else list(trace_configs)
        self._retry_tokens = None if retry_budget is None else RetryTokens(retry_budget)
        self._gate = gate
        self._session = session
        self._owns_session = session is None
        self._max_connections = max_connections
        self._ssl: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True
        self._closed = False
        # The event loop of the first call: the session, the gate's lock and every timer
        # belong to it (see _serve_on).
        # A session of the caller's belongs to its loop already: that loop is the client's.
        self._loop: asyncio.AbstractEventLoop | None = (
            None if session is None else getattr(session, "_loop", None)
        )
        # Timeout -> aiohttp timeouts of (a first attempt, a retry); see _client_timeout.
        self._client_timeouts: dict[Timeout, tuple[aiohttp.ClientTimeout, ...]] = {}

    @property
    def closed(self) -> bool:
        return self._closed

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise FreestyleError("this client is closed: create a new AsyncFreestyle")
        session = self._session
        if session is None:  # made on the loop request() took as the client's (_serve_on)
            connector = aiohttp.TCPConnector(limit=self._max_connections, ssl=self._ssl)
            session = aiohttp.ClientSession(
                connector=connector, raise_for_status=False, trace_configs=self._trace_configs
            )
            # aiohttp resends a GET once, silently, when the server drops the connection;
            # retries belong to the retry policy alone, so max_retries bounds every resend.
            if hasattr(session, "_retry_connection"):
                session._retry_connection = False
            self._session = session
        return session

    def _serve_on(self, loop: asyncio.AbstractEventLoop) -> None:
        """Take ``loop`` as the client's on its first call; refuse it on a later one, before
        the client-side gate (whose lock belongs to the first loop) is touched."""
        if self._loop is not None:
            raise FreestyleError(_OTHER_LOOP)
        self._loop = loop

    async def aclose(self) -> None:
        """Close the session if this transport made it; safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

    def _client_timeout(self, timeout: Timeout, *, first: bool) -> aiohttp.ClientTimeout:
        """The aiohttp timeout of one attempt.

        The first attempt starts when the call does, so the call's whole deadline is aiohttp's
        own ``total`` timer (cheaper than ``asyncio.timeout_at``, which only retries pay for).
        On that attempt a read timeout no shorter than the total could never fire first, so
        aiohttp's per-read timer is left off. ``ceil_threshold=inf`` keeps aiohttp from
        rounding deadlines up to a whole second.
        """
        pair = self._client_timeouts.get(timeout)
        if pair is None:
            total, read = timeout.total, timeout.read
            first_read = None if total is not None and read is not None and read >= total else read
            pair = tuple(
                aiohttp.ClientTimeout(
                    total=attempt_total,
                    sock_connect=timeout.connect,
                    sock_read=attempt_read,
                    ceil_threshold=math.inf,
                )
                for attempt_total, attempt_read in ((total, first_read), (None, read))
            )
            self._client_timeouts[timeout] = pair
        return pair[0 if first else 1]

    async def request(
        self,
        config: RequestConfig,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes | None = None,
        idempotent: bool = True,
    ) -> Any:
        """Send one API call (with retries) and return its decoded JSON body."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._serve_on(loop)
        total = config.timeout.total
        deadline = None if total is None else loop.time() + total
        first_failure: FreestyleError | None = None
        # With hooks: [the request id of the last attempt's answer], for the on_retry event.
        answered: list[str | None] | None = None
        try:
            try:
                if self._gate is None and config.hooks is None:
                    # The hot path. aiohttp's total timer holds the first attempt to the
                    # deadline (see _client_timeout); it raises a bare TimeoutError when the
                    # deadline passes.
                    result = await self._attempt(config, method, path, query, body, 1, deadline)
                else:
                    # Waits for the gate count against the deadline: timeout_at covers them.
                    answered = None if config.hooks is None else [None]
                    async with asyncio.timeout_at(deadline):
                        result = await self._observed_attempt(
                            config, method, path, query, body, 1, deadline, answered
                        )
            except FreestyleError as exc:
                if config.max_retries <= 0 or not is_retryable(exc, idempotent=idempotent):
                    raise
                first_failure = exc
            if first_failure is not None:
                # Only a failed first attempt pays for tenacity's machinery and timeout_at.
                async with asyncio.timeout_at(deadline):
                    attempt_number = 1
                    async for attempt in retrying(
                        policy=config.retry_policy,
                        max_retries=config.max_retries,
                        idempotent=idempotent,
                        deadline=deadline,
                        on_retry=lambda n, wait, exc: _announce_retry(
                            method, path, n, wait, exc, config, answered
                        ),
                        budget=self._retry_tokens,
                    ):
                        with attempt:
                            if first_failure is not None:
                                failure, first_failure = first_failure, None
                                raise failure
                            attempt_number += 1
                            result = await self._observed_attempt(
                                config,
                                method,
                                path,
                                query,
                                body,
                                attempt_number,
                                deadline,
                                answered,
                            )
            if self._retry_tokens is not None:
                self._retry_tokens.refund()
            return result
        except TimeoutError:
            pass
        # Raised outside the except block, so without a __context__: the TimeoutError's
        # traceback runs through aiohttp's frames, whose locals hold the request headers.
        raise APITimeoutError(
            f"{method} {path}: no complete answer within the total timeout of {total} s "
            "(retries included)"
        )

    async def _observed_attempt(
        self,
        config: RequestConfig,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        attempt: int,
        deadline: float | None,
        answered: list[str | None] | None = None,
    ) -> Any:
        """One attempt through the client-side limits and the event hooks, always under the
        caller's ``asyncio.timeout_at(deadline)`` (which also bounds the wait at the gate).
        ``answered[0]`` is set to the request id of the answer (``None`` without one)."""
        hooks = config.hooks
        async with self._gate or _NO_GATE:
            if hooks is None:
                return await self._attempt(config, method, path, query, body, attempt, None)
            status: int | None = None
            request_id: str | None = None
            if answered is not None:
                answered[0] = None

            def seen(value: int, server_id: str | None) -> None:
                nonlocal status, request_id
                status = value
                request_id = None if server_id is None else redact(server_id)
                if answered is not None:
                    answered[0] = request_id

            emit(hooks.on_request, RequestEvent(method, path, attempt))
            loop = asyncio.get_running_loop()
            started = time.perf_counter()  # as in _exchange
            try:
                result = await self._attempt(
                    config, method, path, query, body, attempt, None, observe=seen
                )
            except BaseException as exc:
                if isinstance(exc, asyncio.CancelledError):
                    past = _deadline_reached(loop, deadline)
                    error = "APITimeoutError" if past else "CancelledError"
                else:
                    error = type(exc).__name__
                elapsed = time.perf_counter() - started
                emit(
                    hooks.on_response,
                    ResponseEvent(method, path, attempt, status, elapsed, error, request_id),
                )
                raise
            elapsed = time.perf_counter() - started
            emit(
                hooks.on_response,
                ResponseEvent(method, path, attempt, status, elapsed, None, request_id),
            )
            return result

    async def _attempt(
        self,
        config: RequestConfig,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        attempt: int,
        deadline: float | None,
        *,
        observe: Callable[[int, str | None], None] | None = None,
    ) -> Any:
        """One HTTP exchange. ``deadline`` is given to the first attempt only: it then runs
        under aiohttp's total timer rather than the caller's ``asyncio.timeout_at``.
        ``observe`` is told the status and the ``X-Request-Id`` header as soon as they are
        known (for the event hooks).

        Every failure is raised from here, outside any ``except`` block and with a fresh
        traceback: the frames below (aiohttp's, :meth:`_exchange`'s) hold the request headers
        and the raw response in their locals, and an error reporter that shows a traceback's
        locals must not find the key there."""
        loop = asyncio.get_running_loop()
        failure: FreestyleError  # set by every except clause below
        passed: FreestyleError | None = None  # a failure _exchange raised itself
        try:
            return await self._exchange(
                config, method, path, query, body, attempt, deadline, observe
            )
        except FreestyleError as exc:
            failure = passed = exc.with_traceback(None)
        except aiohttp.ClientHttpProxyError as exc:
            assert config.proxy is not None
            failure = _proxy_refused(method, path, config.proxy, exc.status, "the tunnel")
        except aiohttp.ClientProxyConnectionError as exc:
            assert config.proxy is not None
            failure = APIConnectionError(
                f"{method} {path}: cannot connect to the proxy {config.proxy.url}: "
                f"{_library_text(exc.os_error)}",
                request_sent=False,
            )
        except aiohttp.ClientConnectorCertificateError as exc:
            failure = APIConnectionError(
                f"{method} {path}: TLS certificate verification failed for "
                f"{exc.host}:{exc.port}: {_library_text(exc.certificate_error)}",
                request_sent=False,
                transient=False,
            )
        except aiohttp.ClientSSLError as exc:
            failure = APIConnectionError(
                f"{method} {path}: TLS handshake failed: {_library_text(exc)}",
                request_sent=False,
                transient=False,
            )
        except aiohttp.ClientConnectorError as exc:
            failure = APIConnectionError(
                f"{method} {path}: cannot connect to {exc.host}:{exc.port}: "
                f"{_library_text(exc.os_error)}",
                request_sent=False,
            )
        except TimeoutError as exc:
            # By the clock, not by type: aiohttp's total timer raises a bare TimeoutError, but
            # so may a client middleware on the user's session, long before the deadline.
            if _deadline_reached(loop, deadline):
                raise  # the call's deadline, which request() reports
            if isinstance(exc, aiohttp.ConnectionTimeoutError):
                failure = APITimeoutError(
                    f"{method} {path}: connect timed out after {config.timeout.connect} s",
                    request_sent=False,
                )
            else:
                failure = APITimeoutError(
                    f"{method} {path}: the server sent nothing for {config.timeout.read} s "
                    "(read timeout)"
                )
        except aiohttp.ServerDisconnectedError:
            failure = APIConnectionError(
                f"{method} {path}: the server closed the connection without a complete answer"
            )
        except aiohttp.ClientPayloadError as exc:
            failure = APIConnectionError(
                f"{method} {path}: the response body was cut off or malformed: {_library_text(exc)}"
            )
        except aiohttp.ClientResponseError as exc:
            # aiohttp's own, while parsing the answer (a bad chunk size or Content-Length, too
            # many headers, an unsupported Content-Encoding): its str() reads like an HTTP 400
            # from the server ("400, message=..., url=...") and quotes the URL.
            failure = APIConnectionError(
                f"{method} {path}: the response could not be read: {_library_text(exc.message)}"
            )
        except (aiohttp.ClientError, OSError) as exc:
            failure = APIConnectionError(
                f"{method} {path}: connection failed: {type(exc).__name__}: {_library_text(exc)}"
            )
        except Exception as exc:
            # Anything else from the exchange (a RuntimeError from asyncio or aiohttp, an
            # OverflowError...) is a bug or a misuse that a retry cannot mend; raised like the
            # others, without the frames below. (CancelledError and KeyboardInterrupt are not
            # Exceptions: they pass through as they are.)
            failure = APIConnectionError(
                f"{method} {path}: the request failed: {type(exc).__name__}: {_library_text(exc)}",
                transient=False,
            )
        if config.proxy is not None and failure is not passed:
            failure = _through_proxy(failure, config.proxy)
        raise failure

    async def _exchange(
        self,
        config: RequestConfig,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        attempt: int,
        deadline: float | None,
        observe: Callable[[int, str | None], None] | None,
    ) -> Any:
        """Send the request and read the answer: its decoded JSON, or raise what it means."""
        session = self._get_session()
        url = config.base_url + path + ("?" + query if query else "")
        # perf_counter, not loop.time(): uvloop's clock keeps whole milliseconds, and a
        # loopback answer would then often take "0 ms".
        started = time.perf_counter()
        async with session.request(
            method,
            url,
            data=body,
            headers=config.headers if body is None else {**config.headers, **_JSON_CONTENT},
            timeout=self._client_timeout(config.timeout, first=deadline is not None),
            allow_redirects=False,
            raise_for_status=False,  # a session=... made with True must not turn 404s into noise
            proxy=None if config.proxy is None else config.proxy.aiohttp_url,
        ) as resp:
            if observe is not None:
                observe(resp.status, resp.headers.get("X-Request-Id"))
            raw = await _read_capped(resp, config.max_response_bytes, method, path)
            status = resp.status
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d)",
                method,
                path,
                status,
                (time.perf_counter() - started) * 1000,
                attempt,
            )
        undecodable: str | None = None
        if status < 300:
            try:
                value = _json.loads_exact(raw)  # money keeps the digits it came with
            except (ValueError, RecursionError) as exc:  # RecursionError: stdlib, deep nesting
                undecodable = _undecodable(exc)
            else:
                # A raw call (with_raw_response) keeps the status, headers and time.
                answered(status, resp.headers, time.perf_counter() - started)
                # No endpoint answers a bare string: decoding will fail and quote it, and
                # the frames on the way hold it. (Decoding redacts objects in place.)
                return redact(value) if isinstance(value, str) else value
        if status == HTTPStatus.PROXY_AUTHENTICATION_REQUIRED and config.proxy is not None:
            raise _proxy_refused(method, path, config.proxy, status, "the request")
        if status >= 300:  # redirects are not followed: a 3xx is an error too
            raise _status_error(method, path, status, resp.headers, raw)
        what = "a body that is not JSON" if undecodable is None else undecodable
        raise DecodeError(
            f"{method} {path}: HTTP {status} with {what}: {_snippet(raw)}",
            endpoint=f"{method} {path}",
        )


async def _read_capped(resp: aiohttp.ClientResponse, limit: int, method: str, path: str) -> bytes:
    """The whole body, refusing to hold more than ``limit`` bytes of it."""
    length = resp.content_length
    if length is not None and length > limit:
        raise DecodeError(
            f"{method} {path}: response body of {length} bytes exceeds max_response_bytes={limit}",
            endpoint=f"{method} {path}",
        )
    if length is not None and "Content-Encoding" not in resp.headers:
        return await resp.read()
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_any():
        size += len(chunk)
        if size > limit:
            resp.close()
            raise DecodeError(
                f"{method} {path}: response body exceeds max_response_bytes={limit}",
                endpoint=f"{method} {path}",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _undecodable(exc: ValueError | RecursionError) -> str | None:
    """What makes valid JSON undecodable for :func:`_json.loads_exact`, or ``None`` when the
    text is simply not JSON: the recursion limit, the int digit limit, an exponent beyond a
    Decimal's."""
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to decode"
    if "integer string conversion" in str(exc):
        return "a number too long to decode"
    if "exponent too large" in str(exc):
        return "a number too large to decode"
    return None


def _library_text(value: object) -> str:
    """A library's exception (or text) for a message: control characters shown, no URL
    query string or userinfo, at most a few hundred characters."""
    text = _SPACES.sub(" ", show_controls(str(value))).strip()
    text = _URL_QUERY.sub("?…", _URL_USERINFO.sub(r"\1", text))
    if len(text) > _LIBRARY_TEXT_LIMIT:
        text = text[:_LIBRARY_TEXT_LIMIT] + "… (cut)"
    return text


def _snippet(raw: bytes, limit: int = 200) -> str:
    """The start of a body for a message: redacted first, so the cut cannot split the key."""
    text = redact(raw.decode("utf-8", "replace"))
    text = _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()
    if not text:
        return "(empty body)"
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _status_error(method: str, path: str, status: int, headers: Any, raw: bytes) -> APIError:
    """Build the exception for an error status from the ``{"error": {...}}`` body, or from
    the status alone when the body is not the API's JSON (a proxy's HTML page). The exception
    redacts the key from what it is given (:mod:`freestyle_async.errors`)."""
    code: str | None = None
    message: str | None = None
    body: Any = None
    undecodable: str | None = None
    try:
        body = _json.loads_exact(raw) if raw else None  # as a 2xx body: one reading of JSON
    except (ValueError, RecursionError) as exc:
        undecodable = _undecodable(exc)
        body = raw.decode("utf-8", "replace")
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        code = err.get("code") if isinstance(err.get("code"), str) else None
        message = err.get("message") if isinstance(err.get("message"), str) else None
    if message is None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "error"
        if undecodable is None:
            message = f"{phrase} from {method} {path}; body: {_snippet(raw)}"
        else:
            message = (
                f"{phrase} from {method} {path}; the body could not be decoded "
                f"({undecodable}): {_snippet(raw)}"
            )
    if status < 400:
        location = headers.get("Location")
        message += (
            f"; redirected to {redact(location)!r}" if location else ""
        ) + " (the API does not redirect: check base_url)"
    return error_class_for_status(status)(
        message,
        status=status,
        code=code,
        request_id=headers.get("X-Request-Id"),
        body=body,
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )


def _proxy_refused(
    method: str, path: str, proxy: Proxy, status: int, what: str
) -> APIConnectionError:
    """The error for a proxy that answered ``status`` instead of forwarding ``what``. Its
    own words are not quoted (a proxy is not the API, and may echo what it was sent)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    hint = " (check the proxy's user and password)" if status == 407 else ""
    return APIConnectionError(
        f"{method} {path}: the proxy {proxy.url} refused {what}: HTTP {status} {phrase}{hint}",
        request_sent=False,
        transient=status >= 500,
    )


def _through_proxy(failure: FreestyleError, proxy: Proxy) -> FreestyleError:
    """``failure`` saying which proxy the request went through (a connection error may be
    the proxy's or the server's beyond it)."""
    if not isinstance(failure, APIConnectionError) or proxy.url in failure.message:
        return failure
    return type(failure)(
        f"{failure.message} (through the proxy {proxy.url})",
        request_sent=failure.request_sent,
        transient=failure.transient,
    )


def _announce_retry(
    method: str,
    path: str,
    attempt: int,
    wait: float,
    exc: BaseException,
    config: RequestConfig,
    answered: list[str | None] | None,
) -> None:
    """Before a retry sleeps: one DEBUG line, and the ``on_retry`` hook (given the request id
    of the failed attempt's answer, ``answered[0]``)."""
    logger.debug(
        "retrying %s %s in %.2f s after %s (attempt %d of %d)",
        method,
        path,
        wait,
        _describe(exc),
        attempt,
        config.max_retries + 1,
    )
    if config.hooks is not None:
        request_id = answered[0] if answered else None
        emit(config.hooks.on_retry, RetryEvent(method, path, attempt, wait, exc, request_id))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, APIError):
        return f"HTTP {exc.status}"
    return type(exc).__name__


def _deadline_reached(loop: asyncio.AbstractEventLoop, deadline: float | None) -> bool:
    """Whether a timer set for ``deadline`` on ``loop``'s clock can have fired by now."""
    return deadline is not None and loop.time() >= deadline - _TIMER_SLOP
