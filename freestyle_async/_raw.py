"""Raw responses: a call's HTTP status, headers, request id and elapsed time with its parsed
result (``fs.with_raw_response(fs.account.get)()``).

The transport tells a :func:`capture` opened around one call about the answer it decoded
(:func:`answered`); the wrapper pairs that answer with the call's result. The capture is a
context variable holding a list, so it follows the call into the tasks it starts, and into the
sync client's loop thread (which runs each call in a copy of the caller's context).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, Final, Generic, ParamSpec, TypeVar

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

from ._secrets import redact
from .errors import FreestyleError, ValidationError

__all__ = ["Answer", "RawResponse", "answered", "raw_async", "raw_sync"]

T = TypeVar("T")
P = ParamSpec("P")

_SINK: Final[ContextVar[list[Answer] | None]] = ContextVar("freestyle_raw_sink", default=None)
#: Methods that make many requests: refused before they run, so their result is not lost.
_MANY_REQUESTS: Final = frozenset({"upload_leads"})
_LIST_HINT: Final = (
    "For a list, wrap its first page: fs.with_raw_response(fs.dial_campaigns.list().first_page)()"
)


@attrs.frozen
class Answer:
    """What the transport saw of one answer it decoded."""

    status: int
    headers: CIMultiDictProxy[str] = attrs.field(repr=False)
    request_id: str | None
    elapsed: datetime.timedelta


@attrs.frozen
class RawResponse(Generic[T]):
    """A call's parsed result with the HTTP answer it came from.

    ``headers`` is read-only and case-insensitive (``headers["x-request-id"]``); each value is
    redacted (:func:`freestyle_async._secrets.redact`), so a server that echoes the key shows
    ``[REDACTED]``. ``elapsed`` is a :class:`datetime.timedelta`: from sending the request that
    answered to its body read (an earlier, retried attempt is not counted).
    """

    #: The HTTP status of the answer (2xx: an error status raises, as the plain call does).
    status: int
    #: The response headers, redacted, read-only.
    headers: Mapping[str, str] = attrs.field(repr=False)
    #: The ``X-Request-Id`` header (quote it to support), or ``None`` when absent.
    request_id: str | None
    #: The time from sending the request to reading its body.
    elapsed: datetime.timedelta
    #: The result the plain call returns.
    parsed: T

    def parse(self) -> T:
        """The result the plain call returns (``parsed``)."""
        return self.parsed


def answered(status: int, headers: Mapping[str, str], elapsed: float) -> None:
    """For the transport: an answer was decoded. A no-op unless a raw call is capturing."""
    sink = _SINK.get()
    if sink is None:
        return
    kept = CIMultiDictProxy(CIMultiDict((k, redact(v)) for k, v in headers.items()))
    request_id = kept.get("X-Request-Id")
    sink.append(Answer(status, kept, request_id, datetime.timedelta(seconds=elapsed)))


@contextlib.contextmanager
def _capture() -> Iterator[list[Answer]]:
    sink: list[Answer] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def _check(method: object) -> None:
    if not callable(method):
        raise ValidationError(
            f"with_raw_response takes a client method such as fs.account.get, "
            f"not {type(method).__name__}"
        )
    if getattr(method, "__name__", None) in _MANY_REQUESTS:
        raise FreestyleError(
            "with_raw_response cannot wrap upload_leads, which makes a request per chunk: "
            "each ChunkResult of its report holds its request_ids"
        )


def _pair(name: str, sink: list[Answer], parsed: T) -> RawResponse[T]:
    if len(sink) != 1:
        # Zero: the method sent nothing (or is a list method, whose paginator sends later).
        raise FreestyleError(
            f"with_raw_response({name}) needs a method that makes exactly one API call; "
            f"it made {len(sink)}. {_LIST_HINT}"
        )
    answer = sink[0]
    return RawResponse(answer.status, answer.headers, answer.request_id, answer.elapsed, parsed)


def _name(method: object) -> str:
    return getattr(method, "__qualname__", None) or type(method).__name__


def raw_async(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """``method`` returning a :class:`RawResponse` of its result (``AsyncFreestyle``)."""
    _check(method)

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with _capture() as sink:
            pending = method(*args, **kwargs)
            if not inspect.isawaitable(pending):
                raise FreestyleError(_not_one_call(_name(method), pending))
            parsed = await pending
        return _pair(_name(method), sink, parsed)

    return call


def raw_sync(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """``method`` returning a :class:`RawResponse` of its result (``Freestyle``)."""
    _check(method)

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with _capture() as sink:
            parsed = method(*args, **kwargs)
        return _pair(_name(method), sink, parsed)

    return call


def _not_one_call(name: str, value: Any) -> str:
    return (
        f"with_raw_response({name}) needs a method that makes one API call; it returned "
        f"{type(value).__name__}. {_LIST_HINT}"
    )
