"""Exit codes, and one clear stderr line per failure: what failed, why, and what to do.

Every :class:`~freestyle_async.FreestyleError` becomes a :class:`CliError` (a
``click.ClickException``), which click prints as ``Error: ...`` on stderr before exiting with
the code below; so does any other exception (:func:`unexpected`), with exit code 1. No
traceback unless ``--debug``. The line and the traceback go through
:func:`~._safe.safe_text`: no control character from a server reaches the terminal, and no
fragment of the API key.
"""

from __future__ import annotations

import enum
import sys
import traceback

import click

from ..errors import (
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
from ._safe import safe_text, secret_scope

__all__ = [
    "CliError",
    "ExitCode",
    "from_sdk_error",
    "one_line",
    "show_traceback",
    "unexpected",
]


class ExitCode(enum.IntEnum):
    """Exit statuses of the ``freestyle`` command."""

    OK = 0
    ERROR = 1  #: an unexpected failure (also click's "Aborted!" on Ctrl-C)
    USAGE = 2  #: a bad option or argument (click's own usage errors)
    CONFIG = 3  #: missing or refused settings or input: no API key, bad CSV, bad argument
    AUTH = 4  #: the API key was refused (401) or API access is disabled (403)
    NOT_FOUND = 5  #: the campaign (or other resource) does not exist for this key (404)
    API = 6  #: any other error answer (400, 429, 5xx) or a response of the wrong shape
    CONNECTION = 7  #: the server could not be reached, or a deadline passed
    INCOMPLETE = 8  #: an upload finished, but some records failed or their outcome is unknown


class CliError(click.ClickException):
    """A failure shown as one ``Error: ...`` line on stderr, exiting with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = ExitCode.ERROR) -> None:
        super().__init__(one_line(safe_text(message)))
        # click declares exit_code a ClassVar; a per-instance code is what we need here.
        self.exit_code = int(exit_code)  # type: ignore[misc]


def one_line(text: str) -> str:
    """``text`` with runs of whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


def show_traceback(exc: BaseException) -> None:
    """Print ``exc`` with its traceback on stderr (what ``--debug`` adds), through
    :func:`~._safe.safe_text`: no key fragment, no control character from a server."""
    text = "".join(traceback.format_exception(exc))
    sys.stderr.write(safe_text(text, lines=True).rstrip("\n") + "\n")
    sys.stderr.flush()


def unexpected(exc: Exception, *, debug: bool) -> CliError:
    """The :class:`CliError` (exit 1) for an exception no command expected: a bug or a
    library failing in a way it should not. Its traceback is shown with ``--debug``."""
    if debug:
        show_traceback(exc)
    hint = "" if debug else "; run again with --debug for the traceback, and report it"
    return CliError(f"unexpected error: {type(exc).__name__}: {exc}{hint}", ExitCode.ERROR)


def _api_detail(exc: APIError) -> str:
    code = f" {exc.code}" if exc.code else ""
    message = f": {exc.message.rstrip('.')}" if exc.message else ""
    request = f", request id {exc.request_id}" if exc.request_id else ""
    return f"HTTP {exc.status}{code}{message}{request}"


def _why_and_todo(exc: FreestyleError, base_url: str, not_found_hint: str) -> tuple[str, ExitCode]:
    if isinstance(exc, AuthenticationError):
        return (
            f"the API key was refused ({_api_detail(exc)}); check FREESTYLE_API_KEY or --api-key",
            ExitCode.AUTH,
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"API access is not allowed for this account ({_api_detail(exc)}); "
            "ask your FREESTYLE account manager to enable API access",
            ExitCode.AUTH,
        )
    if isinstance(exc, NotFoundError):
        return f"not found ({_api_detail(exc)}); {not_found_hint}", ExitCode.NOT_FOUND
    if isinstance(exc, BadRequestError):
        return (
            f"the server refused a parameter ({_api_detail(exc)}); fix the option and retry",
            ExitCode.API,
        )
    if isinstance(exc, RateLimitError):
        return (
            f"rate limited even after retrying ({_api_detail(exc)}); wait a little and retry, "
            "or raise --max-retries",
            ExitCode.API,
        )
    if isinstance(exc, ServerError):
        return (
            f"the server failed ({_api_detail(exc)}); try again later, or raise --max-retries",
            ExitCode.API,
        )
    if isinstance(exc, APIError):
        return f"the server answered with an error ({_api_detail(exc)})", ExitCode.API
    if isinstance(exc, APITimeoutError):
        return (
            f"timed out talking to {base_url} ({exc.message}); "
            "raise --timeout or check the network",
            ExitCode.CONNECTION,
        )
    if isinstance(exc, APIConnectionError):
        return (
            f"could not reach {base_url} ({exc.message}); "
            "check --base-url / FREESTYLE_BASE_URL, the proxy (--proxy / HTTPS_PROXY) "
            "and the network",
            ExitCode.CONNECTION,
        )
    if isinstance(exc, DecodeError):
        return (
            f"the response did not have the documented shape ({exc}); "
            "run again with --debug and report it",
            ExitCode.API,
        )
    if isinstance(exc, ValidationError):
        return str(exc), ExitCode.CONFIG
    return str(exc) or type(exc).__name__, ExitCode.ERROR


def from_sdk_error(
    exc: FreestyleError,
    *,
    action: str,
    base_url: str = "the API",
    api_key: str | None = None,
    not_found_hint: str = "check the id",
) -> CliError:
    """The :class:`CliError` for an SDK exception raised while doing ``action``.

    ``action`` names what failed ("listing dial campaigns"); ``not_found_hint`` says what to do
    on a 404. ``api_key`` (or any fragment of it) is taken out of the message in case a
    server echoed it back.
    """
    why, code = _why_and_todo(exc, base_url, not_found_hint)
    message = f"{action} failed: {why}" if action else why
    with secret_scope(api_key):
        return CliError(message, code)
