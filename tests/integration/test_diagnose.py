"""``diagnose()``: each check against the emulator and against servers that fail one way each
(a dead port, an untrusted certificate, a clock 10 minutes off), directly and through a
forward proxy; no piece of the key in anything it returns."""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import format_datetime

import pytest
import trustme
from _key_checks import assert_no_key
from aiohttp import web
from proxy._forward_proxy import ForwardProxy, TlsFront

from freestyle_async import AsyncFreestyle, Diagnosis, Verdict
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Emulator

ORDER = ["key", "base_url", "proxy", "dns", "connect", "tls", "clock", "account"]
KEY = "ft_" + "5a" * 32


def _verdicts(diagnosis: Diagnosis) -> dict[str, str]:
    return {check.name: check.verdict.value for check in diagnosis.checks}


def _clean(diagnosis: Diagnosis, *keys: str) -> None:
    """The names are in order, and no key fragment is in the checks nor their JSON."""
    assert [check.name for check in diagnosis.checks] == ORDER
    text = json.dumps(diagnosis.to_dict()) + repr(diagnosis)
    assert_no_key(text, *keys, where="the diagnosis")


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[int]]]:
    """Serve an aiohttp app on loopback (``ssl`` for HTTPS); returns its port."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application, context: ssl.SSLContext | None = None) -> int:
        runner = web.AppRunner(app)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        return int(runner.addresses[0][1])

    yield start
    for runner in runners:
        await runner.cleanup()


def _app(date: dt.datetime | None = None) -> web.Application:
    """Answers everything 401 (as the API does without a valid key), with ``Date`` set."""

    async def handler(request: web.Request) -> web.Response:
        headers = {} if date is None else {"Date": format_datetime(date, usegmt=True)}
        return web.json_response(
            {"error": {"code": "unauthorized", "message": "Invalid API key"}},
            status=401,
            headers=headers,
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


async def test_all_checks_pass_against_the_emulator(emu: Emulator, fs: AsyncFreestyle) -> None:
    diagnosis = await fs.diagnose()
    _clean(diagnosis, emu.api_key)
    assert diagnosis.ok and diagnosis.first_failure is None
    assert set(_verdicts(diagnosis).values()) == {"ok"}
    account = diagnosis.checks[-1]
    assert account.status == 200
    assert "GET /account: HTTP 200 in" in account.detail and "request id req_" in account.detail
    assert diagnosis.checks[0].detail.startswith("ft_…" + emu.api_key[-4:])
    assert diagnosis.to_dict()["ok"] is True


def test_the_sync_client_diagnoses_the_same(freestyle_emulator_thread: Emulator) -> None:
    emu = freestyle_emulator_thread
    with Freestyle(emu.api_key, base_url=emu.base_url) as fs:
        diagnosis = fs.diagnose()
    _clean(diagnosis, emu.api_key)
    assert diagnosis.ok


async def test_a_key_of_another_shape_is_a_warning_not_a_failure(emu: Emulator) -> None:
    async with AsyncFreestyle("sk-not-the-shape-1234", base_url=emu.base_url) as fs:
        diagnosis = await fs.diagnose()
    key = diagnosis.checks[0]
    assert key.verdict is Verdict.WARN and "not the documented shape" in key.detail
    assert diagnosis.checks[-1].status == 401  # and the server says why
    _clean(diagnosis, "sk-not-the-shape-1234")


async def test_a_wrong_key_is_explained(emu: Emulator) -> None:
    async with AsyncFreestyle(KEY, base_url=emu.base_url) as fs:
        diagnosis = await fs.diagnose()
    _clean(diagnosis, KEY)
    assert not diagnosis.ok
    failure = diagnosis.first_failure
    assert failure is not None and failure.name == "account" and failure.status == 401
    assert "wrong or revoked" in failure.hint and "ft_…5a5a" in failure.hint


async def test_a_disabled_key_is_explained(emu: Emulator) -> None:
    async with AsyncFreestyle(emu.disabled_api_key, base_url=emu.base_url) as fs:
        diagnosis = await fs.diagnose()
    _clean(diagnosis, emu.disabled_api_key)
    failure = diagnosis.first_failure
    assert failure is not None and failure.status == 403
    assert "api_disabled" in failure.detail
    assert "API access is disabled for the account" in failure.hint


async def test_a_dead_port_fails_the_connect_and_skips_what_needs_it() -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AsyncFreestyle(KEY, base_url=f"http://127.0.0.1:{port}/v1") as fs:
        diagnosis = await fs.diagnose()
    _clean(diagnosis, KEY)
    assert _verdicts(diagnosis) == {
        **dict.fromkeys(["key", "base_url", "proxy", "dns"], "ok"),
        "connect": "fail",
        **dict.fromkeys(["tls", "clock", "account"], "skipped"),
    }
    assert f"127.0.0.1:{port}" in diagnosis.checks[4].detail


async def test_an_untrusted_certificate_fails_tls_and_a_trusted_one_is_described(
    serve: Callable[..., Awaitable[int]],
) -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    port = await serve(_app(), context)
    url = f"https://127.0.0.1:{port}/v1"
    async with AsyncFreestyle(KEY, base_url=url) as fs:
        untrusted = await fs.diagnose()
    _clean(untrusted, KEY)
    tls = untrusted.checks[5]
    assert tls.verdict is Verdict.FAIL and "not trusted" in tls.detail
    assert "ssl_context=" in tls.hint
    assert _verdicts(untrusted)["clock"] == _verdicts(untrusted)["account"] == "skipped"

    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    async with AsyncFreestyle(KEY, base_url=url, ssl_context=trusting) as fs:
        trusted = await fs.diagnose()
    tls = trusted.checks[5]
    assert tls.verdict is Verdict.OK and "expires 3000-01-01" in tls.detail  # trustme's
    assert "verified for 127.0.0.1, subject organizationName=trustme" in tls.detail
    assert trusted.first_failure is not None and trusted.first_failure.status == 401


async def test_a_server_clock_10_minutes_off_is_a_warning(
    serve: Callable[..., Awaitable[int]],
) -> None:
    late = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    port = await serve(_app(late))
    async with AsyncFreestyle(KEY, base_url=f"http://127.0.0.1:{port}/v1") as fs:
        diagnosis = await fs.diagnose()
    _clean(diagnosis, KEY)
    clock = diagnosis.checks[6]
    assert clock.verdict is Verdict.WARN
    assert "ahead of the server (10 minutes)" in clock.detail and "NTP" in clock.hint

    port = await serve(_app(dt.datetime.now(dt.UTC)))
    async with AsyncFreestyle(KEY, base_url=f"http://127.0.0.1:{port}/v1") as fs:
        assert (await fs.diagnose()).checks[6].verdict is Verdict.OK


async def test_through_a_proxy_plain_and_https(emu: Emulator) -> None:
    ca = trustme.CA()
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("api.freestyle.test").configure_cert(server_side)
    front = TlsFront(server_side, emu.port)
    proxy = ForwardProxy(
        hosts={"api.freestyle.test": ("127.0.0.1", front.port)}, credentials=("u", "s3cret-pw")
    )
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    proxy_url = proxy.url.replace("://", "://u:s3cret-pw@")
    try:
        async with AsyncFreestyle(emu.api_key, base_url=emu.base_url, proxy=proxy_url) as fs:
            plain = await fs.diagnose()
        https_url = f"https://api.freestyle.test:{front.port}/v1"
        async with AsyncFreestyle(
            emu.api_key, base_url=https_url, proxy=proxy_url, ssl_context=trusting
        ) as fs:
            tunnel = await fs.diagnose()
    finally:
        proxy.stop()
        front.stop()
    for diagnosis in (plain, tunnel):
        _clean(diagnosis, emu.api_key)
        assert "s3cret-pw" not in json.dumps(diagnosis.to_dict())
        assert diagnosis.ok
        assert diagnosis.checks[2].detail == f"through {proxy.url} with a user and password"
        assert "(the proxy)" in diagnosis.checks[3].detail
    assert tunnel.checks[5].verdict is Verdict.SKIPPED
    assert tunnel.checks[5].detail == "not checked through a proxy"
    assert [method for method, _, _ in proxy.seen] == ["HEAD", "GET", "CONNECT", "CONNECT"]


async def test_a_certificate_expiring_within_14_days_is_a_warning(
    serve: Callable[..., Awaitable[int]],
) -> None:
    ca = trustme.CA()
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", common_name="api.example", not_after=soon).configure_cert(context)
    port = await serve(_app(), context)
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    async with AsyncFreestyle(
        KEY, base_url=f"https://127.0.0.1:{port}/v1", ssl_context=trusting
    ) as fs:
        tls = (await fs.diagnose()).checks[5]
    assert tls.verdict is Verdict.WARN and "expires within 14 days" in tls.hint
    assert f"commonName=api.example, expires {soon:%Y-%m-%d}" in tls.detail
