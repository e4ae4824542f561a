"""TLS against a local HTTPS server whose certificate comes from a throwaway trustme CA."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import pytest
import trustme

from freestyle_async import APIConnectionError, RetryPolicy, Timeout

from .hostile_server import HostileServer
from .hostile_support import ClientFactory, assert_exception_clean

# Also run on uvloop's event loop in CI (pytest -m uvloop --uvloop, tests/conftest.py).
pytestmark = pytest.mark.uvloop


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _server_context(ca: trustme.CA, *hosts: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(context)
    return context


def _trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@pytest.fixture
async def https_server(ca: trustme.CA) -> AsyncIterator[HostileServer]:
    async with HostileServer(ssl_context=_server_context(ca, "127.0.0.1", "localhost")) as s:
        yield s


class CountingSleep:
    """A RetryPolicy sleep that records the retries instead of waiting."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, seconds: float) -> None:
        self.calls += 1


async def test_untrusted_certificate_fails_clearly_and_is_not_retried(
    https_server: HostileServer, make_client: ClientFactory
) -> None:
    sleep = CountingSleep()
    client = make_client(
        https_server.url("ok"),
        timeout=Timeout(total=5.0),
        max_retries=5,
        retry_policy=RetryPolicy(sleep=sleep),
    )
    with pytest.raises(APIConnectionError) as info:
        await client.dial_campaigns.list().first_page()
    exc = info.value
    assert type(exc) is APIConnectionError
    assert "TLS certificate verification failed" in str(exc)
    assert f"127.0.0.1:{https_server.port}" in str(exc)
    assert "certificate verify failed" in str(exc)
    assert exc.transient is False and exc.request_sent is False
    assert sleep.calls == 0, "a certificate error must not be retried"
    assert https_server.hits["ok"] == 0
    assert_exception_clean(exc)


async def test_callers_ssl_context_that_trusts_the_ca_works(
    ca: trustme.CA, https_server: HostileServer, make_client: ClientFactory
) -> None:
    client = make_client(https_server.url("ok"), ssl_context=_trusting(ca), max_retries=0)
    page = await client.dial_campaigns.list().first_page()
    assert page.data == []
    assert https_server.hits["ok"] == 1


async def test_hostname_mismatch_is_refused_even_with_a_trusting_context(
    ca: trustme.CA, make_client: ClientFactory
) -> None:
    async with HostileServer(ssl_context=_server_context(ca, "api.example.com")) as server:
        client = make_client(server.url("ok"), ssl_context=_trusting(ca), max_retries=3)
        with pytest.raises(APIConnectionError) as info:
            await client.dial_campaigns.list().first_page()
    assert info.value.transient is False
    assert "TLS certificate verification failed" in str(info.value)
    assert "127.0.0.1" in str(info.value)
    assert server.hits["ok"] == 0


async def test_plain_http_client_against_https_server_is_a_connection_error(
    https_server: HostileServer, make_client: ClientFactory
) -> None:
    url = https_server.url("ok").replace("https://", "http://")
    client = make_client(url, timeout=Timeout(total=2.0, read=0.5), max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await client.dial_campaigns.list().first_page()
    assert "GET /dial-campaigns" in str(info.value)
    assert_exception_clean(info.value)
