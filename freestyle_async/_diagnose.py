"""``diagnose()``: why a client cannot reach the API, one check at a time.

The checks run in order (key, base URL, proxy, DNS, TCP connect, TLS, clock, one
authenticated call); a failed check skips the ones that depend on it. Every text a check
holds is redacted (no key, no proxy password); server text is kept short.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import aiohttp
import attrs

from ._secrets import redact
from .errors import APIError, AuthenticationError, FreestyleError, PermissionDeniedError

if TYPE_CHECKING:
    from ._client_options import ClientOptions
    from ._hooks import EventHook
    from ._transport import RequestConfig
    from .models import Account

    #: ``GET /account`` with this hook on its responses and no retries.
    GetAccount = Callable[[EventHook], Awaitable[Account]]
    from ._hooks import ResponseEvent

__all__ = ["Check", "Diagnosis", "Verdict"]

#: The key's documented shape; other shapes are not refused (formats may change).
_KEY_SHAPE: Final = re.compile(r"ft_[0-9a-fA-F]{64}")
#: The checks, in the order they run.
ORDER: Final = ("key", "base_url", "proxy", "dns", "connect", "tls", "clock", "account")
#: Clock skew past which the clock check warns.
MAX_SKEW: Final = dt.timedelta(minutes=5)
#: A certificate expiring sooner than this is a warning.
_EXPIRY_WARNING: Final = dt.timedelta(days=14)


class Verdict(enum.StrEnum):
    """What a check found: ``ok``, ``warn`` (works, but look), ``fail``, or ``skipped``
    (a check it depends on failed)."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"


@attrs.frozen
class Check:
    """One check: its ``name``, ``verdict``, what was found (``detail``) and what to do
    (``hint``, empty when nothing is to be done). ``status`` is the HTTP status of the
    authenticated call, when that check got one."""

    name: str
    verdict: Verdict
    detail: str
    hint: str = ""
    status: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The check as plain JSON-ready values."""
        return {
            "name": self.name,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "hint": self.hint,
            "status": self.status,
        }


@attrs.frozen
class Diagnosis:
    """The checks of :meth:`AsyncFreestyle.diagnose`, in the order they ran."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Whether no check failed (warnings and skipped checks aside)."""
        return self.first_failure is None

    @property
    def first_failure(self) -> Check | None:
        """The first failed check, or ``None``."""
        return next((c for c in self.checks if c.verdict is Verdict.FAIL), None)

    def to_dict(self) -> dict[str, Any]:
        """``{"ok": ..., "checks": [...]}``, JSON-ready."""
        return {"ok": self.ok, "checks": [c.to_dict() for c in self.checks]}


def _check(name: str, verdict: Verdict, detail: str, hint: str = "", **kw: Any) -> Check:
    return Check(name, verdict, redact(detail), redact(hint), **kw)


def refused_settings(name: str, reason: str, hint: str) -> Diagnosis:
    """The diagnosis when no client could be made: ``name`` (``key``, ``base_url`` or
    ``proxy``) failed for ``reason``; the checks before it were not made, those after it are
    skipped."""
    at = ORDER.index(name)
    checks = [_check(step, Verdict.SKIPPED, "not checked") for step in ORDER[:at]]
    checks.append(_check(name, Verdict.FAIL, reason, hint))
    checks += [_check(step, Verdict.SKIPPED, f"skipped: {name} failed") for step in ORDER[at + 1 :]]
    return Diagnosis(tuple(checks))


def _key_check(key: str, hint: str) -> Check:
    if _KEY_SHAPE.fullmatch(key):
        return _check("key", Verdict.OK, f"{hint} (ft_ and 64 hex digits)")
    return _check(
        "key",
        Verdict.WARN,
        f"{hint}: not the documented shape (ft_ and 64 hex digits)",
        "check that the whole key was copied; other shapes are sent as they are",
    )


def _skip_rest(checks: list[Check], names: tuple[str, ...], why: str) -> Diagnosis:
    checks += [_check(n, Verdict.SKIPPED, f"skipped: {why}") for n in names]
    return Diagnosis(tuple(checks))


async def _timed(coro: Awaitable[Any], seconds: float) -> Any:
    return await asyncio.wait_for(coro, seconds)


def _cert_check(cert: dict[str, Any] | None, host: str) -> Check:
    subject = ", ".join(f"{k}={v}" for rdn in (cert or {}).get("subject", ()) for k, v in rdn)
    names = [v for _, v in (cert or {}).get("subjectAltName", ())]
    name = subject or f"(none; names {', '.join(names[:3])})"
    not_after = (cert or {}).get("notAfter")
    if not not_after:
        return _check("tls", Verdict.OK, f"verified for {host}, subject {name}")
    expires = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), dt.UTC)
    detail = f"verified for {host}, subject {name}, expires {expires:%Y-%m-%d}"
    if expires - dt.datetime.now(dt.UTC) < _EXPIRY_WARNING:
        return _check("tls", Verdict.WARN, detail, "the certificate expires within 14 days")
    return _check("tls", Verdict.OK, detail)


async def _server_date(
    config: RequestConfig, ssl_context: ssl.SSLContext, seconds: float
) -> str | None:
    """The ``Date`` header of an unauthenticated ``HEAD`` of the base URL (no key sent),
    through the client's proxy if it has one."""
    proxy = None if config.proxy is None else config.proxy.aiohttp_url
    timeout = aiohttp.ClientTimeout(total=seconds)
    async with (
        aiohttp.ClientSession(timeout=timeout, trust_env=False) as session,
        session.head(config.base_url, proxy=proxy, ssl=ssl_context, allow_redirects=False) as resp,
    ):
        return resp.headers.get("Date")


def _seconds(options: ClientOptions) -> float:
    """How long one network check may wait: the client's connect limit, never more than its
    total one (a user's ``--timeout 3`` holds for each check too)."""
    limits = [s for s in (options.timeout.connect, options.timeout.total) if s is not None]
    return min(limits) if limits else 10.0


def _why(exc: BaseException, seconds: float) -> str:
    """A failed check's reason: a timeout's own text is empty."""
    if isinstance(exc, TimeoutError) and not str(exc):
        return f"no answer within {seconds:g} s"
    return str(exc) or type(exc).__name__


def _clock_check(date: str | None) -> Check:
    unchecked = "the local clock was not compared; only dates in filters and logs depend on it"
    if date is None:
        return _check("clock", Verdict.WARN, "the server sent no Date header", unchecked)
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return _check("clock", Verdict.WARN, f"unreadable Date header {date[:60]!r}", unchecked)
    if server.tzinfo is None:
        server = server.replace(tzinfo=dt.UTC)
    skew = (dt.datetime.now(dt.UTC) - server).total_seconds()
    detail = f"local clock {abs(skew):.0f} s {'ahead of' if skew >= 0 else 'behind'} the server"
    if abs(skew) > MAX_SKEW.total_seconds():
        return _check(
            "clock",
            Verdict.WARN,
            f"{detail} ({abs(skew) / 60:.0f} minutes)",
            "set the local clock (NTP): dates in filters and logs will be off",
        )
    return _check("clock", Verdict.OK, detail)


async def _account_check(get_account: GetAccount, key_hint: str) -> Check:
    seen: list[ResponseEvent] = []
    started = time.monotonic()
    try:
        account = await get_account(seen.append)
    except AuthenticationError as exc:
        return _check(
            "account",
            Verdict.FAIL,
            f"GET /account: HTTP 401 {exc.code or ''}, request id {exc.request_id or '-'}",
            f"the key {key_hint} is wrong or revoked: check FREESTYLE_API_KEY (or --api-key)",
            status=401,
        )
    except PermissionDeniedError as exc:
        why = (
            "API access is disabled for the account: ask the account owner or support to enable it"
            if exc.code == "api_disabled"
            else "the key may not do this"
        )
        return _check(
            "account",
            Verdict.FAIL,
            f"GET /account: HTTP 403 {exc.code or ''}, request id {exc.request_id or '-'}",
            why,
            status=403,
        )
    except APIError as exc:
        hint = (
            "GET /account exists on every FREESTYLE API: check the base URL (it ends in /v1)"
            if exc.status == 404
            else ""
        )
        return _check(
            "account", Verdict.FAIL, f"GET /account: {exc.message}", hint, status=exc.status
        )
    except FreestyleError as exc:  # a connection error (no status), or an unreadable answer
        status = seen[-1].status if seen else None
        text = str(exc)  # the transport's messages start with the call already
        detail = text if text.startswith("GET /account") else f"GET /account: {text}"
        return _check("account", Verdict.FAIL, detail, status=status)
    elapsed = time.monotonic() - started
    event = seen[-1] if seen else None
    latency = event.elapsed if event is not None else elapsed
    request_id = (event.request_id if event is not None else None) or "-"
    return _check(
        "account",
        Verdict.OK,
        f"GET /account: HTTP 200 in {latency * 1000:.0f} ms, request id {request_id}, "
        f"account {account.id}",
        status=200,
    )


async def diagnose(
    options: ClientOptions, config: RequestConfig, get_account: GetAccount
) -> Diagnosis:
    """Run the checks for a client with ``options`` and ``config`` (see the module
    docstring); ``get_account`` makes its ``GET /account``."""
    checks = [_key_check(options.api_key.value, options.api_key.hint)]
    parts = urlsplit(config.base_url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    https = parts.scheme == "https"
    if https:
        checks.append(_check("base_url", Verdict.OK, f"{config.base_url} (HTTPS)"))
    else:  # the client refuses plain HTTP except to loopback
        checks.append(_check("base_url", Verdict.OK, f"{config.base_url} (plain HTTP, loopback)"))
    proxy = config.proxy
    if proxy is None:
        checks.append(_check("proxy", Verdict.OK, "none: connecting directly"))
        target_host, target_port, what = host, port, "the API host"
    else:
        creds = " with a user and password" if proxy.username or proxy.password else ""
        checks.append(_check("proxy", Verdict.OK, f"through {proxy.url}{creds}"))
        proxy_parts = urlsplit(proxy.url)
        target_host, target_port = proxy_parts.hostname or "", proxy_parts.port or 80
        what = "the proxy"
    rest = ORDER[3:]
    loop = asyncio.get_running_loop()
    seconds = _seconds(options)
    try:
        infos = await _timed(
            loop.getaddrinfo(target_host, target_port, type=socket.SOCK_STREAM), seconds
        )
    except (OSError, TimeoutError) as exc:
        checks.append(
            _check(
                "dns",
                Verdict.FAIL,
                f"{target_host} ({what}) does not resolve: {_why(exc, seconds)}",
                "check the host name, and the DNS settings of this machine",
            )
        )
        return _skip_rest(checks, rest[1:], "dns failed")
    addresses = sorted({str(info[4][0]) for info in infos})
    checks.append(_check("dns", Verdict.OK, f"{target_host} ({what}): {', '.join(addresses[:4])}"))
    try:
        _, writer = await _timed(asyncio.open_connection(target_host, target_port), seconds)
    except (OSError, TimeoutError) as exc:
        checks.append(
            _check(
                "connect",
                Verdict.FAIL,
                f"cannot connect to {target_host}:{target_port} ({what}): {_why(exc, seconds)}",
                "check that the address is right and that a firewall lets it through",
            )
        )
        return _skip_rest(checks, rest[2:], "connect failed")
    writer.close()
    checks.append(_check("connect", Verdict.OK, f"{target_host}:{target_port} ({what})"))
    ssl_context = options.ssl_context or ssl.create_default_context()
    if not https:
        checks.append(_check("tls", Verdict.OK, "not used: plain HTTP to a loopback host"))
    elif proxy is not None:
        checks.append(
            _check(
                "tls",
                Verdict.SKIPPED,
                "not checked through a proxy",
                "the authenticated call below still verifies the certificate through it",
            )
        )
    else:
        check = await _tls_check(host, port, ssl_context, seconds)
        checks.append(check)
        if check.verdict is Verdict.FAIL:
            return _skip_rest(checks, rest[3:], "tls failed")
    try:
        checks.append(_clock_check(await _server_date(config, ssl_context, seconds)))
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        checks.append(
            _check(
                "clock",
                Verdict.WARN,
                f"no Date header to compare: {_why(exc, seconds)}",
                "the local clock was not compared; the call below says more",
            )
        )
    checks.append(await _account_check(get_account, options.api_key.hint))
    return Diagnosis(tuple(checks))


async def _tls_check(host: str, port: int, ssl_context: ssl.SSLContext, seconds: float) -> Check:
    try:
        _, writer = await _timed(
            asyncio.open_connection(host, port, ssl=ssl_context, server_hostname=host), seconds
        )
    except ssl.SSLCertVerificationError as exc:
        return _check(
            "tls",
            Verdict.FAIL,
            f"the certificate of {host} is not trusted: {exc.verify_message}",
            "pass ssl_context= with your CA, or check for a TLS-intercepting proxy",
        )
    except (OSError, TimeoutError) as exc:
        return _check(
            "tls",
            Verdict.FAIL,
            f"TLS handshake with {host} failed: {_why(exc, seconds)}",
            "check that the base URL's port speaks HTTPS",
        )
    cert = writer.get_extra_info("peercert")
    writer.close()
    return _cert_check(cert, host)


for _public in (Check, Diagnosis, Verdict):
    _public.__module__ = "freestyle_async"
