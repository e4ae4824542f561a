"""Limits one client puts on itself: a retry budget, a request rate and a concurrency cap.

All three are shared by a client and every ``with_options`` copy of it (they live on the one
transport), so they bound what the server sees from the whole client, not from one call.

- :class:`RetryBudget` configures :class:`RetryTokens`, a token bucket that every retry draws
  from and every successful call refills a little. However many calls fail at once, the
  retries they add stay within the bucket, plus ``refund`` per success.
- :class:`RequestGate` holds at most ``max_concurrency`` attempts in flight and starts them at
  most ``max_requests_per_second`` apart. It exists only when one of them is set.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Final

import attrs

from ._params import check_int, finite_number, shown
from ._reprs import safe_repr
from .errors import ValidationError

__all__ = [
    "DEFAULT_RETRY_BUDGET",
    "RequestGate",
    "RetryBudget",
    "RetryTokens",
    "check_max_concurrency",
    "check_max_requests_per_second",
]


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not finite_number(value) or value < 0:
        raise ValidationError(
            f"RetryBudget.{attribute.name} must be a finite number >= 0, got {shown(value)}"
        )


@attrs.frozen
class RetryBudget:
    """How many retries a client may add on top of its calls, across all calls in flight.

    A token bucket holding at most ``max_tokens``: each retry spends one token, each
    successful call puts ``refund`` back. When fewer than one token is left, a failing call
    is not retried: it raises its error at once (with a note saying the budget is spent). The
    defaults let a client add 10 retries in a burst and then about one retry per 10 successful
    calls, so a failing server sees a bounded amount of extra traffic however many calls are
    in flight. Pass ``retry_budget=None`` to the client to retry each call up to
    ``max_retries`` with no shared limit.
    """

    max_tokens: float = attrs.field(default=10.0, validator=_non_negative)
    refund: float = attrs.field(default=0.1, validator=_non_negative)


DEFAULT_RETRY_BUDGET: Final = RetryBudget()
RetryBudget.__module__ = "freestyle_async"


class RetryTokens:
    """The running bucket of a :class:`RetryBudget` (one per client and its copies)."""

    __slots__ = ("budget", "tokens")

    def __init__(self, budget: RetryBudget) -> None:
        self.budget = budget
        self.tokens = float(budget.max_tokens)

    def spend(self) -> bool:
        """Take one token for a retry; False (and nothing taken) when less than one is left."""
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    def refund(self) -> None:
        """A call succeeded: put ``budget.refund`` back, up to ``budget.max_tokens``."""
        tokens = self.tokens + self.budget.refund
        limit = self.budget.max_tokens
        self.tokens = tokens if tokens < limit else limit

    @safe_repr
    def __repr__(self) -> str:
        return f"<RetryTokens {self.tokens:.2f} of {self.budget.max_tokens:g}>"


def check_max_requests_per_second(value: float | None) -> float | None:
    """``None`` or a positive, finite number of requests per second."""
    if value is None:
        return None
    if not finite_number(value) or value <= 0:
        raise ValidationError(
            f"max_requests_per_second must be a positive number or None, got {shown(value)}"
        )
    return float(value)


def check_max_concurrency(value: int | None) -> int | None:
    """``None`` or a whole number >= 1."""
    return check_int("max_concurrency", value, minimum=1)


class RequestGate:
    """``async with gate:`` around each attempt: a concurrency slot, then a start time.

    Starts are spaced at least ``1 / max_requests_per_second`` apart (a token bucket holding
    one token: no bursts), in the order callers arrive: callers take their turn one at a time
    under a lock (FIFO), and only a caller that actually starts moves the next start time on.
    A caller cancelled or timed out while waiting (for the lock or for its start time) leaves
    the clock as it was, so it never delays the callers behind it. Waiting for a slot or a
    start time counts against the call's total timeout.

    ``clock`` (seconds, default: the running loop's ``time()``) and ``sleep`` (default
    :func:`asyncio.sleep`) exist for tests.
    """

    __slots__ = (
        "_clock",
        "_interval",
        "_next_start",
        "_queued",
        "_semaphore",
        "_sleep",
        "_turn",
        "max_concurrency",
        "max_rps",
    )

    def __init__(
        self,
        *,
        max_requests_per_second: float | None,
        max_concurrency: int | None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.max_rps = max_requests_per_second
        self.max_concurrency = max_concurrency
        self._interval = 1.0 / max_requests_per_second if max_requests_per_second else 0.0
        self._next_start = -math.inf
        self._semaphore = asyncio.Semaphore(max_concurrency) if max_concurrency else None
        self._turn = asyncio.Lock()
        self._queued = 0  # callers holding or waiting for _turn
        self._clock = clock
        self._sleep = sleep

    @classmethod
    def build(
        cls, *, max_requests_per_second: float | None, max_concurrency: int | None
    ) -> RequestGate | None:
        """A gate for the given limits, or ``None`` when neither is set (nothing to pay)."""
        rps = check_max_requests_per_second(max_requests_per_second)
        concurrency = check_max_concurrency(max_concurrency)
        if rps is None and concurrency is None:
            return None
        return cls(max_requests_per_second=rps, max_concurrency=concurrency)

    async def __aenter__(self) -> None:
        semaphore = self._semaphore
        if semaphore is not None:
            await semaphore.acquire()
        if self._interval:
            try:
                await self._pace()
            except BaseException:
                if semaphore is not None:
                    semaphore.release()
                raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._semaphore is not None:
            self._semaphore.release()

    async def _pace(self) -> None:
        clock = self._clock or asyncio.get_running_loop().time
        if not self._queued:
            # Nobody ahead: start now if the interval since the last start has passed.
            now = clock()
            if now >= self._next_start:
                self._next_start = now + self._interval
                return
        self._queued += 1
        try:
            await self._wait_for_turn(clock)
        finally:
            self._queued -= 1

    async def _wait_for_turn(self, clock: Callable[[], float]) -> None:
        # One caller at a time, in arrival order (asyncio.Lock is FIFO and drops a waiter that
        # is cancelled). The holder sleeps until its start time, if that is still ahead, and
        # moves the clock on only once it starts: a holder cancelled in its sleep moves
        # nothing, and the next caller gets the start time it leaves unused.
        async with self._turn:
            start = self._next_start
            now = clock()
            if start > now:
                await self._sleep(start - now)
                # A late wake-up starts late: space the next start from the real one.
                now = clock()
            if now > start:
                start = now
            self._next_start = start + self._interval

    @safe_repr
    def __repr__(self) -> str:
        return (
            f"<RequestGate max_requests_per_second={self.max_rps} "
            f"max_concurrency={self.max_concurrency}>"
        )
