"""How long the emulator waits for a slow client: the request's head (timed by the connection,
``_protocol``) and its body (timed here, wherever a handler or fault reads one)."""

from __future__ import annotations

import asyncio
import math
from typing import Final

from aiohttp import web

from ._errors import ErrorAnswer

__all__ = [
    "BODY_TIMEOUT",
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_HEADER_TIMEOUT",
    "check_timeout",
    "read_body",
]

#: Seconds a client has to send a request's line and headers once it started, or once it
#: connected (an idle kept-alive connection is not timed).
DEFAULT_HEADER_TIMEOUT: Final = 15.0
#: Seconds a client has to send a request's body once it is read.
DEFAULT_BODY_TIMEOUT: Final = 60.0
BODY_TIMEOUT: Final = web.AppKey("freestyle_emulator_body_timeout", float)


def check_timeout(name: str, value: float) -> float:
    """``value`` when it is a positive, finite number of seconds; ``ValueError`` naming it."""
    if not (isinstance(value, int | float) and 0 < value < math.inf):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


async def read_body(request: web.Request) -> bytes:
    """The whole body; 408 (and the connection closed) when it is slower than the app's
    :data:`BODY_TIMEOUT`."""
    timeout = request.app.get(BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT)
    try:
        async with asyncio.timeout(timeout):
            return await request.read()
    except TimeoutError:
        message = f"The request body was not received within {timeout:g} seconds."
        raise ErrorAnswer(408, "request_timeout", message, close=True) from None
