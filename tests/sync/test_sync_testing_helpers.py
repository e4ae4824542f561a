"""What ``freestyle_async.testing`` ships for testing synchronous code: ``EmulatorThread`` and
the plain pytest fixtures, used as a Django, Flask or Celery team would (no pytest-asyncio)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import freestyle_async.testing as testing
from freestyle_async import Freestyle
from freestyle_async.models import CampaignStatus
from freestyle_async.testing import EmulatorThread, Faults

# A test module of a sync code base: it asks only for the plugin's plain fixtures.
_SYNC_TESTS = textwrap.dedent(
    """
    from freestyle_async import Freestyle
    from freestyle_async.testing import EmulatorThread


    def test_the_sync_client_reaches_the_thread_emulator(
        freestyle_sync_client, freestyle_emulator_thread, request
    ):
        assert not request.config.pluginmanager.has_plugin("asyncio")
        assert isinstance(freestyle_sync_client, Freestyle)
        assert isinstance(freestyle_emulator_thread, EmulatorThread)
        campaign_id = freestyle_emulator_thread.campaign_ids()[0]
        campaign = freestyle_sync_client.dial_campaigns.pause(campaign_id)
        assert campaign.status == "paused"
        freestyle_sync_client.dial_campaigns.upload_data(campaign_id, [{"phone1": "4165550100"}])
        assert len(freestyle_emulator_thread.stored_records(campaign_id)) == 1


    def test_each_test_gets_a_fresh_emulator(freestyle_emulator_thread):
        campaign_id = freestyle_emulator_thread.campaign_ids()[0]
        assert freestyle_emulator_thread.stored_records(campaign_id) == []
    """
)


def test_a_sync_suite_runs_with_pytest_asyncio_disabled(tmp_path: Path) -> None:
    (tmp_path / "test_sync_app.py").write_text(_SYNC_TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FREESTYLE_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:asyncio", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout, result.stdout


def test_emulator_thread_is_a_plain_context_manager() -> None:
    with EmulatorThread(seed=0, shutdown_timeout=0.1) as emu:
        assert emu.base_url.startswith("http://127.0.0.1:")
        assert {emu.api_key, emu.other_api_key, emu.disabled_api_key} == {
            emu.emulator.api_key,
            emu.emulator.other_api_key,
            emu.emulator.disabled_api_key,
        }
        with Freestyle(emu.api_key, base_url=emu.base_url) as fs:
            campaign_id = emu.campaign_ids()[0]
            assert fs.dial_campaigns.start(campaign_id).status is CampaignStatus.ACTIVE
        thread = emu._thread
        assert thread is not None and thread.daemon and thread.is_alive()
    assert not thread.is_alive()
    with pytest.raises(RuntimeError, match="not running"):
        emu.base_url  # noqa: B018 - the property raises
    emu.stop()  # idempotent


def test_faults_are_set_on_the_emulator_loop() -> None:
    faults = Faults(error_rate=1.0, error_statuses=(500,))
    with EmulatorThread(shutdown_timeout=0.1) as emu:

        async def current() -> Faults | None:
            assert threading.current_thread() is emu._thread  # read on the emulator's loop
            return emu.emulator.faults

        emu.set_faults(faults)
        assert emu.run(current) == faults
        emu.set_faults(None)
        assert emu.run(current) is None


def test_start_twice_is_refused_and_a_failed_start_leaves_no_thread() -> None:
    with EmulatorThread(shutdown_timeout=0.1) as emu:
        with pytest.raises(RuntimeError, match="already started"):
            emu.start()
        port = emu.emulator.port
        before = threading.active_count()
        taken = EmulatorThread(port=port)
        with pytest.raises(OSError):
            taken.start()
        assert threading.active_count() == before
        assert repr(taken) == "<EmulatorThread not running>"
    assert "not running" in repr(emu)


def test_exported_lazily_from_the_testing_package() -> None:
    assert "EmulatorThread" in testing.__all__
    assert "EmulatorThread" in dir(testing)
    assert testing.EmulatorThread.__module__ == "freestyle_async.testing"
