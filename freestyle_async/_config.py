"""Client settings as small value objects: timeouts, the API key, the base URL."""

from __future__ import annotations

import enum
import ipaddress
import os
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import attrs

from .errors import ValidationError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Timeout",
    "check_api_key",
    "check_base_url",
    "redact_key",
]

DEFAULT_BASE_URL: Final = "https://api.freestyleteletech.com/v1"
DEFAULT_MAX_RETRIES: Final = 2
API_KEY_ENV: Final = "FREESTYLE_API_KEY"
BASE_URL_ENV: Final = "FREESTYLE_BASE_URL"


class NotGiven(enum.Enum):
    """Sentinel for "use the client's value" on per-call options, so ``None`` keeps a meaning."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN

_T = TypeVar("_T")


def given(value: _T | NotGiven, default: _T) -> _T:
    """``value`` unless it is ``NOT_GIVEN``, then ``default``."""
    return default if isinstance(value, NotGiven) else value


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not value > 0:
        raise ValidationError(
            f"Timeout.{attribute.name} must be a positive number of seconds or None, got {value!r}"
        )


@attrs.frozen
class Timeout:
    """How long a call may take, in seconds.

    ``total`` is the whole call's deadline, retries and their waits included; ``connect`` bounds
    opening a connection and ``read`` bounds each wait for bytes from the server. ``None``
    disables a limit. A plain number passed as ``timeout=`` sets ``total``.
    """

    total: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    connect: float | None = attrs.field(default=10.0, validator=_positive_or_none)
    read: float | None = attrs.field(default=30.0, validator=_positive_or_none)

    @classmethod
    def coerce(cls, value: float | Timeout | None) -> Timeout:
        """Turn the ``timeout=`` argument (number, ``Timeout`` or ``None``) into a ``Timeout``."""
        if isinstance(value, Timeout):
            return value
        if value is None:
            return cls(total=None, connect=None, read=None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(
                f"timeout must be a number of seconds or a Timeout, got {value!r}"
            )
        return cls(total=float(value))


DEFAULT_TIMEOUT: Final = Timeout()
Timeout.__module__ = "freestyle_async"


def check_api_key(api_key: str | None) -> str:
    """The key from the argument or ``FREESTYLE_API_KEY``, refused when empty or unsafe.

    Whitespace and control characters are refused because they could inject headers. The
    shape is not otherwise checked: key formats may change while the API is in early access.
    """
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if key is None or key == "":
        raise ValidationError(
            f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
        )
    if not isinstance(key, str):
        raise ValidationError(f"api_key must be a str, got {type(key).__name__}")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise ValidationError(
            "the API key holds whitespace or control characters: "
            "check for a stray newline or space around it"
        )
    return key


def redact_key(key: str) -> str:
    """Show at most the ``ft_`` prefix and the last 4 characters of a key."""
    tail = key[-4:] if len(key) >= 12 else ""
    prefix = "ft_" if key.startswith("ft_") else ""
    return f"{prefix}…{tail}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str | None) -> str:
    """The base URL from the argument, ``FREESTYLE_BASE_URL`` or the default; HTTPS only.

    Plain ``http://`` is allowed for loopback hosts (the emulator) and refused elsewhere.
    """
    url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ValidationError(f"base_url must be an https:// URL, got {url!r}")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValidationError(
            f"base_url {url!r} uses plain http: the FREESTYLE API is HTTPS only "
            "(http is allowed for loopback hosts such as the emulator)"
        )
    if parts.query or parts.fragment:
        raise ValidationError(f"base_url must not carry a query or fragment, got {url!r}")
    return url.rstrip("/")
