"""The exceptions raised by freestyle_async.

Every error the SDK raises is a :class:`FreestyleError`; nothing from aiohttp, json or cattrs
escapes a public call. The hierarchy::

    FreestyleError
    ├── ValidationError          bad input, caught before anything is sent
    ├── DecodeError              a response that does not fit the model (or is not JSON)
    ├── APIConnectionError       the server could not be reached or the connection broke
    │   └── APITimeoutError      a connect, read or overall deadline passed
    └── APIError                 the server answered with an error status
        ├── BadRequestError          400 (invalid_parameter)
        ├── AuthenticationError      401 (unauthorized)
        ├── PermissionDeniedError    403 (api_disabled)
        ├── NotFoundError            404 (not_found)
        ├── RateLimitError           429
        └── ServerError              5xx (server_error)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "DecodeError",
    "FreestyleError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
]


class FreestyleError(Exception):
    """Base class of every exception raised by freestyle_async."""


class ValidationError(FreestyleError, ValueError):
    """An argument was refused before any request was sent."""


class DecodeError(FreestyleError):
    """A response body was not JSON, or did not have the shape the endpoint documents.

    ``endpoint`` is ``"GET /dial-campaigns"``-style; ``path`` is where in the body the
    problem sits (``"$.data[3].created_at"``) when it is known.
    """

    def __init__(self, message: str, *, endpoint: str = "", path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.endpoint = endpoint
        self.path = path


class APIConnectionError(FreestyleError):
    """The request did not get an HTTP answer: DNS, connect, TLS, reset or dropped connection.

    ``request_sent`` is False only when the failure happened before any byte of the request
    could reach the server (so even a non-idempotent request can safely be repeated).
    ``transient`` is False for failures a retry cannot mend, such as a TLS certificate error.
    """

    def __init__(self, message: str, *, request_sent: bool = True, transient: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.request_sent = request_sent
        self.transient = transient


class APITimeoutError(APIConnectionError):
    """A connect, read or overall deadline passed before the call completed."""


class APIError(FreestyleError):
    """The server answered with an error status.

    Carries the HTTP ``status``, the API's machine-readable ``code`` (``"not_found"``, ...),
    its human-readable ``message``, the ``request_id`` header when the server sent one, and
    the decoded ``body`` (or the raw text when the body was not JSON).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"HTTP {self.status}{code}: {self.message}{rid}"


class BadRequestError(APIError):
    """400: a parameter failed the server's validation (``invalid_parameter``)."""


class AuthenticationError(APIError):
    """401: the API key is missing, malformed or invalid (``unauthorized``)."""


class PermissionDeniedError(APIError):
    """403: API access is disabled for this account (``api_disabled``)."""


class NotFoundError(APIError):
    """404: the resource does not exist or belongs to another account (``not_found``)."""


class RateLimitError(APIError):
    """429: too many requests. ``retry_after`` holds the server's ``Retry-After`` in seconds."""


class ServerError(APIError):
    """5xx: the server failed (``server_error``), or a proxy in front of it did."""


_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The one place that picks an exception class from an HTTP status."""
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, APIError)


for _cls in (
    FreestyleError,
    ValidationError,
    DecodeError,
    APIConnectionError,
    APITimeoutError,
    APIError,
    BadRequestError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    RateLimitError,
    ServerError,
):
    _cls.__module__ = "freestyle_async"
