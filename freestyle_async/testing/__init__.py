"""A stateful emulator of the FREESTYLE API v1, for tests and local development.

Three ways to use it::

    async with Emulator(seed=1) as emu:          # in-process, on a free loopback port
        ...  # emu.base_url, emu.api_key, emu.other_api_key, emu.disabled_api_key

    def test_x(freestyle_emulator): ...          # the pytest fixture (needs pytest-asyncio)

    python -m freestyle_async.testing --port 8765   # a separate process

Faults (latency, error statuses, 429 + Retry-After, dropped connections) are set with
:class:`Faults`, at construction or later through ``emu.faults = Faults(...)``.
The emulator is written from the API reference and never imports the SDK it tests.
"""

from __future__ import annotations

from ._app import create_app
from ._emulator import Emulator
from ._faults import Faults
from ._model import REFERENCE_NOW, Counters
from ._seed import DISPOSITIONS, api_key_for
from ._serve import main, serve
from ._state import EmulatorState

__all__ = [
    "DISPOSITIONS",
    "REFERENCE_NOW",
    "Counters",
    "Emulator",
    "EmulatorState",
    "Faults",
    "api_key_for",
    "create_app",
    "main",
    "serve",
]

for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
