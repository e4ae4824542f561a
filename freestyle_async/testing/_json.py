"""JSON for the emulator: strict decoding of request bodies and compact encoding of answers.

Bodies are decoded by orjson when it is installed, by the standard library otherwise, and both
answer alike: RFC 8259 JSON in UTF-8 only, so ``NaN``, ``Infinity`` and ``-Infinity`` are
refused (the standard library would accept them), as are a number beyond the range of a double,
an unpaired surrogate escape and nesting deeper than the decoder goes (about 1,000 levels).
Integers outside ``[-2**63, 2**64)`` become floats, as orjson makes them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, Final, NoReturn

__all__ = ["BodyError", "dumps", "loads"]


class BodyError(ValueError):
    """Why a request body is refused; the message completes "request body ..."."""


INVALID: Final = "must be valid JSON"
CONSTANT: Final = "must be valid JSON: NaN, Infinity and -Infinity are not JSON numbers"
TOO_LARGE: Final = "holds a number beyond the range of a double (about 1.8e308)"
TOO_DEEP: Final = "is nested too deeply (at most about 1,000 levels)"
SURROGATE: Final = "must be valid JSON: a string holds an unpaired surrogate escape"

_INT_MIN: Final = -(2**63)
_INT_END: Final = 2**64
#: A ``\\uD800``-``\\uDFFF`` escape, paired or not; only then are strings checked for a lone one.
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_constant(_name: str) -> NoReturn:
    raise BodyError(CONSTANT)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BodyError(TOO_LARGE)
    return value


def _integer(text: str) -> int | float:
    if len(text) < 19:  # at most 18 digits: well inside the exact range
        return int(text)
    if len(text) <= 21:  # at most 20 digits and a sign: int() is cheap, the range decides
        value = int(text)
        if _INT_MIN <= value < _INT_END:
            return value
    return _finite_float(text)  # float() has no digit limit, unlike int()


_DECODER: Final = json.JSONDecoder(
    parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_integer
)


def _std_loads(data: bytes) -> Any:
    try:
        text = data.decode()  # UTF-8 only; a byte order mark is then refused by the decoder
        value = _DECODER.decode(text)
        if _SURROGATE_ESCAPE.search(text) is not None:
            json.dumps(value, ensure_ascii=False).encode()  # fails on an unpaired surrogate
    except BodyError:
        raise
    except RecursionError:
        raise BodyError(TOO_DEEP) from None
    except UnicodeEncodeError:
        raise BodyError(SURROGATE) from None
    except ValueError:
        raise BodyError(INVALID) from None
    return value


def _std_dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


loads: Callable[[bytes], Any]
dumps: Callable[[Any], bytes]

try:
    import orjson
except ImportError:  # pragma: no cover - exercised only without the speedups extra
    loads, dumps = _std_loads, _std_dumps
else:
    _orjson_loads: Callable[[bytes], Any] = orjson.loads

    def _orjson_loads_strict(data: bytes) -> Any:
        try:
            return _orjson_loads(data)
        except ValueError:  # orjson.JSONDecodeError
            pass
        _std_loads(data)  # names the problem as the standard library path does
        raise BodyError(INVALID)

    loads, dumps = _orjson_loads_strict, orjson.dumps
