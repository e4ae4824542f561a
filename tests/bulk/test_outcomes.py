"""How each failure of an upload request is read: not processed, unknown, or refused.

One rule for bulk chunks and single ``upload_data`` calls: once the body has been sent, only
a 429 or a 503 carrying ``Retry-After`` proves nothing was stored.
"""

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
from freestyle_async._retry import is_retryable
from freestyle_async.bulk._engine import outcome_of

CASES = [
    (APIConnectionError("connect failed", request_sent=False), "not_processed"),
    (APITimeoutError("connect timed out", request_sent=False), "not_processed"),
    (RateLimitError("slow down", status=429, retry_after=1.0), "not_processed"),
    (RateLimitError("slow down, no header", status=429), "not_processed"),
    (ServerError("unavailable", status=503, retry_after=2.0), "not_processed"),
    (ServerError("unavailable", status=503, retry_after=0.0), "not_processed"),
    (ServerError("bare 503: a proxy may answer it after storing", status=503), "unknown"),
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
    (ValidationError("bad id"), "refused"),
]


# Any other 5xx after the body was sent may come after the records were stored (Cloudflare's
# 524: the origin may have finished the work): unknown for an upload. GETs and PATCHes are
# not retried on them (only the statuses in RETRYABLE_STATUSES are).
OTHER_5XX = [501, 505, 507, 520, 522, 524, 599]


@pytest.mark.parametrize("status", OTHER_5XX)
def test_any_other_5xx_after_sending_is_unknown(status: int) -> None:
    error = ServerError(f"HTTP {status}", status=status)
    assert outcome_of(error) == "unknown"
    assert not is_retryable(error, idempotent=False)
    assert not is_retryable(error, idempotent=True)


@pytest.mark.parametrize(("error", "outcome"), CASES)
def test_outcomes(error: FreestyleError, outcome: str) -> None:
    assert outcome_of(error) == outcome


@pytest.mark.parametrize(("error", "outcome"), CASES)
def test_a_single_upload_call_is_retried_by_the_same_rule(
    error: FreestyleError, outcome: str
) -> None:
    assert is_retryable(error, idempotent=False) == (outcome == "not_processed")


@pytest.mark.parametrize(("error", "outcome"), CASES)
def test_gets_and_patches_keep_their_rule(error: FreestyleError, outcome: str) -> None:
    """Idempotent calls are retried on every transient failure, bare 503 included."""
    expected = outcome != "refused" and not isinstance(error, DecodeError)
    assert is_retryable(error, idempotent=True) == expected
