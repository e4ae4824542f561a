"""``freestyle doctor``: one line per check, ``--format json``, and the documented exit code
of the first failure; no piece of the key in anything it prints."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import ssl
import time
from collections.abc import Iterator
from email.utils import format_datetime
from typing import Any

import pytest
import trustme
from _key_checks import assert_no_key
from click.testing import Result
from proxy._forward_proxy import ForwardProxy, TlsFront, _Served

from ._support import Cli, EmulatorThread

KEY = "ft_" + "c3" * 32
ORDER = ["key", "base_url", "proxy", "dns", "connect", "tls", "clock", "account"]


def _doctor(
    run: Cli, *options: str, fmt: str = "json", env: dict[str, str | None] | None = None
) -> Result:
    """``freestyle [options] doctor --format fmt``."""
    result = run(*options, "doctor", "--format", fmt, env=env)
    keys = [run.emulator.emu.api_key, run.emulator.emu.disabled_api_key, KEY]
    assert_no_key(result.stdout + result.stderr, *keys, where="the doctor's output")
    return result


def _json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    assert [check["name"] for check in data["checks"]] == ORDER
    return data


def _verdicts(data: dict[str, Any]) -> dict[str, str]:
    return {check["name"]: check["verdict"] for check in data["checks"]}


class _DateServer(_Served):
    """Answers every request 401 with ``Date`` set to ``date``."""

    def __init__(self, date: dt.datetime) -> None:
        self._date = format_datetime(date, usegmt=True)
        super().__init__()

    async def _start(self) -> asyncio.Server:
        return await self._listen()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        body = b'{"error": {"code": "unauthorized", "message": "Invalid API key"}}'
        writer.write(
            b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
            + f"Date: {self._date}\r\nContent-Length: {len(body)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + (b"" if head.startswith(b"HEAD ") else body)
        )
        await writer.drain()
        writer.close()


class _HostileServer(_DateServer):
    """A 401 whose error code holds a terminal escape and markup, and whose request id
    echoes the key it was sent."""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        key = next(
            (
                line.split(":", 1)[1].strip()
                for line in head.split("\r\n")
                if line.lower().startswith("x-api-key:")
            ),
            "",
        )
        body = json.dumps(
            {"error": {"code": "\x1b[2J[bold]gone[/]", "message": f"bad key {key}"}}
        ).encode()
        writer.write(
            b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
            + f"X-Request-Id: req_{key}\r\nContent-Length: {len(body)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + (b"" if head.startswith("HEAD ") else body)
        )
        await writer.drain()
        writer.close()


class _SilentServer(_Served):
    """Accepts connections and never answers."""

    async def _start(self) -> asyncio.Server:
        return await self._listen()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up


@pytest.fixture
def late_server() -> Iterator[_DateServer]:
    served = _DateServer(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10))
    try:
        yield served
    finally:
        served.stop()


def test_all_checks_pass_against_the_emulator(run: Cli) -> None:
    result = _doctor(run)
    assert result.exit_code == 0, result.stderr
    data = _json(result)
    assert data["ok"] is True and set(_verdicts(data).values()) == {"ok"}
    assert "request id req_" in data["checks"][-1]["detail"]

    table = _doctor(run, fmt="table")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:8]] == [["ok", name] for name in ORDER]
    assert lines[-1] == "All checks passed."


def test_without_a_key_the_key_check_fails_with_exit_3(run: Cli) -> None:
    result = _doctor(run, env={"FREESTYLE_API_KEY": None})
    assert result.exit_code == 3
    data = _json(result)
    assert (
        data["checks"][0]["verdict"] == "fail" and "FREESTYLE_API_KEY" in data["checks"][0]["hint"]
    )
    assert set(list(_verdicts(data).values())[1:]) == {"skipped"}


def test_a_refused_base_url_fails_its_check_with_exit_3(run: Cli) -> None:
    result = _doctor(run, "--base-url", "http://api.example.com/v1")
    assert result.exit_code == 3
    assert _verdicts(_json(result))["base_url"] == "fail"


@pytest.mark.parametrize("which", ["wrong", "disabled"])
def test_a_refused_key_is_explained_with_exit_4(run: Cli, which: str) -> None:
    key = KEY if which == "wrong" else run.emulator.emu.disabled_api_key
    result = _doctor(run, fmt="table", env={"FREESTYLE_API_KEY": key})
    assert result.exit_code == 4
    expected = (
        "is wrong or revoked" if which == "wrong" else "API access is disabled for the account"
    )
    assert expected in result.stdout
    assert "The account check failed." in result.stdout


def test_a_dead_port_exits_7_and_skips_the_rest(run: Cli) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = _doctor(run, "--base-url", f"http://127.0.0.1:{port}/v1")
    assert result.exit_code == 7
    verdicts = _verdicts(_json(result))
    assert verdicts["connect"] == "fail" and verdicts["account"] == "skipped"


def test_an_untrusted_certificate_fails_tls_with_exit_7(emulator: EmulatorThread) -> None:
    run = Cli(emulator)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    front = TlsFront(context, emulator.emu.port)
    try:
        result = _doctor(run, "--base-url", f"https://127.0.0.1:{front.port}/v1")
    finally:
        front.stop()
    assert result.exit_code == 7
    tls = _json(result)["checks"][5]
    assert tls["verdict"] == "fail" and "not trusted" in tls["detail"]


def test_a_clock_10_minutes_off_is_a_warning(run: Cli, late_server: _DateServer) -> None:
    url = f"http://127.0.0.1:{late_server.port}/v1"
    result = _doctor(run, "--base-url", url, fmt="table", env={"FREESTYLE_API_KEY": KEY})
    clock = next(line for line in result.stdout.splitlines() if line.startswith("warn"))
    assert clock.split()[1] == "clock" and "(10 minutes)" in clock
    assert result.exit_code == 4  # the warning does not fail; the fake server's 401 does


def test_through_a_proxy(run: Cli) -> None:
    proxy = ForwardProxy(credentials=("u", "pw-s3cret"))
    try:
        with_credentials = proxy.url.replace("://", "://u:pw-s3cret@")
        result = _doctor(run, "--proxy", with_credentials)
    finally:
        proxy.stop()
    assert result.exit_code == 0, result.stdout
    data = _json(result)
    assert data["checks"][2]["detail"] == f"through {proxy.url} with a user and password"
    assert "pw-s3cret" not in result.stdout + result.stderr
    assert [method for method, _, _ in proxy.seen] == ["HEAD", "GET"]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_server_text_is_made_safe_and_the_echoed_key_taken_out(run: Cli, fmt: str) -> None:
    served = _HostileServer(dt.datetime.now(dt.UTC))
    try:
        url = f"http://127.0.0.1:{served.port}/v1"
        result = _doctor(run, "--base-url", url, fmt=fmt, env={"FREESTYLE_API_KEY": KEY})
    finally:
        served.stop()
    assert result.exit_code == 4
    assert "\x1b" not in result.stdout  # shown escaped, never sent to the terminal
    assert "\\x1b[2J[bold]gone[/]" in result.stdout or "\\u001b[2J[bold]gone[/]" in result.stdout


def test_a_server_that_never_answers_holds_each_check_to_the_timeout(run: Cli) -> None:
    """Before: the clock check waited the 10 s connect default whatever --timeout said, and
    a timeout's reason was empty."""
    silent = _SilentServer()
    try:
        started = time.monotonic()
        result = _doctor(
            run, "--timeout", "0.5", "--base-url", f"http://127.0.0.1:{silent.port}/v1"
        )
        elapsed = time.monotonic() - started
    finally:
        silent.stop()
    assert result.exit_code == 7
    checks = {check["name"]: check for check in _json(result)["checks"]}
    assert checks["clock"]["detail"] == "no Date header to compare: no answer within 0.5 s"
    assert checks["account"]["detail"].startswith("GET /account: no complete answer")
    assert "GET /account: GET /account" not in checks["account"]["detail"]
    assert elapsed < 5  # two waits of 0.5 s


def test_a_base_url_with_a_wrong_path_is_a_settings_error(run: Cli) -> None:
    result = _doctor(run, "--base-url", run.emulator.emu.base_url + "/extra")
    assert result.exit_code == 3
    account = _json(result)["checks"][-1]
    assert account["status"] == 404 and "check the base URL" in account["hint"]
