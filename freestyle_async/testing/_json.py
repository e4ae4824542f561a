"""JSON encoding for the emulator: orjson when importable, the standard library otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["dumps", "loads"]


def _std_dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def _std_loads(data: bytes | str) -> Any:
    return json.loads(data)


dumps: Callable[[Any], bytes]
loads: Callable[[bytes | str], Any]

try:
    import orjson
except ImportError:  # pragma: no cover - exercised only without the speedups extra
    dumps, loads = _std_dumps, _std_loads
else:
    dumps, loads = orjson.dumps, orjson.loads
