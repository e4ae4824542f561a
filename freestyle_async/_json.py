"""JSON encoding and decoding: orjson when installed (the ``speedups`` extra), else the stdlib.

Set ``FREESTYLE_NO_ORJSON=1`` to use the stdlib even when orjson is installed (benchmarks).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["HAVE_ORJSON", "dumps", "loads", "stdlib_dumps"]

loads: Callable[[bytes | str], Any]
dumps: Callable[[Any], bytes]


def _default(value: Any) -> Any:
    """Encode the few non-JSON types a caller may put in a body: Decimal and dates."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_encoder = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_default
)


def stdlib_dumps(value: Any) -> bytes:
    """What :func:`dumps` does without orjson: compact UTF-8 JSON from ``json``."""
    return _encoder.encode(value).encode()


try:
    if os.environ.get("FREESTYLE_NO_ORJSON", "") not in ("", "0"):
        raise ImportError("FREESTYLE_NO_ORJSON is set")
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised in the no-speedups CI venv
    HAVE_ORJSON = False
    loads = json.loads
    dumps = stdlib_dumps
else:
    HAVE_ORJSON = True
    # Typed here: without orjson installed the type check sees the module as Any.
    _orjson_dumps: Callable[..., bytes] = _orjson.dumps

    def _orjson_dumps_with_default(value: Any) -> bytes:
        return _orjson_dumps(value, default=_default)

    loads = _orjson.loads
    dumps = _orjson_dumps_with_default
