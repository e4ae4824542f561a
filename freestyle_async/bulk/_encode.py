"""Encoding a chunk of checked records into one upload body, fast with or without orjson.

With orjson installed the body is one ``orjson.dumps`` call. Without it, ``json.dumps`` spends
about 3.5 µs per record walking 16 keys and values one at a time, which would make the SDK
slower than a loop that sends unchecked dicts. The records of a chunk almost always share
their keys, so :func:`encode_columns` encodes them a column at a time:

- a column of strings that need no escaping (no quote, backslash or control character,
  proved once over the joined column) goes in as it is, between quotes;
- other strings go through the stdlib's own C escaping, ints and finite floats through
  ``repr`` (what ``json.dumps`` uses), any other value through the stdlib encoder;
- each record is then one ``str.join`` of the constant key text and its values.

The output is the bytes ``json.dumps`` (compact separators, no ASCII escaping, UTF-8) would
give for records in the first record's key order; records with other keys are encoded per
key layout and put back in place. A property test holds the two to the same output.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any, Final

from .. import _json
from ._columns import uniform_columns

__all__ = ["encode_columns", "encode_records"]

_ESCAPED: Final = bytes(range(0x20)) + b'"\\'  # what JSON escapes in a string (and non-ASCII)
_QUOTE: Final = '"'
_MAX_LAYOUTS: Final = 16  # more key layouts than this in one chunk: encode record by record


def encode_records(records: Sequence[dict[str, Any]]) -> bytes:
    """The upload body ``{"records": [...]}`` for checked records (str keys, JSON values)."""
    if _json.HAVE_ORJSON:
        return _json.dumps({"records": records})
    return encode_columns(records)


def encode_columns(records: Sequence[dict[str, Any]]) -> bytes:
    """What ``json.dumps`` would make of ``{"records": records}`` (compact, UTF-8), column-wise."""
    if not records:
        return _json.stdlib_dumps({"records": []})
    keys = tuple(records[0])
    columns = uniform_columns(records, keys)
    if columns is not None:
        encoded = _encode_columns(keys, columns, len(records))
    else:  # records with other keys: a pass per key layout
        layouts: dict[tuple[str, ...], list[int]] = {}
        for index, record in enumerate(records):
            layouts.setdefault(tuple(record), []).append(index)
        if len(layouts) > _MAX_LAYOUTS:
            return _json.stdlib_dumps({"records": records})
        encoded = [""] * len(records)
        for layout, indexes in layouts.items():
            group = [records[index] for index in indexes]
            group_columns = uniform_columns(group, layout) or []
            texts = _encode_columns(layout, group_columns, len(group))
            for index, text in zip(indexes, texts, strict=True):
                encoded[index] = text
    encoded[0] = '{"records":[' + encoded[0]
    encoded[-1] += "]}"
    return ",".join(encoded).encode()


def _encode_columns(keys: tuple[str, ...], columns: list[list[Any]], count: int) -> list[str]:
    """Each of ``count`` records' JSON object text, from its columns (in ``keys`` order;
    JSON ignores the order).

    A record is the constant text around its values joined once: ``str.join`` copies a
    string's characters as they are (where ``%s`` formatting would call a subclass's
    ``__str__``), and is about twice as fast.
    """
    if not keys:
        return ["{}"] * count
    parts: list[Iterable[str]] = []
    before = "{"
    for key, column in zip(keys, columns, strict=True):
        text, quoted = _encode_column(column)
        parts += (repeat(f"{before}{encode_basestring(key)}:{_QUOTE if quoted else ''}"), text)
        before = f"{_QUOTE if quoted else ''},"
    parts.append(repeat(f"{before[:-1]}}}"))
    return list(map("".join, zip(*parts, strict=False)))  # the repeats never end


def _encode_column(column: list[Any]) -> tuple[Sequence[str], bool]:
    """The column's values as JSON text, and whether the template must add the quotes."""
    try:
        joined = "".join(column)  # proves every value is a string, faster than type checks
    except TypeError:
        types = set(map(type, column))
        if types == {int} or (types <= {int, float} and _finite(column)):
            return list(map(repr, column)), False
        return [_json.stdlib_dumps(value).decode() for value in column], False
    if _needs_no_escaping(joined):
        return column, True
    return list(map(encode_basestring, column)), False


def _needs_no_escaping(text: str) -> bool:
    """Whether ``json.dumps`` would write ``text`` as it is between quotes."""
    if text.isascii():  # the common case, about 4x faster than escaping to compare
        return len(text.encode("ascii").translate(None, _ESCAPED)) == len(text)
    return len(encode_basestring(text)) == len(text) + 2


def _finite(column: list[Any]) -> bool:
    try:
        return all(map(math.isfinite, column))
    except OverflowError:  # an int too large for a float
        return False
