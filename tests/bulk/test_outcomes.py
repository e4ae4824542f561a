"""How each failure of an upload request is read: not processed, unknown, or refused."""

from __future__ import annotations

import pytest

from freestyle_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from freestyle_async.bulk._engine import outcome_of


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (APIConnectionError("connect failed", request_sent=False), "not_processed"),
        (APITimeoutError("connect timed out", request_sent=False), "not_processed"),
        (RateLimitError("slow down", status=429, retry_after=1.0), "not_processed"),
        (ServerError("unavailable", status=503), "not_processed"),
        (APIConnectionError("reset after sending"), "unknown"),
        (APITimeoutError("read timed out"), "unknown"),
        (APIError("request timeout", status=408), "unknown"),
        (ServerError("boom", status=500), "unknown"),
        (ServerError("bad gateway", status=502), "unknown"),
        (ServerError("gateway timeout", status=504), "unknown"),
        (DecodeError("200 with an HTML body"), "unknown"),
        (APIConnectionError("bad certificate", request_sent=False, transient=False), "refused"),
        (BadRequestError("too many records", status=400), "refused"),
        (AuthenticationError("bad key", status=401), "refused"),
        (PermissionDeniedError("api disabled", status=403), "refused"),
        (NotFoundError("no such campaign", status=404), "refused"),
        (ServerError("not implemented", status=501), "refused"),
        (ValidationError("bad id"), "refused"),
    ],
)
def test_outcomes(error: FreestyleError, outcome: str) -> None:
    assert outcome_of(error) == outcome
