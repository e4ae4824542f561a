"""JSON encoding and decoding: orjson when installed (the ``speedups`` extra), else the stdlib.

Set ``FREESTYLE_NO_ORJSON=1`` to use the stdlib even when orjson is installed (benchmarks).

Response bodies are read by :func:`loads_exact`, always the stdlib: a number with a fraction or
an exponent becomes a ``Decimal`` with exactly the digits sent (money), where orjson and
``json.loads`` give a float that has already lost them (``42.50``, ``12345678901234567.89``).
The converter turns the Decimals of float fields back into floats.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Final

__all__ = ["HAVE_ORJSON", "dumps", "loads", "loads_exact", "stdlib_dumps"]

loads: Callable[[bytes | str], Any]
dumps: Callable[[Any], bytes]


#: The integers a JSON number carries exactly to any reader (an IEEE double's).
_MAX_SAFE_INT: Final = 2**53


def _default(value: Any) -> Any:
    """Encode the few non-JSON types a caller may put in a body: Decimal and dates. A Decimal
    goes out as an int or a float only when that is the same number: anything else (more
    digits than a double holds, ``1E+999999999``, NaN) is refused, never rounded."""
    if isinstance(value, Decimal):
        if value.is_finite():
            # compared before int(): int(Decimal("1E+999999999")) would never end
            if value == value.to_integral_value() and -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
                return int(value)
            number = float(value)
            if Decimal(repr(number)) == value:
                return number
        raise TypeError(f"Decimal {str(value)[:40]!r} cannot be sent exactly as a JSON number")
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_encoder = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_default
)


def stdlib_dumps(value: Any) -> bytes:
    """What :func:`dumps` does without orjson: compact UTF-8 JSON from ``json``."""
    return _encoder.encode(value).encode()


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# parse_constant: the stdlib accepts NaN, Infinity and -Infinity, which JSON does not have.
_exact_decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_not_json)
_exact_decode: Final = _exact_decoder.decode
_detect_encoding: Final = json.detect_encoding


def loads_exact(raw: bytes | str) -> Any:
    """JSON text as Python data with every number exact: integers as ``int``, any number with
    a fraction or an exponent as a ``Decimal`` of exactly its digits (``1e999`` too, finite).

    Raises ``ValueError`` (``UnicodeDecodeError`` or ``json.JSONDecodeError``) for what is not
    JSON, the literals ``NaN``, ``Infinity`` and ``-Infinity`` included; ``RecursionError`` for
    nesting too deep for the parser.
    """
    if not isinstance(raw, str):  # bytes: decoded as json.loads does (UTF-8, -16 or -32)
        raw = raw.decode(_detect_encoding(raw), "surrogatepass")
    try:
        return _exact_decode(raw)
    except InvalidOperation:  # an exponent beyond a Decimal's (1e99999999999999999999)
        raise ValueError("a number with an exponent too large to decode") from None


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
