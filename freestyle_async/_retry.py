"""The retry policy: what is retried, how long to wait, and when to give up.

Three small functions decide everything (:func:`is_retryable`, :func:`parse_retry_after`,
:func:`next_wait`), testable without HTTP; :func:`retrying` wires them into tenacity. The
transport enters that loop only after a first attempt has failed, so the success path pays
nothing for it.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import inspect
import math
import re
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any, Final, cast

import attrs
import tenacity as _t

from ._limits import RetryTokens
from ._params import finite_number, shown
from .errors import APIConnectionError, APIError, ValidationError

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryEvent",
    "RetryPolicy",
    "is_retryable",
    "nap",
    "next_wait",
    "not_processed",
    "parse_retry_after",
    "retrying",
]

RETRYABLE_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})
#: RFC 9110's delta-seconds (ASCII digits), with a fraction as some servers (and the
#: emulator) send.
_DELTA_SECONDS: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)

SleepFn = Callable[[float], Awaitable[None]]


def _seconds(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not finite_number(value) or value < 0:  # type: ignore[operator]
        raise ValidationError(
            f"RetryPolicy.{attribute.name} must be a finite number of seconds >= 0, "
            f"got {shown(value)}"
        )


def _sleep(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A built-in (time.sleep) is never async; a Python function may return a coroutine
    # without being one (lambda s: asyncio.sleep(s)), so nap() checks what it returns.
    if not callable(value) or inspect.isbuiltin(value):
        raise ValidationError(
            "RetryPolicy.sleep must be an async function taking seconds (such as "
            f"asyncio.sleep), got {shown(value)}"
        )


async def nap(sleep: Callable[[float], Awaitable[object]], seconds: float) -> None:
    """``await sleep(seconds)`` for a :class:`RetryPolicy`'s ``sleep``, refusing one that
    returns no awaitable (a blocking ``sleep`` that slipped past the policy's check)."""
    pending = sleep(seconds)
    if not inspect.isawaitable(pending):
        raise ValidationError(
            "RetryPolicy.sleep must be an async function taking seconds (such as "
            f"asyncio.sleep): it returned {shown(pending)}, not an awaitable"
        )
    await pending


@attrs.frozen
class RetryPolicy:
    """How failed calls are retried.

    Waits grow exponentially from ``initial_backoff`` with full jitter (a random wait between 0
    and ``min(max_backoff, initial_backoff * 2**n)``). A server's ``Retry-After`` replaces the
    jittered wait; one longer than ``max_retry_after`` is not waited: the call raises
    :class:`RateLimitError` (or the status error) carrying the server's value. ``sleep`` is the
    coroutine used to wait, replaceable in tests.
    """

    initial_backoff: float = attrs.field(default=0.5, validator=_seconds)
    max_backoff: float = attrs.field(default=8.0, validator=_seconds)
    max_retry_after: float = attrs.field(default=60.0, validator=_seconds)
    sleep: SleepFn = attrs.field(default=asyncio.sleep, eq=False, repr=False, validator=_sleep)


DEFAULT_RETRY_POLICY: Final = RetryPolicy()
RetryPolicy.__module__ = "freestyle_async"


@attrs.frozen
class RetryEvent:
    """Announced before each retry sleeps: what failed, which attempt comes next, the wait.

    ``request_id`` is the ``X-Request-Id`` of the failed attempt's answer (redacted of the key),
    ``None`` when no answer came or it had none.
    """

    method: str
    path: str
    attempt: int
    wait: float
    cause: BaseException
    request_id: str | None = None


def is_retryable(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether a failed attempt may be repeated.

    Connection errors and 408/429/5xx-gateway statuses are retried for idempotent requests.
    A non-idempotent request (the upload POST) is repeated only when :func:`not_processed`
    proves the server did not act on it.
    """
    if not idempotent:
        return not_processed(exc)
    if isinstance(exc, APIError):
        return exc.status in RETRYABLE_STATUSES
    if isinstance(exc, APIConnectionError):
        return exc.transient
    return False


def not_processed(exc: BaseException) -> bool:
    """Whether a failed attempt proves the server did not act on the request.

    Only three answers prove it: the connection failed before any byte was sent, a 429, or a
    503 carrying a usable ``Retry-After`` (the server saying it did not take the request).
    Once the body may have arrived, anything else (another 5xx, a bare 503 from an
    overloaded backend or a proxy, a lost connection, an unreadable answer) leaves the
    outcome unknown: the request may have been processed.
    """
    if isinstance(exc, APIError):
        return exc.status == 429 or (exc.status == 503 and exc.retry_after is not None)
    if isinstance(exc, APIConnectionError):
        return exc.transient and not exc.request_sent
    return False


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
    else:
        if "," not in value and " " not in value:
            return None  # not "-5", "1e3", "1_0" or other digits than ASCII's: float() takes them
        try:  # a server's header: anything unparseable means "no usable Retry-After"
            parsed = email.utils.parsedate_to_datetime(value)
            seconds = parsed.timestamp() - (time.time() if now is None else now)
        except (ValueError, TypeError, OverflowError, IndexError):
            return None
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def next_wait(policy: RetryPolicy, attempt: int, exc: BaseException) -> float:
    """The wait before retry number ``attempt`` (1-based): Retry-After, else full jitter."""
    if isinstance(exc, APIError) and exc.retry_after is not None:
        return exc.retry_after
    return _full_jitter(policy, attempt)


def _full_jitter(policy: RetryPolicy, attempt: int) -> float:
    # tenacity's wait_random_exponential is AWS "full jitter"; it reads only attempt_number.
    wait = _t.wait_random_exponential(multiplier=policy.initial_backoff, max=policy.max_backoff)
    return float(wait(cast(_t.RetryCallState, SimpleNamespace(attempt_number=attempt))))


def retrying(
    *,
    policy: RetryPolicy,
    max_retries: int,
    idempotent: bool,
    deadline: float | None,
    on_retry: Callable[[int, float, BaseException], None],
    budget: RetryTokens | None = None,
) -> _t.AsyncRetrying:
    """A tenacity loop for one call: ``max_retries`` repeats at most, none past ``deadline``.

    ``deadline`` is on the event loop's clock. A wait that would end after it, a Retry-After
    above ``policy.max_retry_after``, or an empty retry ``budget`` (shared by the whole
    client; one token per retry) stops the loop and re-raises the last error, with a note
    saying why it was not retried.
    """
    loop = asyncio.get_running_loop()

    def should_retry(exc: BaseException) -> bool:
        if not is_retryable(exc, idempotent=idempotent):
            return False
        if (
            isinstance(exc, APIError)
            and exc.retry_after is not None
            and exc.retry_after > policy.max_retry_after
        ):
            exc.add_note(
                f"not retried: the server's Retry-After of {exc.retry_after:g} s is above "
                f"RetryPolicy.max_retry_after={policy.max_retry_after:g} s"
            )
            return False
        return True

    def wait(state: _t.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        assert exc is not None
        return next_wait(policy, state.attempt_number, exc)

    def stop(state: _t.RetryCallState) -> bool:
        if state.attempt_number > max_retries:
            return True
        exc = state.outcome.exception() if state.outcome else None
        if deadline is not None and loop.time() + state.upcoming_sleep >= deadline:
            if exc is not None:
                what = (
                    f"the server's Retry-After of {exc.retry_after:g} s"
                    if isinstance(exc, APIError) and exc.retry_after is not None
                    else f"a wait of {state.upcoming_sleep:.2f} s"
                )
                exc.add_note(f"not retried: {what} would end after the call's deadline")
            return True
        # Last, so a token is spent only on a retry that really happens.
        if budget is not None and not budget.spend():
            if exc is not None:
                exc.add_note(
                    f"not retried: the client's retry budget is spent ({budget.budget!r}; "
                    "each successful call refills it)"
                )
            return True
        return False

    def before_sleep(state: _t.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        assert exc is not None
        on_retry(state.attempt_number + 1, state.upcoming_sleep, exc)

    return _t.AsyncRetrying(
        sleep=functools.partial(nap, policy.sleep),
        stop=stop,
        wait=wait,
        retry=_t.retry_if_exception(should_retry),
        before_sleep=before_sleep,
        reraise=True,
    )
