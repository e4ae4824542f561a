"""The emulator's options: one table read by ``python -m freestyle_async.testing`` (argparse)
and ``freestyle emulator`` (click), with the same values, checks and messages."""

from __future__ import annotations

import asyncio
import inspect
import io
import subprocess
import sys
from typing import Any

import click
import pytest

from freestyle_async.cli._commands_emulator import emulator as emulator_command
from freestyle_async.testing import EMULATOR_OPTIONS, Emulator, Faults, serve
from freestyle_async.testing._serve import build_parser, serve_options

_FLAGS = [option.flag for option in EMULATOR_OPTIONS]


def _argparse(args: list[str]) -> dict[str, Any]:
    return vars(build_parser().parse_args(args))


def _click(args: list[str]) -> dict[str, Any]:
    with emulator_command.make_context("emulator", list(args)) as ctx:
        return dict(ctx.params)


def test_both_command_lines_take_every_option_of_the_table() -> None:
    argparse_flags = [
        flag
        for action in build_parser()._actions
        for flag in action.option_strings
        if flag not in ("-h", "--help")
    ]
    click_flags = [
        flag
        for param in emulator_command.params
        for flag in param.opts
        if flag not in ("-h", "--help")
    ]
    assert argparse_flags == _FLAGS
    assert click_flags == _FLAGS
    assert {"--header-timeout", "--body-timeout"} <= set(_FLAGS)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--port", "0", "--seed", "-3", "--results-per-campaign", "0", "--no-keep-records"],
        ["--latency", "250", "--error-rate", "0.1", "--error-statuses", " 500, 503,"],
        ["--rate-limit-rate", "1", "--retry-after", "0.05", "--fault-methods", "post,Patch"],
        ["--drop-before-rate", "0.5", "--drop-after-rate", "1e-1", "--fault-seed", "9"],
        ["--header-timeout", "0.25", "--body-timeout", "120", "--host", "::1"],
    ],
)
def test_both_command_lines_read_the_same_values(args: list[str]) -> None:
    assert _argparse(args) == _click(args)


def test_the_defaults_are_serves_own() -> None:
    given = serve_options(_argparse([]))
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(serve).parameters.items()
        if name in given
    }
    assert given == defaults
    assert set(given) == {
        "host",
        "port",
        "seed",
        "results_per_campaign",
        "faults",
        "keep_records",
        "header_timeout",
        "body_timeout",
    }


def test_fault_options_make_one_faults_value() -> None:
    args = ["--latency", "250", "--error-rate", "0.1", "--error-statuses", "500,503"]
    args += ["--drop-after-rate", "0.2", "--fault-methods", "post", "--fault-seed", "9"]
    args += ["--rate-limit-rate", "0.3", "--retry-after", "2.5", "--drop-before-rate", "0.4"]
    assert serve_options(_argparse(args))["faults"] == Faults(
        latency=0.25,
        error_rate=0.1,
        error_statuses=(500, 503),
        rate_limit_rate=0.3,
        retry_after=2.5,
        drop_before_rate=0.4,
        drop_after_rate=0.2,
        methods=frozenset({"POST"}),
        seed=9,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "must be a whole number from 0 to 65535, got '70000'"),
        (["--port", "８０"], "must be a whole number from 0 to 65535, got '８０'"),
        (["--seed", "1.5"], "must be a whole number, got '1.5'"),
        (["--seed", "9" * 5000], "must be a whole number of at most 4000 digits"),
        (["--results-per-campaign", "-1"], "must be a whole number >= 0, got '-1'"),
        (["--error-rate", "2"], "must be a number from 0 to 1, got '2'"),
        (["--latency", "nan"], "must be a number >= 0, got 'nan'"),
        (["--retry-after", "1e999"], "must be a number >= 0, got '1e999'"),
        (["--header-timeout", "0"], "must be a number > 0, got '0'"),
        (["--body-timeout=-inf"], "must be a number > 0, got '-inf'"),
        (
            ["--error-statuses", "200,500"],
            "must be HTTP error statuses (400-599) separated by commas, got '200,500'",
        ),
        (["--error-statuses", ","], "must be HTTP error statuses (400-599) separated by commas"),
        (
            ["--fault-methods", "POST;DROP TABLE"],
            "must be HTTP methods separated by commas, got 'POST;DROP TABLE'",
        ),
        (["--host", ""], "must be a host name or address, got ''"),
        (["--host", "a\x1b[2Jb"], r"must be a host name or address, got 'a\x1b[2Jb'"),
        (["--seed", "x" * 100], "must be a whole number, got '" + "x" * 40 + "…'"),
    ],
)
def test_a_bad_value_gets_the_same_message_from_both(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _argparse(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {args[0].partition('=')[0]}: {message}" in err
    assert "\x1b" not in err
    with pytest.raises(click.BadParameter) as refused:
        _click(args)
    assert message in refused.value.format_message()


async def _answer_to(emulator: Emulator, raw: bytes) -> bytes:
    """What the emulator answers to ``raw``, a request it never finishes."""
    reader, writer = await asyncio.open_connection(emulator.host, emulator.port)
    try:
        writer.write(raw)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=30)
    finally:
        writer.close()


async def test_the_timeout_options_reach_the_served_emulator() -> None:
    args = ["--port", "0", "--header-timeout", "0.2", "--body-timeout", "0.2"]
    stop = asyncio.Event()
    ready: asyncio.Future[Emulator] = asyncio.get_running_loop().create_future()
    serving = serve(
        **serve_options(_argparse(args)),
        out=io.StringIO(),
        stop=stop,
        handle_signals=False,
        on_ready=ready.set_result,
    )
    task = asyncio.create_task(serving)
    try:
        emulator = await asyncio.wait_for(ready, timeout=10)
        head = await _answer_to(emulator, b"GET /v1/account HTTP/1.1\r\nHost: x\r\n")
        assert b" 408 " in head.partition(b"\r\n")[0]
        assert b"were not received within 0.2 seconds" in head
        upload = f"/v1/dial-campaigns/{emulator.campaign_ids()[0]}/data"
        body = await _answer_to(
            emulator,
            f"POST {upload} HTTP/1.1\r\nHost: x\r\nX-API-Key: {emulator.api_key}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{".encode(),
        )
        assert b" 408 " in body.partition(b"\r\n")[0]
        assert b"was not received within 0.2 seconds" in body
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


def test_the_emulator_command_line_needs_neither_click_nor_rich() -> None:
    probe = (
        "import sys\n"
        "sys.modules['click'] = sys.modules['rich'] = None  # as if not installed\n"
        "from freestyle_async.testing import main\n"
        "main(['--help'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--header-timeout SECONDS" in proc.stdout
    assert "--no-keep-records" in proc.stdout
