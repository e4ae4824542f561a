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

Two things hold for every one of them, subclasses in other modules included:

- Text from a server cannot carry the API key into an exception: the message, every field that
  can hold server text (``code``, ``request_id``, ``body``, ``path``) and every note pass
  through the key redaction of :mod:`freestyle_async._secrets` when they are set. (A
  ValidationError holds the caller's own input, never a server's: it is not searched.)
- Each pickles and unpickles as itself, with its message, fields and notes (multiprocessing,
  Celery, concurrent.futures): it is rebuilt from its ``args`` and attributes, not by calling
  ``__init__`` again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._secrets import redact, redact_json
from ._terminal import show_controls

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

    # Whether text given to the exception may come from a server (and is redacted).
    _server_text: ClassVar[bool] = True

    def __init__(self, *args: object) -> None:
        if self._server_text:
            args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in args)
        super().__init__(*args)

    def add_note(self, note: str, /) -> None:
        super().add_note(redact(note) if self._server_text and isinstance(note, str) else note)

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuilds with cls(*args), which fails for keyword-only fields.
        return (_rebuild, (type(self), self.args, self.__dict__ or None))


def _rebuild(
    cls: type[FreestyleError], args: tuple[object, ...], state: dict[str, Any] | None
) -> FreestyleError:
    """An unpickled exception: its class, ``args``, fields and notes, without ``__init__``."""
    exc = cls.__new__(cls, *args)
    if state:
        exc.__dict__.update(state)
    return exc


class ValidationError(FreestyleError, ValueError):
    """An argument was refused before any request was sent."""

    # The caller's own input, never a server's: skipping the search keeps rejecting a bad
    # record (bulk uploads reject many) cheap.
    _server_text = False


class DecodeError(FreestyleError):
    """A response body was not JSON, or did not have the shape the endpoint documents.

    ``endpoint`` is ``"GET /dial-campaigns"``-style; ``path`` is where in the body the
    problem sits (``"$.data[3].created_at"``) when it is known.
    """

    def __init__(self, message: str, *, endpoint: str = "", path: str | None = None) -> None:
        super().__init__(message)
        self.message: str = self.args[0]
        self.endpoint = endpoint
        self.path = None if path is None else redact(path)


class APIConnectionError(FreestyleError):
    """The request did not get an HTTP answer: DNS, connect, TLS, reset or dropped connection.

    ``request_sent`` is False only when the failure happened before any byte of the request
    could reach the server (so even a non-idempotent request can safely be repeated).
    ``transient`` is False for failures a retry cannot mend, such as a TLS certificate error.
    """

    def __init__(self, message: str, *, request_sent: bool = True, transient: bool = True) -> None:
        super().__init__(message)
        self.message: str = self.args[0]
        self.request_sent = request_sent
        self.transient = transient


class APITimeoutError(APIConnectionError):
    """A connect, read or overall deadline passed before the call completed."""


class APIError(FreestyleError):
    """The server answered with an error status.

    Carries the HTTP ``status``, the API's machine-readable ``code`` (``"not_found"``, ...),
    its human-readable ``message``, the ``request_id`` header when the server sent one, and
    the decoded ``body`` (or the raw text when the body was not JSON).

    Those attributes hold the server's text as it came (the key redacted): data, for a
    program. ``str(exc)``, which tracebacks and logs show, quotes them with control characters
    escaped (``\\x1b``: a server's text cannot drive the terminal) and cut, saying so: the
    message to 1,000 characters, the code and the request id to 128.
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
        self.message: str = self.args[0]
        self.status = status
        self.code = None if code is None else redact(code)
        self.request_id = None if request_id is None else redact(request_id)
        self.body = redact_json(body)
        self.retry_after = retry_after

    def __str__(self) -> str:
        # getattr: an instance made without __init__ must still print.
        code, rid = getattr(self, "code", None), getattr(self, "request_id", None)
        message = getattr(self, "message", None) or (self.args[0] if self.args else "")
        code = f" {_quoted(code, _CODE_LIMIT)}" if code else ""
        rid = f" (request id {_quoted(rid, _CODE_LIMIT)})" if rid else ""
        return f"HTTP {getattr(self, 'status', '?')}{code}: {_quoted(message, _MESSAGE_LIMIT)}{rid}"


# How much of a server's message, and of its code or request id, one str(exc) quotes.
_MESSAGE_LIMIT = 1000
_CODE_LIMIT = 128


def _quoted(text: object, limit: int) -> str:
    """Server text for a message: at most ``limit`` characters of it (saying how many more
    there were), control characters shown as escapes (:mod:`freestyle_async._terminal`)."""
    shown = str(text)
    if len(shown) > limit:
        shown = f"{shown[:limit]}… ({len(shown) - limit:,} more characters cut)"
    return show_controls(shown)


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
