"""Helpers of the ``freestyle`` command tests: a runner against the emulator.

Each command runs its own ``asyncio.run``, so the emulator cannot share the test's loop: it
runs on a thread with its own event loop (:class:`EmulatorThread`), on a free loopback port.
"""

from __future__ import annotations

from collections.abc import Mapping

from _emulator_thread import EmulatorThread
from click.testing import CliRunner, Result

from freestyle_async.cli._app import cli

__all__ = ["Cli", "EmulatorThread"]


class Cli:
    """Runs ``freestyle`` in-process with the emulator's key and URL in the environment."""

    def __init__(self, emulator: EmulatorThread) -> None:
        self.emulator = emulator
        self.runner = CliRunner()

    @property
    def env(self) -> dict[str, str | None]:
        emu = self.emulator.emu
        return {
            "FREESTYLE_API_KEY": emu.api_key,
            "FREESTYLE_BASE_URL": emu.base_url,
            "NO_COLOR": None,
            "FORCE_COLOR": None,
            "COLUMNS": None,
        }

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
        merged = {**self.env, **(env or {})}
        return self.runner.invoke(cli, list(args), env=merged, catch_exceptions=False)
