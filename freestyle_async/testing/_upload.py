"""The upload rules for ``POST /dial-campaigns/{id}/data``: per-record checks and dedupe.

This is the emulator's hot path (benchmarks push a million records through it), so a record is
checked with one dict lookup and a type test per field, and phones with ``str`` methods.
"""

from __future__ import annotations

from array import array
from typing import Any, Final

import attrs

from ._json import loads

__all__ = [
    "FIELDS",
    "MAX_ERRORS",
    "MAX_RECORDS",
    "UploadOutcome",
    "ingest",
    "normalise_phone",
    "stored",
]

MAX_RECORDS: Final = 1000
MAX_ERRORS: Final = 100

_PHONE: Final = -1
_UNLIMITED: Final = 1 << 62
_NUMBER: Final = (int, float)
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
    "timezone_id": (int,),
    "datetime": _TEXT_OR_NUMBER,
    "datetime_secondary": _TEXT_OR_NUMBER,
}
#: Every contact field the reference documents.
FIELDS: Final = frozenset(_STRING_FIELDS) | frozenset(_OTHER_FIELDS)
_TYPE_REASONS: Final[dict[tuple[type, ...], str]] = {
    _NUMBER: "must be a number",
    (int,): "must be an integer",
    _TEXT_OR_NUMBER: "must be a string or a number",
}

PHONE_REASON: Final = (
    "must be a 10-digit North American number, digits only (a leading country code 1 is allowed)"
)


def normalise_phone(value: object) -> str | None:
    """The server's phone rule: drop a leading 1 from 11 digits, then exactly 10 ASCII digits."""
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
                phone = normalise_phone(value)
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
            if type(value) not in accepted:
                return key, _TYPE_REASONS[accepted]
    return None


@attrs.define
class UploadOutcome:
    inserted: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[dict[str, Any]] = attrs.Factory(list)
    kept: array[int] | None = None  # indices of the inserted records, when asked to keep them


def ingest(records: list[Any], phones: set[str], *, keep: bool) -> UploadOutcome:
    """Check and dedupe a batch; ``phones`` (normalised phone1 values) grows in place."""
    outcome = UploadOutcome()
    errors = outcome.errors
    kept = outcome.kept = array("I") if keep else None
    inserted = duplicates = invalid = 0
    add_phone = phones.add
    for index, record in enumerate(records):
        problem = _problem(record)
        if problem is not None:
            invalid += 1
            if len(errors) < MAX_ERRORS:
                errors.append({"index": index, "field": problem[0], "reason": problem[1]})
            continue
        phone = record["phone1"]
        if phone in phones:
            duplicates += 1
            continue
        add_phone(phone)
        inserted += 1
        if kept is not None:
            kept.append(index)
    outcome.inserted, outcome.duplicates, outcome.invalid = inserted, duplicates, invalid
    return outcome


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
