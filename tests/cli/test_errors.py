"""Failures: one ``Error:`` line on stderr, a documented exit code, never the key."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aioresponses import aioresponses
from click.testing import Result

from freestyle_async.cli import _commands_account
from freestyle_async.cli._errors import ExitCode, from_sdk_error
from freestyle_async.errors import APIConnectionError, FreestyleError, ServerError
from freestyle_async.testing import Faults

from ._hostile import invoke, key_fragments, serve_error, terminal_problems
from ._support import Cli, EmulatorThread

SECRET = "ft_" + "5ec7e7" * 10 + "abcd"


def error_line(result: Result) -> str:
    """The one error line (``Error: ...``), checked to be alone and on stderr."""
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def test_exit_codes_are_the_documented_ones() -> None:
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0,
        "ERROR": 1,
        "USAGE": 2,
        "CONFIG": 3,
        "AUTH": 4,
        "NOT_FOUND": 5,
        "API": 6,
        "CONNECTION": 7,
        "INCOMPLETE": 8,
    }


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (ServerError(f"upstream refused key {SECRET}", status=502), ExitCode.API),
        (APIConnectionError(f"proxy said: bad token {SECRET}"), ExitCode.CONNECTION),
        (FreestyleError(f"{SECRET} is not valid"), ExitCode.ERROR),
    ],
)
def test_a_key_echoed_in_an_error_is_redacted(exc: FreestyleError, code: ExitCode) -> None:
    error = from_sdk_error(exc, action="listing dial campaigns", api_key=SECRET)
    assert error.exit_code == code
    assert key_fragments(error.message, SECRET) == []
    assert "ft_…abcd" in error.message
    assert error.message.startswith("listing dial campaigns failed: ")


def test_missing_key(run: Cli) -> None:
    result = run("campaigns", "list", env={"FREESTYLE_API_KEY": None})
    assert result.exit_code == 3
    assert error_line(result) == "Error: no API key: set FREESTYLE_API_KEY or pass --api-key"


def test_empty_key_is_missing(run: Cli) -> None:
    result = run("account", env={"FREESTYLE_API_KEY": ""})
    assert result.exit_code == 3
    assert "no API key" in error_line(result)


def test_refused_key_401_is_never_echoed(run: Cli) -> None:
    for args in (
        ["--api-key", SECRET, "campaigns", "list"],
        ["account"],
    ):
        result = run(*args, env={"FREESTYLE_API_KEY": SECRET})
        assert result.exit_code == 4
        line = error_line(result)
        assert "HTTP 401" in line and "check FREESTYLE_API_KEY or --api-key" in line
        assert SECRET not in result.stdout + result.stderr
        assert SECRET[-20:] not in result.stdout + result.stderr


def test_key_with_a_newline_is_refused_without_echo(run: Cli) -> None:
    result = run("account", env={"FREESTYLE_API_KEY": SECRET + "\n"})
    assert result.exit_code == 3
    assert "whitespace" in error_line(result)
    assert SECRET not in result.stderr


def test_disabled_account_403(run: Cli, emulator: EmulatorThread) -> None:
    result = run("account", env={"FREESTYLE_API_KEY": emulator.emu.disabled_api_key})
    assert result.exit_code == ExitCode.AUTH
    line = error_line(result)
    assert "HTTP 403 api_disabled" in line and "account manager" in line
    assert emulator.emu.disabled_api_key not in result.stderr


def test_unknown_campaign_404_names_what_failed_and_what_to_do(run: Cli) -> None:
    result = run("summary", "c_does-not-exist")
    assert result.exit_code == 5
    line = error_line(result)
    assert line.startswith(
        "Error: getting the results summary of campaign c_does-not-exist failed: not found "
        "(HTTP 404 not_found"
    )
    assert line.endswith("check the campaign id with `freestyle campaigns list`")


@pytest.mark.parametrize(
    "args",
    [
        ["campaigns", "start", "c_nope"],
        ["results", "c_nope"],
        ["activity", "c_nope"],
        ["sms", "get", "sc_nope"],
        ["sms", "runs", "sc_nope"],
        ["sms", "messages", "sc_nope"],
        ["billing", "--campaign", "c_nope"],
    ],
)
def test_every_command_maps_404(run: Cli, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 5
    assert "HTTP 404" in error_line(result)


def test_another_accounts_campaign_is_404(run: Cli, emulator: EmulatorThread) -> None:
    theirs = emulator.emu.campaign_ids(emulator.emu.other_api_key)[0]
    result = run("results", theirs)
    assert result.exit_code == 5


def test_bad_parameter_400(run: Cli, emulator: EmulatorThread) -> None:
    sid = emulator.emu.sms_campaign_ids()[0]
    result = run("sms", "messages", sid, "--status", "not-a-status")
    assert result.exit_code == 6
    assert "HTTP 400 invalid_parameter" in error_line(result)


def test_server_error_after_retries(run: Cli, emulator: EmulatorThread) -> None:
    emulator.set_faults(Faults(error_rate=1.0, error_statuses=(500,)))
    try:
        result = run("--max-retries", "0", "campaigns", "list")
    finally:
        emulator.set_faults(None)
    assert result.exit_code == 6
    line = error_line(result)
    assert "the server failed (HTTP 500" in line and "--max-retries" in line


def test_timeout(run: Cli, emulator: EmulatorThread) -> None:
    emulator.set_faults(Faults(latency=0.5))
    try:
        result = run("--timeout", "0.1", "--max-retries", "0", "account")
    finally:
        emulator.set_faults(None)
    assert result.exit_code == 7
    assert "timed out" in error_line(result)


def test_nothing_listening(run: Cli) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(
        "--max-retries", "0", "account", env={"FREESTYLE_BASE_URL": f"http://127.0.0.1:{port}/v1"}
    )
    assert result.exit_code == 7
    line = error_line(result)
    assert f"could not reach http://127.0.0.1:{port}/v1" in line
    assert "FREESTYLE_BASE_URL" in line


def test_plain_http_to_a_remote_host_is_refused(run: Cli) -> None:
    result = run("--base-url", "http://api.example.com/v1", "account")
    assert result.exit_code == 3
    assert "HTTPS only" in error_line(result)


def test_usage_errors_are_exit_2(run: Cli) -> None:
    bad_date = run("results", "c_x", "--from", "2026-13-01")
    assert bad_date.exit_code == 2
    assert "is not a date written YYYY-MM-DD" in bad_date.stderr
    bad_type = run("activity", "c_x", "--type", "exploded")
    assert bad_type.exit_code == 2
    assert "records-imported" in bad_type.stderr
    bad_status = run("campaigns", "list", "--status", "sleeping")
    assert bad_status.exit_code == 2


def test_debug_adds_the_traceback_but_never_the_key(run: Cli, emulator: EmulatorThread) -> None:
    result = run("--debug", "summary", "c_does-not-exist")
    assert result.exit_code == 5
    assert "Traceback (most recent call last)" in result.stderr
    assert "NotFoundError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ")
    assert "GET /dial-campaigns/c_does-not-exist/results/summary -> 404" in result.stderr
    assert emulator.emu.api_key not in result.stdout + result.stderr
    assert emulator.emu.api_key[-12:] not in result.stderr


def test_help_never_shows_the_key(run: Cli) -> None:
    result = run("--help", env={"FREESTYLE_API_KEY": SECRET})
    assert result.exit_code == 0
    assert "FREESTYLE_API_KEY" in result.stdout
    assert SECRET not in result.stdout


def _fragment_echo(key: str) -> dict[str, Any]:
    """An error body quoting pieces of ``key``: plain, cut short, upper case, escaped."""
    message = f"key {key[5:30]} refused; full: {key.upper()} \x1b]52;c;{key[-20:]}\x07 " + "".join(
        f"\\u{ord(c):04x}" for c in key
    )
    return {"error": {"code": "unauthorized", "message": message}}


@pytest.mark.parametrize("source", ["environment", "--api-key"])
def test_debug_traceback_never_shows_the_key(source: str) -> None:
    env: dict[str, str | None] = {"FREESTYLE_API_KEY": SECRET}
    args = ["--debug", "account"]
    if source == "--api-key":
        env["FREESTYLE_API_KEY"] = "ft_" + "0" * 64
        args = ["--api-key", SECRET, *args]
    with aioresponses() as mock:
        serve_error(mock, 401, _fragment_echo(SECRET), {"X-Request-Id": f"req-{SECRET[3:40]}"})
        result = invoke(args, env)
    assert result.exit_code == ExitCode.AUTH
    assert "Traceback (most recent call last)" in result.stderr
    assert "AuthenticationError" in result.stderr
    assert key_fragments(result.stdout + result.stderr, SECRET) == []
    assert terminal_problems(result.stderr) == []


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_is_one_line_and_its_traceback_hides_the_key(
    run: Cli, emulator: EmulatorThread, monkeypatch: pytest.MonkeyPatch, debug: bool
) -> None:
    key = emulator.emu.api_key

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"a bug met the key {key} and \x1b[2J{key[10:30]}")

    monkeypatch.setattr(_commands_account, "account_view", boom)
    result = run(*(["--debug"] if debug else []), "account", "--format", "table")
    assert result.exit_code == ExitCode.ERROR
    last = result.stderr.rstrip().splitlines()[-1]
    assert last.startswith("Error: unexpected error: RuntimeError: a bug met the key ft_…")
    assert ("Traceback (most recent call last)" in result.stderr) == debug
    assert ("run again with --debug" in last) == (not debug)
    assert key_fragments(result.stdout + result.stderr, key) == []
    assert terminal_problems(result.stderr) == []
