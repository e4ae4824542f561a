"""The ``freestyle_emulator`` fixtures come from the installed package's ``pytest11`` entry
point: nothing in this directory imports ``freestyle_async.testing.pytest_plugin``."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle, RetryEvent, ServerError
from freestyle_async.testing import Emulator, Faults

from ._support import collect

PLUGIN_MODULE = "freestyle_async.testing.pytest_plugin"


def test_the_entry_point_is_installed() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("freestyle_async") == PLUGIN_MODULE


def test_pytest_loaded_the_plugin_from_the_entry_point(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    plugin = manager.get_plugin("freestyle_async")  # registered under the entry point's name
    assert plugin is not None, "the freestyle_async pytest11 plugin was not loaded"
    assert plugin.__name__ == PLUGIN_MODULE
    dist_names = {dist.project_name for _, dist in manager.list_plugin_distinfo()}
    assert "freestyle-async" in dist_names or "freestyle_async" in dist_names


def test_this_directory_does_not_import_the_plugin() -> None:
    here = Path(__file__).parent
    for source in here.glob("*.py"):
        if source.name == Path(__file__).name:
            continue
        text = source.read_text(encoding="utf-8")
        assert "pytest_plugin" not in text, source.name


async def test_freestyle_emulator_fixture_serves_the_sdk(freestyle_emulator: Emulator) -> None:
    emu = freestyle_emulator
    assert isinstance(emu, Emulator)
    assert emu.base_url.startswith("http://127.0.0.1:") and emu.base_url.endswith("/v1")
    async with AsyncFreestyle(emu.api_key, base_url=emu.base_url) as fs:
        account = await fs.account.get()
        campaigns = await collect(fs.dial_campaigns.list())
        paused = await fs.dial_campaigns.pause(emu.campaign_ids()[0])
    assert account.name
    assert [c.id for c in campaigns] == emu.campaign_ids()
    assert paused.status == "paused"
    assert emu.counters.requests == 3


async def test_freestyle_emulator_is_fresh_for_each_test(freestyle_emulator: Emulator) -> None:
    # The previous test paused this campaign and made three requests on its own emulator.
    assert freestyle_emulator.counters.requests == 0
    async with AsyncFreestyle(
        freestyle_emulator.api_key, base_url=freestyle_emulator.base_url
    ) as fs:
        first = (await fs.dial_campaigns.list(per_page=1).first_page()).data[0]
    assert first.id == freestyle_emulator.campaign_ids()[0]
    assert first.status == "active"


async def test_freestyle_emulator_factory(freestyle_emulator_factory: Any) -> None:
    calm: Emulator = await freestyle_emulator_factory(seed=1)
    broken: Emulator = await freestyle_emulator_factory(
        seed=1, faults=Faults(error_rate=1.0, error_statuses=(500,))
    )
    assert calm.port != broken.port
    async with AsyncFreestyle(calm.api_key, base_url=calm.base_url) as fs:
        assert (await fs.account.get()).name
    async with AsyncFreestyle(broken.api_key, base_url=broken.base_url, max_retries=0) as fs:
        with pytest.raises(ServerError):
            await fs.account.get()
    assert calm.api_key == broken.api_key  # same seed, same data
    assert broken.counters.by_status == {500: 1}


async def test_freestyle_client_serves_the_emulator_with_fast_retries(
    freestyle_client: AsyncFreestyle, freestyle_emulator: Emulator
) -> None:
    assert freestyle_client.base_url == freestyle_emulator.base_url
    assert (await freestyle_client.account.get()).name  # the main account's key
    waits: list[float] = []

    def on_retry(event: RetryEvent) -> None:
        waits.append(event.wait)

    freestyle_emulator.faults = Faults(error_rate=1.0, error_statuses=(500,))
    with pytest.raises(ServerError):
        await freestyle_client.with_options(on_retry=on_retry).account.get()
    assert len(waits) == freestyle_client.max_retries > 0
    assert all(0 <= wait <= 0.01 for wait in waits)  # backoff of 1 to 10 ms, not 0.5 to 8 s
    assert freestyle_emulator.counters.requests == 1 + 1 + len(waits)
