"""``FREESTYLE_LOG``: a stderr handler on the SDK's logger, without code (and ``--debug``)."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner

from freestyle_async import AsyncFreestyle, Freestyle, testing
from freestyle_async import _logging as switch
from freestyle_async.cli import _app
from freestyle_async.testing import Emulator

from .support import API_KEY, BASE_URL, assert_no_key

LOGGER = logging.getLogger("freestyle_async")


def handlers() -> list[logging.Handler]:
    """The handlers the switch put on the SDK's logger."""
    return [h for h in LOGGER.handlers if isinstance(h, switch._StderrHandler)]


@pytest.fixture(autouse=True)
def _fresh_switch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts as a new process would: the variable unread, no handler, level unset."""
    monkeypatch.delenv("FREESTYLE_LOG", raising=False)
    switch._reset()
    yield
    switch._reset()


def new_client() -> AsyncFreestyle:
    return AsyncFreestyle(API_KEY, base_url=BASE_URL)


def test_unset_adds_no_handler() -> None:
    new_client()
    assert handlers() == []
    assert LOGGER.level == logging.NOTSET


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("debug", logging.DEBUG),
        ("INFO", logging.INFO),
        (" Warning ", logging.WARNING),
    ],
)
def test_each_level_turns_on_one_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", value)
    new_client()
    [handler] = handlers()
    assert LOGGER.level == level
    assert handler.level == level


def test_lines_reach_stderr_at_the_chosen_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "info")
    new_client()
    LOGGER.debug("a debug line")
    LOGGER.info("an info line")
    err = capsys.readouterr().err
    assert "INFO freestyle_async: an info line" in err
    assert "a debug line" not in err


def test_the_variable_is_read_when_a_client_is_created_not_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The package is long imported; setting the variable now still counts.
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    assert handlers() == []
    new_client()
    assert len(handlers()) == 1


def test_the_variable_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    new_client()
    monkeypatch.setenv("FREESTYLE_LOG", "warning")
    new_client()
    assert LOGGER.level == logging.DEBUG


def test_never_two_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    new_client()
    switch.configure_from_env()
    switch.log_to_stderr(logging.INFO)
    new_client()
    with Freestyle(API_KEY, base_url=BASE_URL):
        pass
    assert len(handlers()) == 1
    assert LOGGER.level == logging.INFO


def test_the_sync_client_reads_it_in_its_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "warning")
    with Freestyle(API_KEY, base_url=BASE_URL):
        assert len(handlers()) == 1
        assert LOGGER.level == logging.WARNING


@pytest.mark.parametrize("value", ["verbose", "10", "debug,info", "\x1b[31mred", "x" * 500])
def test_a_bad_value_is_one_line_on_stderr_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", value)
    new_client()  # no exception
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("freestyle_async: ignoring FREESTYLE_LOG=")
    assert "expected one of debug, info, warning" in err
    assert "\x1b" not in err
    assert len(err) < 200
    assert handlers() == []
    assert LOGGER.level == logging.NOTSET


def test_a_bad_value_holding_the_key_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", API_KEY[:30])
    new_client()
    assert_no_key(capsys.readouterr().err)


def test_no_key_in_what_the_handler_writes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    client = new_client()
    LOGGER.debug("a line quoting the key %s", API_KEY)
    try:
        raise RuntimeError(f"a traceback quoting the key {API_KEY.upper()}")
    except RuntimeError:
        LOGGER.warning("and an exception", exc_info=True)
    err = capsys.readouterr().err
    assert "a line quoting the key ft_…" in err
    assert "Traceback (most recent call last)" in err
    assert_no_key(err)
    del client


def test_control_characters_in_a_line_are_shown_not_obeyed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A server's error text reaches the retry line; stderr is often a terminal.
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    new_client()
    hostile = "\x1b]52;c;aGk=\x07\x1b[2J\x9b31m\u202eevil"
    LOGGER.debug("retrying after %s", hostile)
    try:
        raise RuntimeError(hostile)
    except RuntimeError:
        LOGGER.warning("and an exception", exc_info=True)
    err = capsys.readouterr().err
    assert "retrying after \\x1b]52;c;aGk=\\x07\\x1b[2J\\x9b31m\\u202eevil" in err
    assert "Traceback (most recent call last)" in err
    assert not any(ch in err for ch in "\x1b\x07\x9b\u202e")
    assert "\n" in err.strip()  # the traceback keeps its lines


def test_the_handler_follows_sys_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    # Made while one stream is stderr, it writes to the stream of the moment (pytest, a
    # CliRunner or a redirect swap it), not to a stale one.
    monkeypatch.setenv("FREESTYLE_LOG", "info")
    new_client()
    swapped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", swapped)
    LOGGER.info("after a swap")
    assert "after a swap" in swapped.getvalue()


async def test_request_lines_through_the_switch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], emu: Emulator
) -> None:
    monkeypatch.setenv("FREESTYLE_LOG", "debug")
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url) as client:
        await client.account.get()
    err = capsys.readouterr().err
    assert "DEBUG freestyle_async: GET /account -> 200" in err
    assert_no_key(err, emu.api_key)


@pytest.fixture
def emulator(freestyle_emulator_thread: testing.EmulatorThread) -> testing.EmulatorThread:
    """The plugin's emulator on a thread: each command runs its own ``asyncio.run``."""
    return freestyle_emulator_thread


def run_cli(emulator: testing.EmulatorThread, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        _app.cli,
        list(args),
        env={
            "FREESTYLE_API_KEY": emulator.api_key,
            "FREESTYLE_BASE_URL": emulator.base_url,
            **env,
        },
        catch_exceptions=False,
    )
    return result.exit_code, result.stderr


def spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the levels the CLI asks of the switch's ``log_to_stderr``, and call it."""
    calls: list[int] = []

    def recording(level: int, **kwargs: logging.Formatter) -> Callable[[], None]:
        calls.append(level)
        return switch.log_to_stderr(level, **kwargs)

    monkeypatch.setattr(_app, "log_to_stderr", recording)
    return calls


def test_cli_debug_goes_through_the_switch(
    monkeypatch: pytest.MonkeyPatch, emulator: testing.EmulatorThread
) -> None:
    calls = spy(monkeypatch)
    code, err = run_cli(emulator, "--debug", "account", "--format", "json")
    assert code == 0
    assert calls == [logging.DEBUG]
    assert "DEBUG freestyle_async: GET /account -> 200" in err
    assert_no_key(err, emulator.api_key)
    # The command put everything back when it ended.
    assert handlers() == []
    assert LOGGER.level == logging.NOTSET


def test_cli_debug_with_the_variable_set_keeps_one_handler(
    monkeypatch: pytest.MonkeyPatch, emulator: testing.EmulatorThread
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(logging.Logger, "addHandler", _counting(logging.Logger.addHandler, seen))
    code, err = run_cli(emulator, "--debug", "account", "--format", "json", FREESTYLE_LOG="warning")
    assert code == 0
    assert err.count("GET /account -> 200") == 1
    assert sum(seen) == 1  # one handler in all: the variable's, which --debug reused


def test_cli_without_debug_honours_the_variable(emulator: testing.EmulatorThread) -> None:
    code, err = run_cli(emulator, "account", "--format", "json", FREESTYLE_LOG="DEBUG")
    assert code == 0
    assert err.count("GET /account -> 200") == 1


def _counting(
    add: Callable[[logging.Logger, logging.Handler], None], seen: list[int]
) -> Callable[[logging.Logger, logging.Handler], None]:
    def counted(self: logging.Logger, handler: logging.Handler) -> None:
        if isinstance(handler, switch._StderrHandler):
            seen.append(1)
        add(self, handler)

    return counted
