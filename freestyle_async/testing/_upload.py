"""The upload rules for ``POST /dial-campaigns/{id}/data``: per-record checks and dedupe.

This is the emulator's hot path (benchmarks push a million records through it). A batch is first
checked as a whole, column by column, in C-level passes (strings by joining them, lengths with
``max``, types with ``frozenset.issuperset``, phones joined into one string); when every record
has the same fields, one ``itemgetter`` per record and strided slices make the columns. Only a
batch that fails those checks, or whose phones need normalising, goes record by record, so
errors, their order and the normalised phones are exactly those of the per-record rules.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, Final

import attrs

from ._json import loads
from ._params import INT_MAX, INT_MIN

__all__ = [
    "FIELDS",
    "MAX_ERRORS",
    "MAX_RECORDS",
    "IngestResult",
    "ingest",
    "reference_phone",
    "stored",
]

MAX_RECORDS: Final = 1000
MAX_ERRORS: Final = 100

_PHONE: Final = -1
_UNLIMITED: Final = 1 << 62
_NUMBER: Final = (int, float)
_INTEGER: Final = (int,)
_TEXT_OR_NUMBER: Final = (str, int, float)
_STRINGS = (
    "email",
    "street",
    "city",
    "province_state",
    "postal_zip",
    "dob",
    "account_id_secondary",
    "language",
    "external_name",
    "client_name",
)

#: Fields whose value is a string: name -> maximum length (``_PHONE`` for phone fields).
_STRING_FIELDS: Final[dict[str, int]] = {
    **{f"phone{i}": _PHONE for i in range(1, 11)},
    "account_id": 100,
    "account_name": 50,
    **{f"data{i}": 120 for i in range(1, 7)},
    **dict.fromkeys(_STRINGS, _UNLIMITED),
    "datetime": _UNLIMITED,
    "datetime_secondary": _UNLIMITED,
}
#: Fields whose value is not a string: name -> accepted JSON types.
_OTHER_FIELDS: Final[dict[str, tuple[type, ...]]] = {
    "amount": _NUMBER,
    "amount_secondary": _NUMBER,
    "timezone_id": _INTEGER,
    "datetime": _TEXT_OR_NUMBER,
    "datetime_secondary": _TEXT_OR_NUMBER,
}
#: Every contact field the reference documents.
FIELDS: Final = frozenset(_STRING_FIELDS) | frozenset(_OTHER_FIELDS)
_TYPE_REASONS: Final[dict[tuple[type, ...], str]] = {
    _NUMBER: "must be a number",
    _INTEGER: "must be an integer",
    _TEXT_OR_NUMBER: "must be a string or a number",
}

#: Integer fields hold 64-bit values. A wider integer arrives as a float (the JSON decoder makes
#: it one, as orjson does), so an integral float out of range gets this reason too.
_INT_RANGE_REASON: Final = f"must be an integer between {INT_MIN} and {INT_MAX}"
_TWO_63: Final = float(2**63)


def _in_range(value: float) -> bool:
    """Whether an integer, or a float that may stand for one, is in the 64-bit range (a float
    of magnitude 2**63 may have been an integer just past it)."""
    if type(value) is float:
        return -_TWO_63 < value < _TWO_63
    return INT_MIN <= value <= INT_MAX


def _ints_in_range(column: Iterable[Any]) -> bool:
    """Whether the values of an integer column (``None`` allowed) are in the 64-bit range."""
    values = list(filter(None, column))  # zeros are in range
    return not values or (min(values) >= INT_MIN and max(values) <= INT_MAX)


_NONE_TYPE: Final = type(None)
_DICT_TYPE: Final = frozenset({dict})
_TEN: Final = frozenset({10})
_DIGITS: Final = b"0123456789"
_STR_OR_NONE: Final = frozenset({str, _NONE_TYPE})
_INT_OR_NONE: Final = frozenset({int, _NONE_TYPE})


def _column_rule(name: str) -> tuple[frozenset[type], int]:
    """(accepted value types, ``None`` included; length limit) of a field, for whole columns."""
    types: set[type] = {_NONE_TYPE}
    if name in _STRING_FIELDS:
        types.add(str)
    types.update(_OTHER_FIELDS.get(name, ()))
    return frozenset(types), _STRING_FIELDS.get(name, _UNLIMITED)


#: Field -> (accepted types, limit): what :func:`_problem` accepts, as column checks.
_COLUMN_RULES: Final[dict[str, tuple[frozenset[type], int]]] = {
    name: _column_rule(name) for name in FIELDS
}

PHONE_REASON: Final = (
    "must be a 10-digit North American number, digits only (a leading country code 1 is allowed)"
)


def reference_phone(value: object) -> str | None:
    """The reference's phone rule: drop a leading 1 from 11 digits, then exactly 10 ASCII digits.

    Stricter than the SDK's ``bulk.normalize_phone`` on purpose: the server strips no
    formatting, while the SDK cleans a record before it sends it."""
    if type(value) is not str:
        return None
    if len(value) == 11 and value[0] == "1":
        value = value[1:]
    if len(value) == 10 and value.isdigit() and value.isascii():
        return value
    return None


def _problem(record: object) -> tuple[str | None, str] | None:
    """Why a record is invalid, as (field, reason); ``None`` when it is valid.

    Phones of a record are replaced by their normalised form in place.
    """
    if type(record) is not dict:
        return None, "record must be a JSON object"
    if not record.keys() <= FIELDS:
        unknown = min(str(k) for k in record if k not in FIELDS)
        return unknown, "unknown field"
    phone1 = record.get("phone1")
    if phone1 is None or phone1 == "":
        return "phone1", "missing required field"
    for key, value in record.items():
        if type(value) is str:
            limit = _STRING_FIELDS.get(key)
            if limit is None:
                return key, _TYPE_REASONS[_OTHER_FIELDS[key]]
            if limit == _PHONE:
                if value == "":
                    continue  # an empty optional phone is absent (phone1 was checked above)
                phone = reference_phone(value)
                if phone is None:
                    return key, PHONE_REASON
                if phone is not value:
                    record[key] = phone
            elif len(value) > limit:
                return key, f"must be at most {limit} characters"
        elif value is not None:
            accepted = _OTHER_FIELDS.get(key)
            if accepted is None:
                return key, "must be a string"
            if accepted is _INTEGER and type(value) in _NUMBER and not _in_range(value):
                return key, _INT_RANGE_REASON
            if type(value) not in accepted:
                return key, _TYPE_REASONS[accepted]
    return None


@attrs.frozen
class _Plan:
    """How to check a batch whose records all have the fields ``keys``: one ``itemgetter``
    makes a row of each record, and the columns of the rows are checked kind by kind."""

    row: Callable[[dict[str, Any]], tuple[Any, ...]]
    width: int  # fields per record
    phone1: int  # column indices
    phones: tuple[int, ...]
    text: tuple[int, ...]  # strings without a length limit
    limited: tuple[tuple[int, int], ...]  # strings with one: (column, limit)
    typed: tuple[tuple[int, frozenset[type]], ...]  # other fields: (column, accepted types)


@lru_cache(maxsize=128)
def _plan(keys: tuple[str, ...]) -> _Plan:
    """The plan of ``keys``: at least two fields, ``phone1`` among them, all in :data:`FIELDS`."""
    phones: list[int] = []
    text: list[int] = []
    limited: list[tuple[int, int]] = []
    typed: list[tuple[int, frozenset[type]]] = []
    for column, key in enumerate(keys):
        types, limit = _COLUMN_RULES[key]
        if limit == _PHONE:
            phones.append(column)
        elif types != _STR_OR_NONE:
            typed.append((column, types))
        elif limit == _UNLIMITED:
            text.append(column)
        else:
            limited.append((column, limit))
    return _Plan(
        row=itemgetter(*keys),
        width=len(keys),
        phone1=keys.index("phone1"),
        phones=tuple(phones),
        text=tuple(text),
        limited=tuple(limited),
        typed=tuple(typed),
    )


def _clean_uniform(records: list[dict[str, Any]], plan: _Plan) -> Sequence[str] | None:
    """:func:`_clean_phones` of a batch whose records all have the plan's fields (``KeyError``
    when one lacks one); ``None`` when a check fails, ``null`` and empty values included."""
    # Every value end to end, then each column a strided slice: half the time of zip(*rows).
    width = plan.width
    flat = list(chain.from_iterable(map(plan.row, records)))
    columns = [flat[i::width] for i in range(width)]
    count = len(records) * len(plan.phones)
    try:
        joined = ",".join([",".join(columns[i]) for i in plan.phones])
        for i in plan.text:
            "".join(columns[i])
        for i, limit in plan.limited:
            column = columns[i]
            "".join(column)
            if max(map(len, column)) > limit:
                return None
    except TypeError:  # a value that is not a string
        return None
    # Each phone 10 ASCII digits: nothing but digits and the count - 1 separating commas, and
    # those exactly every 11th character.
    commas = "," * (count - 1)
    if (
        len(joined) != 11 * count - 1
        or not joined.isascii()
        or joined.encode().translate(None, _DIGITS) != commas.encode()
        or joined[10::11] != commas
    ):
        return None
    for i, types in plan.typed:
        column = columns[i]
        if not types.issuperset(map(type, column)):
            return None
        if types == _INT_OR_NONE and not _ints_in_range(column):
            return None
    phone1: list[str] = columns[plan.phone1]
    return phone1


def _columns(records: list[dict[str, Any]], keys: set[str]) -> dict[str, tuple[Any, ...]]:
    """Field -> its values in record order (``None`` where a record lacks the field).

    Only batches whose records do not all have the same fields get here (those that do are
    :func:`_clean_uniform`'s), so each column is gathered with ``dict.get``.
    """
    get = dict.get
    return {key: tuple(map(get, records, repeat(key))) for key in keys}


def _clean_phones(records: list[Any]) -> Sequence[str] | None:
    """The ``phone1`` values of a batch whose records are all valid with their phones already
    normalised; ``None`` when some record is not (the record-by-record rules then decide).

    Absent fields and ``null`` values are alike to :func:`_problem`, so a column holds ``None``
    for both.
    """
    if not records or not _DICT_TYPE.issuperset(map(type, records)):
        return None
    order = tuple(records[0])
    if (
        len(order) > 1
        and "phone1" in order
        and FIELDS.issuperset(order)
        and set(map(len, records)) == {len(order)}
    ):
        try:
            return _clean_uniform(records, _plan(order))
        except KeyError:  # the records have as many fields, not the same ones
            pass
    keys: set[str] = set().union(*records)
    if "phone1" not in keys or not keys <= FIELDS:
        return None
    columns = _columns(records, keys)
    for key, column in columns.items():
        types, limit = _COLUMN_RULES[key]
        if not types.issuperset(map(type, column)):
            return None
        if types == _INT_OR_NONE and not _ints_in_range(column):
            return None
        if limit == _UNLIMITED:
            continue
        values = list(filter(None, column))  # the strings that are not empty
        if limit != _PHONE:
            if values and max(map(len, values)) > limit:
                return None
            continue
        if key == "phone1" and len(values) != len(column):
            return None  # a missing phone1
        if values:
            joined = "".join(values)
            if not (_TEN.issuperset(map(len, values)) and joined.isdigit() and joined.isascii()):
                return None  # invalid, or valid but to be normalised
    return columns["phone1"]


@attrs.define
class IngestResult:
    """What :func:`ingest` made of one upload's records: the counts its answer reports."""

    inserted: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[dict[str, Any]] = attrs.Factory(list)
    kept: array[int] | None = None  # indices of the inserted records, when asked to keep them


def ingest(records: list[Any], phones: set[str], *, keep: bool) -> IngestResult:
    """Check and dedupe a batch; ``phones`` (normalised phone1 values) grows in place."""
    first = _clean_phones(records)
    if first is not None and not keep:  # counts only: one pass over the phones
        before = len(phones)
        phones.update(first)
        inserted = len(phones) - before  # the first of each new phone; the rest are duplicates
        return IngestResult(inserted=inserted, duplicates=len(first) - inserted)
    if first is not None:
        fresh = set(first)
        if len(fresh) == len(first) and phones.isdisjoint(fresh):
            phones.update(fresh)
            count = len(first)
            return IngestResult(inserted=count, kept=array("I", range(count)))
        return _dedupe(enumerate(first), phones)
    errors: list[dict[str, Any]] = []
    valid: list[tuple[int, str]] = []
    invalid = 0
    for index, record in enumerate(records):
        problem = _problem(record)
        if problem is None:
            valid.append((index, record["phone1"]))
            continue
        invalid += 1
        if len(errors) < MAX_ERRORS:
            errors.append({"index": index, "field": problem[0], "reason": problem[1]})
    outcome = _dedupe(valid, phones)
    outcome.invalid, outcome.errors = invalid, errors
    if not keep:
        outcome.kept = None
    return outcome


def _dedupe(valid: Iterable[tuple[int, str]], phones: set[str]) -> IngestResult:
    """:func:`ingest` of valid records, given as (index, ``phone1``): the first record of each
    phone not in ``phones`` is inserted (and kept), the others are duplicates."""
    kept = array("I")
    duplicates = 0
    add_phone = phones.add
    for index, phone in valid:
        if phone in phones:
            duplicates += 1
            continue
        add_phone(phone)
        kept.append(index)
    return IngestResult(inserted=len(kept), duplicates=duplicates, kept=kept)


def stored(batches: list[tuple[bytes, array[int]]]) -> list[dict[str, Any]]:
    """The inserted records of kept batches, decoded again and normalised as on upload."""
    out: list[dict[str, Any]] = []
    for body, kept in batches:
        records = loads(body)["records"]
        for index in kept:
            record = records[index]
            _problem(record)  # normalises the phones in place
            out.append(record)
    return out
