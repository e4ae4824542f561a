"""Fixtures of the proxy tests: the emulator on a thread of its own (the sync client and the
command block the test's thread), served over HTTPS by a TLS front with a trustme
certificate for ``api.freestyle.test``, and a recording forward proxy per test that knows
that name. No proxy variable of the developer's environment reaches a test."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
import trustme

from freestyle_async.testing import EmulatorThread

from ._forward_proxy import ForwardProxy, TlsFront

#: A name only the test proxy resolves (``.test`` is reserved: it resolves nowhere).
HOST = "api.freestyle.test"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorThread]:
    with EmulatorThread() as threaded:
        yield threaded


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def front(ca: trustme.CA, emulator: EmulatorThread) -> Iterator[TlsFront]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST).configure_cert(context)
    served = TlsFront(context, emulator.emulator.port)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client context that trusts the test CA (and verifies as usual)."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@pytest.fixture
def https_url(front: TlsFront) -> str:
    """The emulator's API over HTTPS, under a name only the proxy resolves."""
    return f"https://{HOST}:{front.port}/v1"


@pytest.fixture
def proxy(front: TlsFront) -> Iterator[ForwardProxy]:
    served = ForwardProxy(hosts={HOST: ("127.0.0.1", front.port)})
    try:
        yield served
    finally:
        served.stop()
