"""Client settings as small value objects: timeouts, the API key, the base URL."""

from __future__ import annotations

import enum
import ipaddress
import os
import re
import unicodedata
from typing import Any, Final, TypeVar
from urllib.parse import SplitResult, quote, unquote, urlsplit

import attrs

from ._params import finite_number, shown
from ._reprs import safe_repr
from ._secrets import redact_key
from .errors import ValidationError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Proxy",
    "Timeout",
    "check_api_key",
    "check_base_url",
    "check_proxy",
    "check_seconds",
    "proxy_for_url",
    "redact_key",
]

DEFAULT_BASE_URL: Final = "https://api.freestyleteletech.com/v1"
DEFAULT_MAX_RETRIES: Final = 2
API_KEY_ENV: Final = "FREESTYLE_API_KEY"
BASE_URL_ENV: Final = "FREESTYLE_BASE_URL"
# Letters, digits, "-" and "_" (some private networks name hosts with it), dot-separated labels
# of 1 to 63 characters, an optional final dot.
_HOST_NAME: Final = re.compile(r"(?:[A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}\.?")


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


def check_seconds(name: str, value: object) -> float:
    """``value`` when it is a positive, finite number of seconds (an ``int`` or ``float``, not
    a bool), else a :class:`ValidationError` naming ``name``: the one rule for a time limit
    (:class:`Timeout`'s fields, so the clients' and a call's ``timeout=``). Infinity is
    refused, as aiohttp cannot arm a timer for it: ``None`` is "no limit"."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValidationError(
            f"{name} must be a positive number of seconds or None (no limit), got {shown(value)}"
        )
    if not finite_number(value):
        raise ValidationError(
            f"{name} must be a finite number of seconds, got {shown(value)}: pass None for no limit"
        )
    return value


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_seconds(f"Timeout.{attribute.name}", value)


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
                "timeout must be a number of seconds or a Timeout (or None for no limit), "
                f"got {shown(value)}"
            )
        return cls(total=float(check_seconds("Timeout.total", value)))


DEFAULT_TIMEOUT: Final = Timeout()
Timeout.__module__ = "freestyle_async"


def check_api_key(api_key: str | None) -> str:
    """The key from the argument or ``FREESTYLE_API_KEY``, refused when empty or unsafe.

    Whitespace and control characters are refused because they could inject headers. The
    shape is not otherwise checked: key formats may change while the API is in early access.
    """
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    problem = _key_problem(key)
    if problem is None:
        assert isinstance(key, str)
        return key
    # A refused key is still a secret: it must not sit in this frame's locals, which a
    # traceback keeps and error reporters print.
    del key, api_key
    raise ValidationError(problem)


def _key_problem(key: object) -> str | None:
    if key is None or key == "":
        return f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
    if not isinstance(key, str):
        return f"api_key must be a str, got {type(key).__name__}"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key):
        return (
            "the API key holds whitespace or control characters: "
            "check for a stray newline or space around it"
        )
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown(url: str) -> str:
    """``url`` as an error message may quote it: everything before its last ``@`` (where a
    ``user:password`` would be) replaced by ``***``, control characters escaped by ``repr``,
    cut after 200 characters."""
    head, at, tail = url.rpartition("@")
    if at:
        scheme, sep, _ = head.partition("://")
        url = f"{scheme}{sep}***@{tail}" if sep else f"***@{tail}"
    return repr(url if len(url) <= 200 else url[:200] + "…")


def _host_problem(host: str) -> str | None:
    """Why ``host`` (from ``urlsplit(...).hostname``) cannot be connected to, or ``None``."""
    if not host:
        return "it has no host"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"its host {host!r} is not a valid host name"
    if len(ascii_host.rstrip(".")) > 253 or not _HOST_NAME.fullmatch(ascii_host):
        return f"its host {host!r} is not a valid host name"
    return None


def _split_http_url(url: str, start: str) -> SplitResult | str:
    """``url`` split, when it is ``http://`` or ``https://`` with a host that can be connected
    to and a port from 1 to 65535; else why not (``start``: the schemes the message asks for)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a bad IPv6 literal, a port out of range or not a number
        return f"it cannot be parsed ({exc})"
    if parts.scheme not in ("http", "https") or url[: len(parts.scheme) + 3][-3:] != "://":
        return f"it must start with {start}"
    if port == 0:
        return "its port must be between 1 and 65535"
    problem = _host_problem(parts.hostname or "")
    return parts if problem is None else problem


#: Unicode categories refused anywhere in a URL: controls, format characters (zero-width
#: spaces, direction marks), surrogates, private-use and unassigned code points, separators.
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def _unsafe_char_problem(url: str) -> str | None:
    """Why ``url`` holds a character no URL may hold (whitespace, a control character, an
    invisible one a copy-paste can bring along), or ``None``."""
    for ch in url:
        if ch.isspace() or unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            name = unicodedata.name(ch, "")
            code = f"U+{ord(ch):04X}{' ' + name if name else ''}"
            if ch.isspace() or unicodedata.category(ch) == "Cc":
                return f"it holds whitespace or a control character ({code})"
            return f"it holds an invisible, private-use or unassigned character ({code}): retype it"
    return None


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the base URL, or ``None``. The message never quotes the URL
    (the caller does, through :func:`_shown`)."""
    problem = _unsafe_char_problem(url)
    if problem is not None:
        return problem
    if "@" in url.partition("://")[2].partition("/")[0] or "@" in url.partition("/")[0]:
        return (
            "it holds credentials (user:password@): the API authenticates with the API key "
            "alone, and a password in a URL ends up in logs; remove them"
        )
    parts = _split_http_url(url, "https://")
    if isinstance(parts, str):
        return parts
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        return (
            "it uses plain http: the FREESTYLE API is HTTPS only "
            "(http is allowed for loopback hosts such as the emulator)"
        )
    if "?" in url or "#" in url:
        return "it must not carry a query or fragment"
    return None


def check_base_url(base_url: str | None) -> str:
    """The base URL from the argument, ``FREESTYLE_BASE_URL`` or the default, checked whole.

    HTTPS only (plain ``http://`` is allowed for loopback hosts, such as the emulator); a host
    that can be connected to; a port from 1 to 65535; no credentials, no query, no fragment.
    A refused URL is shown with any credentials masked.
    """
    url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(url, str):
        raise ValidationError(f"base_url must be a str, got {type(url).__name__}")
    problem = _url_problem(url)
    if problem is not None:
        source = "base_url" if base_url else BASE_URL_ENV
        shown = _shown(url)
        del url, base_url  # may hold a password: not in this frame's locals either
        raise ValidationError(f"{source} {shown} is refused: {problem}")
    return url.rstrip("/")


#: A proxy's default port when its URL gives none, by scheme (as curl, requests and httpx do).
_PROXY_PORTS: Final = {"http": 80, "https": 443}
#: The environment variables a proxy is read from, by the scheme of the URL it serves.
_PROXY_ENV: Final = {"http": "HTTP_PROXY", "https": "HTTPS_PROXY"}


@attrs.frozen(repr=False)
class Proxy:
    """A forward proxy, checked: ``url`` is ``scheme://host:port`` with no credentials (what
    messages show); the user and password are kept apart and never shown (the repr masks the
    password as httpx's ``Proxy`` does)."""

    url: str
    username: str = ""
    password: str = ""

    @property
    def aiohttp_url(self) -> str:
        """The URL aiohttp is given: ``url`` with the credentials, percent-encoded (aiohttp
        sends them as ``Proxy-Authorization`` to the proxy, on CONNECT or with a plain-HTTP
        request, never to the server)."""
        if not self.username and not self.password:
            return self.url
        scheme, _, rest = self.url.partition("://")
        user, password = quote(self.username, safe=""), quote(self.password, safe="")
        return f"{scheme}://{user}:{password}@{rest}"

    @safe_repr
    def __repr__(self) -> str:
        auth = f", auth=({self.username!r}, '********')" if self.username or self.password else ""
        return f"Proxy({self.url!r}{auth})"


def _proxy_problem(url: str) -> str | None:
    """Why ``url`` cannot be a proxy's URL, or ``None`` (never quoting the URL)."""
    problem = _unsafe_char_problem(url)
    if problem is not None:
        return problem
    parts = _split_http_url(url, "http:// or https://")
    if isinstance(parts, str):
        return parts
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in url or "#" in url:
        return "it must be scheme://[user:password@]host[:port], with no path or query"
    return None


def check_proxy(url: str | Proxy | None, source: str = "proxy") -> Proxy | None:
    """The proxy ``url`` names (``http://[user:password@]host[:port]``, or ``https://``),
    checked whole; ``None`` for none. ``source`` names where the URL came from in the error
    (``proxy``, ``HTTPS_PROXY``). A refused URL is shown with any credentials masked."""
    if url is None or isinstance(url, Proxy):
        return url
    if not isinstance(url, str):
        raise ValidationError(f"{source} must be a str URL or None, got {type(url).__name__}")
    problem = _proxy_problem(url)
    if problem is not None:
        shown = _shown(url)
        del url  # may hold a password: not in this frame's locals either
        raise ValidationError(f"{source} {shown} is refused: {problem}")
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = parts.port or _PROXY_PORTS[parts.scheme]
    return Proxy(
        f"{parts.scheme}://{host}:{port}",
        unquote(parts.username or ""),
        unquote(parts.password or ""),
    )


def proxy_for_url(url: str, proxy: Proxy | None, *, trust_env: bool) -> Proxy | None:
    """The proxy requests to ``url`` go through: ``proxy`` when given (for every host, the
    environment unread, as httpx does); else, with ``trust_env``, the one the environment
    names for the URL's scheme (``HTTPS_PROXY``/``HTTP_PROXY``, then ``ALL_PROXY``; lower
    case first, as :func:`urllib.request.getproxies` reads them) unless ``NO_PROXY`` lists the
    host. A loopback host (``localhost``, ``127.0.0.0/8``, ``::1``) never goes through a
    proxy from the environment: no proxy elsewhere can reach this machine's loopback (Go's
    ``http.ProxyFromEnvironment`` rule), and the emulator must work with a proxy set."""
    if proxy is not None or not trust_env:
        return proxy
    import urllib.request  # here: http.client with it, which the client's aiohttp loads anyway

    parts = urlsplit(url)
    host = parts.hostname or ""
    if _is_loopback(host):
        return None
    found = urllib.request.getproxies()
    value = found.get(parts.scheme) or found.get("all")
    if not value or urllib.request.proxy_bypass(host):
        return None
    if "://" not in value:  # "proxy.corp:3128", as requests and httpx read it
        value = "http://" + value
    name = _PROXY_ENV.get(parts.scheme, "ALL_PROXY") if parts.scheme in found else "ALL_PROXY"
    try:
        return check_proxy(value, f"the proxy from the environment ({name})")
    finally:
        del value, found  # may hold a password: not in this frame's locals should it raise
