"""Event hooks: what the transport tells a caller about each attempt, for metrics and tracing.

A client takes ``on_request``, ``on_response`` and ``on_retry`` callables. Each receives one
frozen record: :class:`RequestEvent` before an attempt is sent, :class:`ResponseEvent` when it
ends (with the HTTP status, or ``None`` when no answer came), and
:class:`~freestyle_async.RetryEvent` before the wait that precedes a retry. Records carry the
method and the path, never headers, the query or the body, so the API key cannot reach a hook;
the one header they carry is the server's ``X-Request-Id`` (``request_id``, redacted of the key
like all server text), on the events that follow an answer.

Hooks are plain functions called on the event loop: keep them quick (count, observe, enqueue).
A hook that raises does not break the call: the error is logged at WARNING on the
``freestyle_async`` logger, and the call goes on.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, Final

import attrs

from .errors import ValidationError

__all__ = ["EventHook", "Hooks", "RequestEvent", "ResponseEvent"]

logger: Final = logging.getLogger("freestyle_async")

EventHook = Callable[[Any], object]


@attrs.frozen
class RequestEvent:
    """An attempt is about to be sent. ``attempt`` is 1 for the first try of a call.

    It has no ``request_id``: the server names a request in its answer, which the
    :class:`ResponseEvent` of the same ``attempt`` carries.
    """

    method: str
    path: str
    attempt: int


@attrs.frozen
class ResponseEvent:
    """An attempt ended.

    ``status`` is the HTTP status, or ``None`` when no answer came (connection failure or
    timeout). ``error`` is the name of the exception the attempt raised (``"ServerError"``,
    ``"APITimeoutError"``, ``"DecodeError"`` ...), ``None`` when it succeeded. ``elapsed`` is in
    seconds, from sending to the end of the body (waits for client-side limits excluded).
    ``request_id`` is the answer's ``X-Request-Id`` header (redacted of the key), ``None`` when
    no answer came or it had none: quote it to the API's support, or put it on a span.
    """

    method: str
    path: str
    attempt: int
    status: int | None
    elapsed: float
    error: str | None = None
    request_id: str | None = None


for _cls in (RequestEvent, ResponseEvent):
    _cls.__module__ = "freestyle_async"


def _check_hook(name: str, hook: EventHook | None) -> EventHook | None:
    if hook is None:
        return None
    if not callable(hook):
        raise ValidationError(f"{name} must be a callable or None, got {hook!r}")
    if inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(
        getattr(hook, "__call__", None)  # noqa: B004 - an object whose __call__ is async
    ):
        raise ValidationError(
            f"{name} must be a plain function: hooks run on the event loop and are not "
            "awaited; to do async work, schedule it from the hook (loop.create_task)"
        )
    return hook


@attrs.frozen
class Hooks:
    """The hooks of one client configuration (``None`` ones are skipped)."""

    on_request: EventHook | None = None
    on_response: EventHook | None = None
    on_retry: EventHook | None = None

    @classmethod
    def build(
        cls,
        *,
        on_request: EventHook | None,
        on_response: EventHook | None,
        on_retry: EventHook | None,
    ) -> Hooks | None:
        """Checked hooks, or ``None`` when none is set (so the transport skips them at once)."""
        hooks = cls(
            on_request=_check_hook("on_request", on_request),
            on_response=_check_hook("on_response", on_response),
            on_retry=_check_hook("on_retry", on_retry),
        )
        if hooks.on_request is None and hooks.on_response is None and hooks.on_retry is None:
            return None
        return hooks


def emit(hook: EventHook | None, event: object) -> None:
    """Call ``hook(event)``; an exception from it is logged at WARNING, never raised."""
    if hook is None:
        return
    try:
        hook(event)
    except Exception as exc:
        logger.warning(
            "event hook %s raised %s: %s (ignored; the call goes on)",
            getattr(hook, "__qualname__", type(hook).__qualname__),
            type(exc).__name__,
            exc,
            exc_info=True,
        )
