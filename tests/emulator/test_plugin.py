"""The pytest plugin's fixtures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from freestyle_async.testing import Emulator, Faults, pytest_plugin


async def test_freestyle_emulator_fixture(freestyle_emulator: Emulator) -> None:
    assert isinstance(freestyle_emulator, Emulator)
    assert freestyle_emulator.base_url.startswith("http://127.0.0.1:")
    assert freestyle_emulator.base_url.endswith("/v1")
    async with aiohttp.ClientSession() as session:
        headers = {"X-API-Key": freestyle_emulator.api_key}
        async with session.get(freestyle_emulator.base_url + "/account", headers=headers) as r:
            assert r.status == 200


async def test_factory_starts_several(freestyle_emulator_factory: Any) -> None:
    one = await freestyle_emulator_factory(seed=1)
    two = await freestyle_emulator_factory(seed=2, faults=Faults(error_rate=1.0))
    assert one.port != two.port
    assert one.api_key != two.api_key
    assert two.faults == Faults(error_rate=1.0)


async def test_emulator_start_stop_and_errors() -> None:
    emu = Emulator()
    with pytest.raises(RuntimeError, match="not been started"):
        _ = emu.base_url
    await emu.start()
    with pytest.raises(RuntimeError, match="already running"):
        await emu.start()
    assert repr(emu).startswith("<Emulator seed=0 http://127.0.0.1:")
    await emu.stop()
    await emu.stop()  # idempotent
    with pytest.raises(KeyError):
        emu.campaign_ids("ft_unknown")


def test_without_pytest_asyncio_the_fixtures_say_what_to_install() -> None:
    generator = pytest_plugin._unavailable()
    with pytest.raises(pytest.fail.Exception, match="pytest-asyncio"):
        next(generator)


def test_the_fixtures_run_on_the_tests_loop_whatever_the_projects_fixture_loop_scope(
    tmp_path: Path,
) -> None:
    """A project that sets asyncio_default_fixture_loop_scope = session (to share a database
    fixture, say): before, the emulator ran on the session's loop, idle while the test ran
    on its own, and the README's test hung for the client's 60 s timeout."""
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = session\n"
    )
    (tmp_path / "test_readme.py").write_text(
        "async def test_pause(freestyle_client, freestyle_emulator):\n"
        "    campaign_id = freestyle_emulator.campaign_ids()[0]\n"
        "    campaign = await freestyle_client.dial_campaigns.pause(campaign_id)\n"
        "    assert campaign.status == 'paused'\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=45,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the test hung: its fixtures ran on another event loop")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_loading_the_plugin_does_not_import_the_retry_machinery() -> None:
    """The plugin loads in every pytest run wherever the package is installed."""
    code = (
        "import sys, freestyle_async.testing.pytest_plugin as plugin\n"
        "assert 'tenacity' not in sys.modules, 'imported at load'\n"
        "assert plugin.FAST_RETRIES is plugin.FAST_RETRIES  # built once, on first use\n"
        "assert plugin.FAST_RETRIES.max_backoff == 0.01\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
