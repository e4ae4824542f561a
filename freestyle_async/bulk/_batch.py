"""Normalising a batch of records at once: the fast path of a bulk upload.

Most records already have the form the API wants (10-digit phones, numbers as numbers, text
within its limits). Checking a field across the whole batch at once, with C-level
operations (``str.join``, ``set``, ``max``, a regular expression over the joined phones) proves
that for most records without a Python-level step per field. Where a column holds values that
must change (formatted phones, numeric strings from a CSV file, values to leave out), each of
those values goes through :func:`~._normalize.check_field`; a record that fails a column
check goes whole through :func:`~._normalize.normalize_record`. So the rules live in one place:
for every record, :func:`normalize_batch` gives exactly what ``normalize_record`` gives (a
property test holds it to that).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any, Final

from .._api_limits import FIELD_LIMITS
from ..models.contact import Contact, contact_to_dict
from ._columns import uniform_columns
from ._csv import CsvRow
from ._normalize import (
    DATE,
    FIELD_KINDS,
    INTEGER,
    LIMITED,
    MAX_SAFE_INT,
    MOMENT,
    NUMBER,
    PHONE,
    TEXT,
    RecordRejected,
    check_field,
    is_unicode,
    normalize_record,
)

__all__ = ["normalize_batch", "record_lines"]


class _Absent:
    """Marks a field a record does not have."""

    __slots__ = ()


_ABSENT: Final = _Absent()
_DROP: Final = object()  # a change that leaves the field out (its value was None or "")
_FIELDS: Final = frozenset(FIELD_KINDS)
_PRESENT_TEXT: Final = frozenset({str})
_TEXTUAL: Final = frozenset({TEXT, DATE, LIMITED, PHONE})
_PRESENT_NUMBER: Final = frozenset({int, float})
_PRESENT_INT: Final = frozenset({int})
_DIGITS: Final = b"0123456789"

Changes = dict[int, dict[str, Any]]


def record_lines(batch: Sequence[object]) -> list[int | None]:
    """The CSV line of each record of ``batch`` (``None`` for a record that is no
    :class:`CsvRow`), without a per-record type test when the batch holds none."""
    if CsvRow not in set(map(type, batch)):
        return [None] * len(batch)
    return [record.line if type(record) is CsvRow else None for record in batch]


def normalize_batch(
    records: Sequence[object],
) -> tuple[list[dict[str, Any] | None], list[tuple[int, RecordRejected]]]:
    """Each record as sent (``None`` where rejected), and the rejections by batch offset.

    A record already in final form is returned as the same object (never changed): the
    caller encodes the batch at once and keeps no reference to it.
    """
    try:
        return _normalize_columns(records)
    except Exception:  # reading some record raised: normalize_record names it
        out: list[dict[str, Any] | None] = [None] * len(records)
        return out, _each(records, range(len(records)), out)


def _each(
    records: Sequence[object], indexes: Iterable[int], out: list[dict[str, Any] | None]
) -> list[tuple[int, RecordRejected]]:
    """Records checked one by one into ``out`` (``None`` where rejected); the rejections."""
    rejects: list[tuple[int, RecordRejected]] = []
    for index in indexes:
        try:
            out[index] = normalize_record(records[index])
        except RecordRejected as exc:
            out[index] = None
            rejects.append((index, exc))
    return rejects


def _normalize_columns(
    records: Sequence[object],
) -> tuple[list[dict[str, Any] | None], list[tuple[int, RecordRejected]]]:
    dicts, suspects = _as_dicts(records)
    if not dicts:
        return [], []
    columns = _columns(dicts)
    keys = set(columns)
    if not keys <= _FIELDS:
        suspects.update(i for i, d in enumerate(dicts) if not d.keys() <= _FIELDS)
    changes: Changes = {}
    for field in (keys & _FIELDS) | {"phone1"}:
        column = columns.get(field) or [_ABSENT] * len(dicts)
        _check_column(field, column, suspects, changes)
    out: list[dict[str, Any] | None] = list(dicts)
    for index, change in changes.items():
        if index not in suspects:
            out[index] = _apply(dicts[index], change)
    return out, _each(records, sorted(suspects), out)


def _columns(dicts: list[dict[Any, Any]]) -> dict[Any, Sequence[Any]]:
    """Each key of any record, with its values across the batch (``_ABSENT`` where missing).

    Records with the same keys (a generator's, most CSV rows) are transposed in one go;
    otherwise each column is gathered on its own.
    """
    keys = tuple(dicts[0])
    columns = uniform_columns(dicts, keys) if keys else None
    if columns is not None:
        return dict(zip(keys, columns, strict=True))
    get = dict.get
    return {key: list(map(get, dicts, repeat(key), repeat(_ABSENT))) for key in set().union(*dicts)}


def _as_dicts(records: Sequence[object]) -> tuple[list[dict[Any, Any]], set[int]]:
    """Each record as a dict (plain dicts as they are); records to check one by one."""
    if set(map(type, records)) <= {dict}:
        return list(records), set()  # type: ignore[arg-type]
    dicts: list[dict[Any, Any]] = []
    suspects: set[int] = set()
    for index, record in enumerate(records):
        if type(record) is dict:
            dicts.append(record)
        elif type(record) is CsvRow:
            dicts.append(record)
            if record.problem is not None:
                suspects.add(index)
        elif isinstance(record, Contact):
            dicts.append(contact_to_dict(record))
        elif isinstance(record, Mapping):
            dicts.append(dict(record))
        else:
            dicts.append({})
            suspects.add(index)
    return dicts, suspects


def _check_column(
    field: str, values_in: Sequence[Any], suspects: set[int], changes: Changes
) -> None:
    kind = FIELD_KINDS[field]
    textual = kind in _TEXTUAL
    if textual and _text_in_final_form(kind, field, values_in):
        return
    column = values_in
    types = set(map(type, column))
    if type(None) in types or (
        any(issubclass(t, str) for t in types) and any(_is_empty_text(v) for v in column)
    ):
        column = list(column)
        for index, value in enumerate(column):
            if value is None or _is_empty_text(value):
                changes.setdefault(index, {})[field] = _DROP  # left out, as normalize_record does
                column[index] = _ABSENT
        types = set(map(type, column))
    if _Absent in types:
        if field == "phone1":  # required: the record-by-record check says why
            suspects.update(i for i, value in enumerate(column) if value is _ABSENT)
        present = types - {_Absent}
        values: Sequence[Any] = [value for value in column if value is not _ABSENT]
    else:
        present = types
        values = column
    if not present:
        return
    # A text column with nothing left out is the one that just failed _text_in_final_form.
    retest = not textual or values is not values_in
    if retest and _in_final_form(kind, field, values, present):
        return
    for index, value in enumerate(column):
        if value is _ABSENT:
            continue
        try:
            sent = check_field(kind, field, value)
        except RecordRejected:
            suspects.add(index)
            continue
        if sent is not value and (type(sent) is not type(value) or sent != value):
            changes.setdefault(index, {})[field] = sent


def _is_empty_text(value: Any) -> bool:
    return isinstance(value, str) and not value


def _text_in_final_form(kind: int, field: str, column: Sequence[Any]) -> bool:
    """The common case of a column of text: every record has it, as a non-empty string.

    ``str.join`` proves every value is a string (it raises ``TypeError`` otherwise) faster
    than looking at each value's type.
    """
    try:
        joined = ("\n" if kind == PHONE else "").join(column)
    except TypeError:
        return False
    if "" in column or not is_unicode(joined):
        return False
    if kind == LIMITED:
        return max(map(len, column)) <= FIELD_LIMITS[field]
    if kind == PHONE:
        return _ten_digit_lines(joined, len(column))
    return True


def _ten_digit_lines(joined: str, count: int) -> bool:
    """Whether ``joined`` is ``count`` lines of exactly 10 ASCII digits: nothing but digits
    and ``count - 1`` newlines, those every 11th character (several times faster than a
    regular expression over the whole column)."""
    newlines = "\n" * (count - 1)
    return (
        len(joined) == 11 * count - 1
        and joined.isascii()
        and joined.encode().translate(None, _DIGITS) == newlines.encode()
        and joined[10::11] == newlines
    )


def _in_final_form(kind: int, field: str, values: Sequence[Any], present: set[type]) -> bool:
    """Whether every value of a column is already what ``check_field`` returns for it."""
    if kind in _TEXTUAL:
        return _text_in_final_form(kind, field, values)
    if kind == NUMBER:
        return present <= _PRESENT_NUMBER and _bounded(values, -MAX_SAFE_INT)
    if kind == INTEGER:
        return present <= _PRESENT_INT and -MAX_SAFE_INT <= min(values) <= max(values) <= (
            MAX_SAFE_INT
        )
    if kind == MOMENT:
        if present <= _PRESENT_TEXT:  # dates repeat: check each distinct string once
            return _all_kept(kind, field, set(values))
        return present <= _PRESENT_NUMBER and _bounded(values, 0)
    return False


def _all_kept(kind: int, field: str, distinct: set[Any]) -> bool:
    """Whether ``check_field`` accepts every value unchanged."""
    try:
        return all(check_field(kind, field, value) == value for value in distinct)
    except RecordRejected:
        return False


def _bounded(values: Sequence[Any], low: int) -> bool:
    """Finite numbers within [low, 2**53 - 1] (a float beyond is left to the slow check)."""
    try:
        return (
            low <= min(values) and max(values) <= MAX_SAFE_INT and math.isfinite(math.fsum(values))
        )
    except OverflowError:
        return False


def _apply(record: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` with the changed values (in the same key order)."""
    out = dict(record)
    out.update(change)
    if _DROP in change.values():
        for key in [key for key, value in change.items() if value is _DROP]:
            del out[key]
    return out
