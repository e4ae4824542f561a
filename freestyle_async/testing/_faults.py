"""Fault injection: latency, error statuses, 429 with Retry-After and dropped connections."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from decimal import Decimal
from typing import Final

import attrs
from aiohttp import web

from ._errors import ErrorAnswer
from ._model import Counters
from ._timeouts import read_body

__all__ = ["DROPPED", "FaultInjector", "Faults"]

#: Marks a request whose connection the emulator closed without answering.
DROPPED: Final = web.RequestKey("freestyle_emulator_dropped", bool)


def _rate(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _statuses(
    _instance: object, _attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    if not value or any(not 400 <= s <= 599 for s in value):
        raise ValueError(f"error_statuses must be non-empty HTTP error statuses, got {value!r}")


def _to_statuses(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _to_methods(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(m.upper() for m in value)


@attrs.frozen(kw_only=True)
class Faults:
    """What the emulator does wrong, and how often. All rates are fractions of requests (0–1).

    Decisions are drawn from ``random.Random(seed)``, so the same request sequence meets the same
    faults. ``methods`` limits every fault (latency included) to those HTTP methods.
    """

    latency: float = attrs.field(default=0.0, validator=_non_negative)
    error_rate: float = attrs.field(default=0.0, validator=_rate)
    error_statuses: tuple[int, ...] = attrs.field(
        default=(500, 502, 503), converter=_to_statuses, validator=_statuses
    )
    rate_limit_rate: float = attrs.field(default=0.0, validator=_rate)
    retry_after: float = attrs.field(default=1.0, validator=_non_negative)
    drop_before_rate: float = attrs.field(default=0.0, validator=_rate)
    drop_after_rate: float = attrs.field(default=0.0, validator=_rate)
    #: Answer a status from ``error_statuses`` after the request was processed (stored).
    error_after_rate: float = attrs.field(default=0.0, validator=_rate)
    methods: frozenset[str] | None = attrs.field(default=None, converter=_to_methods)
    seed: int = 0

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    def retry_after_header(self) -> str:
        """``Retry-After`` as sent: whole seconds as an integer, fractions as a decimal."""
        value = self.retry_after
        if float(value).is_integer():
            return str(int(value))
        # A decimal without an exponent (5e-05 is no delta-seconds): the float's own digits.
        return format(Decimal(repr(float(value))), "f")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FaultInjector:
    """Holds the current :class:`Faults` and the random stream its decisions are drawn from;
    counts what it injects in ``counters``."""

    def __init__(self, faults: Faults | None, counters: Counters) -> None:
        self.faults = faults
        self._counters = counters

    @property
    def faults(self) -> Faults | None:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        if faults is not None and not isinstance(faults, Faults):  # checked before it is kept
            raise TypeError(
                f"faults must be a Faults (or None for none), got {type(faults).__name__}"
            )
        self._faults = faults
        self._rng = random.Random(faults.seed if faults is not None else 0)

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        faults = self._faults
        if faults is None or not faults.applies_to(request.method):
            return await handler(request)
        if faults.latency:
            await asyncio.sleep(faults.latency)
        rng, counters = self._rng, self._counters
        if faults.drop_before_rate and rng.random() < faults.drop_before_rate:
            await read_body(request)  # consume the body, so closing sends FIN rather than RST
            counters.dropped_before += 1
            counters.faults_injected += 1
            return _drop(request)
        if faults.rate_limit_rate and rng.random() < faults.rate_limit_rate:
            counters.faults_injected += 1
            header = faults.retry_after_header()
            raise ErrorAnswer(
                429,
                "rate_limited",
                f"Too many requests. Retry after {header} second(s).",
                headers={"Retry-After": header},
            )
        if faults.error_rate and rng.random() < faults.error_rate:
            counters.faults_injected += 1
            status = faults.error_statuses[rng.randrange(len(faults.error_statuses))]
            raise ErrorAnswer(
                status, "server_error", f"Injected fault: simulated server error ({status})."
            )
        drop_after = bool(faults.drop_after_rate) and rng.random() < faults.drop_after_rate
        error_after = bool(faults.error_after_rate) and rng.random() < faults.error_after_rate
        response = await handler(request)
        if error_after and not drop_after:
            counters.faults_injected += 1
            status = faults.error_statuses[rng.randrange(len(faults.error_statuses))]
            raise ErrorAnswer(
                status, "server_error", f"Injected fault: server error ({status}) after processing."
            )
        if drop_after:
            counters.dropped_after += 1
            counters.faults_injected += 1
            return _drop(request)
        return response


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering; the client sees the server disconnect."""
    request[DROPPED] = True
    if request.transport is not None:
        request.transport.close()
    # aiohttp fails to write this to the closed transport and treats it as a client disconnect.
    return web.Response(status=500)
