"""Proxies, through a real forward proxy on loopback (``_forward_proxy.py``): ``proxy=`` and
the environment (``HTTPS_PROXY``, ``NO_PROXY``, ``trust_env``), plain HTTP to the emulator and
HTTPS through ``CONNECT`` with the certificate still verified, a proxy that refuses, hangs up
or is down, and the proxy's password absent from everything shown; for ``AsyncFreestyle``,
``Freestyle`` and the ``freestyle`` command."""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import trustme
from _key_checks import assert_exception_clean, assert_locals_clean
from click.testing import CliRunner

from freestyle_async import APIConnectionError, AsyncFreestyle, Freestyle, ValidationError
from freestyle_async.cli._app import cli
from freestyle_async.testing import EmulatorThread

from ._forward_proxy import ForwardProxy, TlsFront
from .conftest import HOST

# The async tests run again on uvloop's event loop in CI (its CONNECT and TLS-in-TLS paths).
pytestmark = pytest.mark.uvloop

USER = "alice"
PASSWORD = "pr0xy-S3cret/with@odd:chars"
SHOWN_PASSWORD = "pr0xy-S3cret"  # a piece of it, to look for in what is shown


def _with_credentials(url: str, password: str = PASSWORD) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{USER}:{quote(password, safe='')}@{rest}"


def _assert_clean(*texts: str) -> None:
    for text in texts:
        assert SHOWN_PASSWORD not in text and quote(PASSWORD, safe="") not in text, text


class _ToLoopback(aiohttp.abc.AbstractResolver):
    """Resolves every name to 127.0.0.1: lets a client reach ``api.freestyle.test``
    directly, to show that a request did not go through the proxy."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[Any]:
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        pass


@pytest.fixture
async def direct_session(trusting: ssl.SSLContext) -> AsyncIterator[aiohttp.ClientSession]:
    connector = aiohttp.TCPConnector(resolver=_ToLoopback(), ssl=trusting)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------ through the proxy


async def test_plain_http_to_the_emulator_goes_through_proxy_argument(
    emulator: EmulatorThread, proxy: ForwardProxy
) -> None:
    emu = emulator
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url, proxy=proxy.url) as fs:
        account = await fs.account.get()
    assert account.id
    assert proxy.seen == [("GET", f"{emu.base_url}/account", None)]


async def test_https_goes_through_a_connect_tunnel(
    emulator: EmulatorThread, proxy: ForwardProxy, https_url: str, trusting: ssl.SSLContext
) -> None:
    key = emulator.api_key
    async with AsyncFreestyle(key, base_url=https_url, proxy=proxy.url, ssl_context=trusting) as fs:
        await fs.account.get()
        await fs.billing.usage(from_="2026-05-01", to="2026-05-31")
    port = https_url.split(":")[2].split("/")[0]
    assert proxy.seen == [("CONNECT", f"{HOST}:{port}", None)], "one tunnel, reused"


async def test_the_servers_certificate_is_still_verified_through_the_tunnel(
    emulator: EmulatorThread, proxy: ForwardProxy, https_url: str
) -> None:
    async with AsyncFreestyle(
        emulator.api_key, base_url=https_url, proxy=proxy.url, max_retries=3
    ) as fs:
        with pytest.raises(APIConnectionError) as info:
            await fs.account.get()
    assert "TLS certificate verification failed" in str(info.value)
    assert info.value.transient is False
    assert [method for method, _, _ in proxy.seen] == ["CONNECT"], "not retried"


@pytest.mark.parametrize(
    ("variable", "scheme"),
    [
        ("HTTPS_PROXY", "http://"),
        ("https_proxy", "http://"),
        ("ALL_PROXY", "http://"),
        ("HTTPS_PROXY", ""),
    ],  # without a scheme: read as http://, as requests and httpx do
)
async def test_https_proxy_from_the_environment(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    trusting: ssl.SSLContext,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    scheme: str,
) -> None:
    monkeypatch.setenv(variable, f"{scheme}127.0.0.1:{proxy.port}")
    async with AsyncFreestyle(emulator.api_key, base_url=https_url, ssl_context=trusting) as fs:
        await fs.account.get()
    assert [method for method, _, _ in proxy.seen] == ["CONNECT"]


@pytest.mark.parametrize(
    ("no_proxy", "trust_env", "through_proxy"),
    [
        (None, True, True),
        (HOST, True, False),
        (".freestyle.test", True, False),
        ("*", True, False),
        ("other.example", True, True),
        (None, False, False),
    ],
)
async def test_no_proxy_and_trust_env_decide_whether_the_environment_proxy_is_used(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    direct_session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    no_proxy: str | None,
    trust_env: bool,
    through_proxy: bool,
) -> None:
    """The session resolves every name to loopback, so the call succeeds either way: what
    the proxy recorded tells which way it went."""
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    if no_proxy is not None:
        monkeypatch.setenv("NO_PROXY", no_proxy)
    fs = AsyncFreestyle(
        emulator.api_key, base_url=https_url, session=direct_session, trust_env=trust_env
    )
    await fs.account.get()
    assert bool(proxy.seen) is through_proxy


async def test_an_explicit_proxy_ignores_the_environment(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = emulator
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_free_port()}")
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url, proxy=proxy.url) as fs:
        await fs.account.get()
    assert len(proxy.seen) == 1


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"])
async def test_loopback_never_goes_through_an_environment_proxy(
    emulator: EmulatorThread, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """A developer with a proxy in the environment can still run the emulator tests."""
    emu = emulator
    proxy.mode = "refuse"
    monkeypatch.setenv(variable, proxy.url)
    for base_url in (emu.base_url, emu.base_url.replace("127.0.0.1", "localhost")):
        async with AsyncFreestyle(emu.api_key, base_url=base_url) as fs:
            await fs.account.get()
    assert proxy.seen == []


async def test_an_https_proxy_carries_plain_http_and_a_tls_tunnel(
    emulator: EmulatorThread,
    front: TlsFront,
    ca: trustme.CA,
    https_url: str,
    trusting: ssl.SSLContext,
) -> None:
    """TLS to the proxy (its certificate verified with the client's context), and for an
    HTTPS API a second TLS session inside it."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    secure = ForwardProxy(hosts={HOST: ("127.0.0.1", front.port)}, context=context)
    try:
        emu = emulator
        for base_url in (emu.base_url, https_url):
            async with AsyncFreestyle(
                emu.api_key, base_url=base_url, proxy=secure.url, ssl_context=trusting
            ) as fs:
                await fs.account.get()
    finally:
        secure.stop()
    assert secure.url.startswith("https://")
    assert [method for method, _, _ in secure.seen] == ["GET", "CONNECT"]


# ------------------------------------------------------------------ credentials


async def test_credentials_reach_the_proxy_on_plain_http_and_on_connect(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    trusting: ssl.SSLContext,
) -> None:
    emu = emulator
    proxy.credentials = (USER, PASSWORD)
    url = _with_credentials(proxy.url)
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url, proxy=url) as fs:
        await fs.account.get()
        _assert_clean(repr(fs), repr(fs._options), repr(fs._config))
    async with AsyncFreestyle(
        emu.api_key, base_url=https_url, proxy=url, ssl_context=trusting
    ) as fs:
        await fs.account.get()
    assert [(method, user) for method, _, user in proxy.seen] == [
        ("GET", f"{USER}:{PASSWORD}"),
        ("CONNECT", f"{USER}:{PASSWORD}"),
    ]


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("mode", ["wrong password", "refuse"])
async def test_a_refusing_proxy_is_a_clear_connection_error_without_the_password(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    trusting: ssl.SSLContext,
    caplog: pytest.LogCaptureFixture,
    scheme: str,
    mode: str,
) -> None:
    emu = emulator
    events: list[object] = []
    if mode == "refuse":
        proxy.mode = "refuse"
    else:
        proxy.credentials = (USER, "the-right-one")
    base_url = emu.base_url if scheme == "http" else https_url
    caplog.set_level(logging.DEBUG, logger="freestyle_async")
    async with AsyncFreestyle(
        emu.api_key,
        base_url=base_url,
        proxy=_with_credentials(proxy.url),
        ssl_context=trusting,
        max_retries=3,
        on_request=events.append,
        on_response=events.append,
        on_retry=events.append,
    ) as fs:
        with pytest.raises(APIConnectionError) as info:
            await fs.account.get()
    exc = info.value
    assert f"the proxy {proxy.url} refused" in str(exc)
    assert "HTTP 407 Proxy Authentication Required" in str(exc)
    assert exc.transient is False and exc.request_sent is False
    assert len(proxy.seen) == 1, "a refusal is not retried"
    assert_exception_clean(exc, PASSWORD)
    assert_locals_clean(exc, PASSWORD, also=[SHOWN_PASSWORD, quote(PASSWORD, safe="")])
    _assert_clean(str(exc), repr(exc), caplog.text, *map(repr, events))


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_proxy_that_hangs_up_is_named_in_the_error(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    trusting: ssl.SSLContext,
    scheme: str,
) -> None:
    emu = emulator
    proxy.mode = "close"
    base_url = emu.base_url if scheme == "http" else https_url
    async with AsyncFreestyle(
        emu.api_key,
        base_url=base_url,
        proxy=_with_credentials(proxy.url),
        ssl_context=trusting,
        max_retries=0,
    ) as fs:
        with pytest.raises(APIConnectionError) as info:
            await fs.account.get()
    assert f"(through the proxy {proxy.url})" in str(info.value)
    assert_exception_clean(info.value, PASSWORD)
    _assert_clean(str(info.value), repr(info.value))


async def test_a_proxy_that_is_down_is_named_in_the_error(emulator: EmulatorThread) -> None:
    emu = emulator
    down = f"http://127.0.0.1:{_free_port()}"
    async with AsyncFreestyle(
        emu.api_key, base_url=emu.base_url, proxy=_with_credentials(down), max_retries=0
    ) as fs:
        with pytest.raises(APIConnectionError) as info:
            await fs.account.get()
    assert f"cannot connect to the proxy {down}" in str(info.value)
    assert info.value.request_sent is False
    _assert_clean(str(info.value), repr(info.value))


# ------------------------------------------------------------------ checks at construction


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("socks5://host:1080", "must start with http:// or https://"),
        ("proxy.example:3128", "must start with http:// or https://"),
        ("http://", "has no host"),
        (f"http://{USER}:{quote(PASSWORD, safe='')}@:3128", "has no host"),
        ("http://host:0", "port must be between 1 and 65535"),
        ("http://host:65536", "cannot be parsed"),
        ("http://host:3128/path", "no path or query"),
        ("http://host:3128?x=1", "no path or query"),
        (f"http://{USER}:pw@host:31 28", "whitespace or a control character"),
        ("http://ho\nst:3128", "whitespace or a control character"),
        ("http://bad_host!:3128", "not a valid host name"),
    ],
)
def test_a_bad_proxy_url_is_refused_at_construction(url: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=r"proxy .* is refused") as info:
        AsyncFreestyle("ft_" + "a" * 64, base_url="http://127.0.0.1:9/v1", proxy=url)
    assert problem in str(info.value)
    _assert_clean(str(info.value))
    assert "pw@" not in str(info.value)


def test_a_refused_proxy_url_leaves_its_password_in_no_traceback_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What an error reporter that captures locals would show (the key's rule), in the SDK's
    frames (this test's own hold the URL it passes)."""
    bad = _with_credentials("http://proxy.example:3128/path")
    key = "ft_" + "a" * 64
    secrets = [SHOWN_PASSWORD, quote(PASSWORD, safe="")]
    attempts: list[Callable[[], object]] = [
        lambda: AsyncFreestyle(key, base_url=f"https://{HOST}/v1", proxy=bad),
        lambda: Freestyle(key, base_url=f"https://{HOST}/v1", proxy=bad),
        lambda: AsyncFreestyle(key, base_url=f"https://{HOST}/v1").with_options(proxy=bad),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as info:
            attempt()
        assert _sdk_locals_clean(info.value, secrets) > 1
    monkeypatch.setenv("HTTPS_PROXY", bad)
    with pytest.raises(ValidationError) as info:
        AsyncFreestyle(key, base_url=f"https://{HOST}/v1")
    assert _sdk_locals_clean(info.value, secrets) > 1


def _sdk_locals_clean(exc: BaseException, secrets: list[str]) -> int:
    """No ``secrets`` in the repr of any local of the SDK's traceback frames; their number."""
    frames = 0
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "freestyle_async" in frame.f_code.co_filename:
            frames += 1
            for name, value in frame.f_locals.items():
                for secret in secrets:
                    assert secret not in f"{name}={value!r}", frame.f_code.co_qualname
        tb = tb.tb_next
    return frames


def test_a_bad_proxy_in_the_environment_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", _with_credentials("ftp://proxy.example:21"))
    with pytest.raises(ValidationError) as info:
        AsyncFreestyle("ft_" + "a" * 64, base_url=f"https://{HOST}/v1")
    assert "the proxy from the environment (HTTPS_PROXY)" in str(info.value)
    _assert_clean(str(info.value))
    with pytest.raises(ValidationError) as info:
        Freestyle("ft_" + "a" * 64, base_url=f"https://{HOST}/v1")
    _assert_clean(str(info.value))
    # trust_env=False never reads it
    AsyncFreestyle("ft_" + "a" * 64, base_url=f"https://{HOST}/v1", trust_env=False)


def test_trust_env_must_be_a_bool() -> None:
    with pytest.raises(ValidationError, match="trust_env must be True or False"):
        AsyncFreestyle("ft_" + "a" * 64, trust_env="no")  # type: ignore[arg-type]


async def test_with_options_changes_the_proxy_of_a_copy(
    emulator: EmulatorThread, proxy: ForwardProxy
) -> None:
    emu = emulator
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url) as fs:
        await fs.account.get()
        await fs.with_options(proxy=proxy.url).account.get()
        await fs.account.get()
    assert len(proxy.seen) == 1


# ------------------------------------------------------------------ the sync client


def test_freestyle_through_the_proxy(
    emulator: EmulatorThread,
    proxy: ForwardProxy,
    https_url: str,
    trusting: ssl.SSLContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = emulator
    proxy.credentials = (USER, PASSWORD)
    with Freestyle(emu.api_key, base_url=emu.base_url, proxy=_with_credentials(proxy.url)) as fs:
        fs.account.get()
        _assert_clean(repr(fs))
    monkeypatch.setenv("HTTPS_PROXY", _with_credentials(proxy.url))
    with Freestyle(emu.api_key, base_url=https_url, ssl_context=trusting) as fs:
        fs.account.get()
    assert [method for method, _, _ in proxy.seen] == ["GET", "CONNECT"]


def test_freestyle_with_a_refusing_proxy(emulator: EmulatorThread, proxy: ForwardProxy) -> None:
    emu = emulator
    proxy.credentials = (USER, "the-right-one")
    url = _with_credentials(proxy.url)
    with (
        Freestyle(emu.api_key, base_url=emu.base_url, proxy=url) as fs,
        pytest.raises(APIConnectionError, match="refused the request: HTTP 407") as info,
    ):
        fs.account.get()
    assert_exception_clean(info.value, PASSWORD)
    _assert_clean(str(info.value), repr(info.value))


# ------------------------------------------------------------------ the command


def _cli(emulator: EmulatorThread, *args: str, **env: str) -> Any:
    emu = emulator
    environment = {"FREESTYLE_API_KEY": emu.api_key, "FREESTYLE_BASE_URL": emu.base_url, **env}
    return CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)


def test_cli_proxy_option(emulator: EmulatorThread, proxy: ForwardProxy) -> None:
    proxy.credentials = (USER, PASSWORD)
    result = _cli(emulator, "--proxy", _with_credentials(proxy.url), "account", "--format", "json")
    assert result.exit_code == 0, result.output
    assert proxy.seen == [("GET", f"{emulator.base_url}/account", f"{USER}:{PASSWORD}")]


def test_cli_refused_by_the_proxy(emulator: EmulatorThread, proxy: ForwardProxy) -> None:
    proxy.credentials = (USER, "the-right-one")
    result = _cli(emulator, "--debug", "--proxy", _with_credentials(proxy.url), "account")
    assert result.exit_code == 7
    assert f"the proxy {proxy.url} refused the request: HTTP 407" in result.stderr
    assert "check --base-url / FREESTYLE_BASE_URL, the proxy (--proxy / HTTPS_PROXY)" in (
        result.stderr.replace("\n", " ")
    )
    _assert_clean(result.stdout, result.stderr)


def test_cli_https_proxy_from_the_environment(
    emulator: EmulatorThread, proxy: ForwardProxy, https_url: str
) -> None:
    """The command trusts only the system's CAs: the tunnel opens, and the test CA's
    certificate is then refused, which shows both the route and the verification."""
    proxy.credentials = (USER, PASSWORD)
    result = _cli(
        emulator,
        "account",
        FREESTYLE_BASE_URL=https_url,
        HTTPS_PROXY=_with_credentials(proxy.url),
    )
    assert result.exit_code == 7
    assert "TLS certificate verification failed" in result.stderr
    assert [method for method, _, _ in proxy.seen] == ["CONNECT"]
    _assert_clean(result.stdout, result.stderr)


def test_cli_refuses_a_bad_proxy_as_a_usage_error(emulator: EmulatorThread) -> None:
    result = _cli(emulator, "--proxy", _with_credentials("socks5://proxy.example:1080"), "account")
    assert result.exit_code == 2
    assert "--proxy" in result.stderr and "must start with http:// or https://" in result.stderr
    _assert_clean(result.stdout, result.stderr)
