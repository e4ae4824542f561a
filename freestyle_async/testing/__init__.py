"""A stateful emulator of the FREESTYLE API v1, for tests and local development.

Four ways to use it::

    async with Emulator(seed=1) as emu:          # in-process, on a free loopback port
        ...  # emu.base_url, emu.api_key, emu.other_api_key, emu.disabled_api_key

    def test_x(freestyle_emulator): ...          # the pytest fixture (needs pytest-asyncio)

    with EmulatorThread(seed=1) as emu:          # on a background thread, for sync code
        ...  # Freestyle(emu.api_key, base_url=emu.base_url); fixtures freestyle_sync_client,
             # freestyle_emulator_thread (no pytest-asyncio needed)

    python -m freestyle_async.testing --port 8765   # a separate process

Faults (latency, error statuses, 429 + Retry-After, dropped connections) are set with
:class:`Faults`, at construction or later through ``emu.faults = Faults(...)``.
The emulator is written from the API reference and imports nothing of the SDK it tests
but its ``safe_repr`` guard.

Importing this package loads only the option table (:data:`EMULATOR_OPTIONS`, which
``freestyle emulator --help`` reads); the emulator itself, and aiohttp, on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from ._options import EMULATOR_OPTIONS, EmulatorOption

if TYPE_CHECKING:
    from ._app import create_app
    from ._emulator import Emulator
    from ._faults import Faults
    from ._model import REFERENCE_NOW, Counters
    from ._seed import DISPOSITIONS, api_key_for
    from ._serve import main, run_emulator, serve
    from ._state import EmulatorState
    from ._thread import EmulatorThread

__all__ = [
    "DISPOSITIONS",
    "EMULATOR_OPTIONS",
    "REFERENCE_NOW",
    "Counters",
    "Emulator",
    "EmulatorOption",
    "EmulatorState",
    "EmulatorThread",
    "Faults",
    "api_key_for",
    "create_app",
    "main",
    "run_emulator",
    "serve",
]

# name -> module, imported on first access (these pull in aiohttp).
_LAZY: Final = {
    "DISPOSITIONS": "._seed",
    "REFERENCE_NOW": "._model",
    "Counters": "._model",
    "Emulator": "._emulator",
    "EmulatorState": "._state",
    "EmulatorThread": "._thread",
    "Faults": "._faults",
    "api_key_for": "._seed",
    "create_app": "._app",
    "main": "._serve",
    "run_emulator": "._serve",
    "serve": "._serve",
}


def _public(value: Any) -> Any:
    """``value``, shown as ``freestyle_async.testing.<name>`` when it is a class or function."""
    if callable(value) and hasattr(value, "__module__"):
        value.__module__ = __name__
    return value


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = _public(getattr(importlib.import_module(module, __name__), name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


_public(EmulatorOption)
