"""The ``tests/_hygiene.py`` plugin really fails a test that leaks an aiohttp session."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import _hygiene  # tests/ is on sys.path: the test packages live under it
import aiohttp
import pytest

TESTS_DIR = Path(__file__).resolve().parent.parent


def _drain_global() -> None:
    # The suite-wide tracker (when the plugin is loaded) hears the loop-handler channel of the
    # leaks made on purpose below; they are this test's, not a real leak.
    _hygiene.tracker.leaks.clear()


@pytest.fixture
def tracker() -> object:
    fresh = _hygiene.LeakTracker()
    fresh.install()
    yield fresh
    fresh.uninstall()
    _drain_global()


async def test_leak_dropped_by_refcount_under_error_filter(tracker: _hygiene.LeakTracker) -> None:
    """``error::ResourceWarning`` turns aiohttp's warning into an unraisable exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        session = aiohttp.ClientSession()
        del session
    leaks = tracker.collect()
    assert len(leaks) == 1 and leaks[0].startswith("Unclosed client session")


async def test_leak_reported_through_loop_exception_handler(
    tracker: _hygiene.LeakTracker,
) -> None:
    """With the warning ignored, aiohttp reports to the loop; a custom handler hides it from
    the log, the tracker still hears it."""
    loop = asyncio.get_running_loop()
    seen: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context["message"]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            session = aiohttp.ClientSession()
            del session
    finally:
        loop.set_exception_handler(previous)
    assert seen == ["Unclosed client session"]
    assert [leak.split(" <")[0] for leak in tracker.collect()] == ["Unclosed client session"]


async def test_leak_inside_a_reference_cycle_is_found_by_collect(
    tracker: _hygiene.LeakTracker,
) -> None:
    cycle: list[object] = [aiohttp.ClientSession()]
    cycle.append(cycle)
    del cycle
    assert tracker.leaks == []  # nothing yet: the cycle keeps the session alive
    leaks = tracker.collect()  # an open tracked session triggers gc.collect()
    assert any(leak.startswith("Unclosed client session") for leak in leaks)


async def test_closed_session_is_not_a_leak(tracker: _hygiene.LeakTracker) -> None:
    async with aiohttp.ClientSession():
        pass
    assert tracker.collect(force=True) == []


def test_plugin_fails_the_leaking_test_and_only_it(tmp_path: Path) -> None:
    (tmp_path / "test_leaky.py").write_text(
        textwrap.dedent(
            """
            import aiohttp

            async def test_leaks_a_session():
                cycle = [aiohttp.ClientSession()]
                cycle.append(cycle)

            async def test_closes_its_session():
                async with aiohttp.ClientSession():
                    pass
            """
        )
    )
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings =\n    error::ResourceWarning\n"
    )
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "_hygiene",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    # Both calls pass; the leaking test then errors in its teardown, the clean one does not.
    assert "2 passed, 1 error" in output, output
    assert output.count("ERROR at teardown") == 1, output
    assert "ERROR at teardown of test_leaks_a_session" in output, output
    assert "Unclosed client session" in output, output
