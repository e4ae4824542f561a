"""The rules every record meets before it is sent: the one place they are written down.

:func:`check_field` applies the rule of one field to one value; :func:`normalize_record`
applies them to a whole record and returns a new plain dict ready for JSON (the caller's
record is never changed) or raises :class:`RecordRejected` naming the field. They stay cheap
(a dict lookup per field, ``str.translate`` for phone formatting, precompiled patterns, no
attrs instance per record); bulk uploads check whole chunks at once in :mod:`._batch`, which
falls back on these functions for every value it cannot prove already in final form.

Rules (the API reference's contact object):

- ``phone1`` is required; ``phone1``–``phone10`` lose spaces, dots, dashes and brackets, then a
  leading ``+1`` or ``1`` (11 digits), and must be exactly 10 ASCII digits.
- ``account_id`` at most 100 characters, ``account_name`` 50, ``data1``–``data6`` 120.
- ``amount``/``amount_secondary`` are numbers (numeric strings such as CSV cells are converted);
  ``timezone_id`` an integer; ``datetime``/``datetime_secondary`` ISO 8601 or Unix time.
- Every other field is text. ``None`` and ``""`` mean "absent" and are left out.
- Keys that are not contact fields are refused ("unknown field").
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from .._api_limits import FIELD_LIMITS
from ..errors import ValidationError
from ..models.contact import CONTACT_FIELDS, record_fields
from ._csv import CsvRow

__all__ = [
    "FIELD_KINDS",
    "MAX_SAFE_INT",
    "PHONE_FIELDS",
    "RecordRejected",
    "check_field",
    "is_unicode",
    "normalize_phone",
    "normalize_record",
]

PHONE_FIELDS: Final = tuple(f"phone{i}" for i in range(1, 11))

# Field kinds: one small int per field, looked up once per field of each record.
TEXT: Final = 0
PHONE: Final = 1
LIMITED: Final = 2
NUMBER: Final = 3
INTEGER: Final = 4
MOMENT: Final = 5
DATE: Final = 6

FIELD_KINDS: Final[dict[str, int]] = {
    **dict.fromkeys(CONTACT_FIELDS, TEXT),
    **dict.fromkeys(PHONE_FIELDS, PHONE),
    **dict.fromkeys(FIELD_LIMITS, LIMITED),
    "amount": NUMBER,
    "amount_secondary": NUMBER,
    "timezone_id": INTEGER,
    "datetime": MOMENT,
    "datetime_secondary": MOMENT,
    "dob": DATE,
}

# Deleted from phone numbers: spaces (incl. tab and no-break space), dots, dashes, brackets.
_PHONE_FORMATTING: Final = str.maketrans("", "", " \t\u00a0.-()[]")
_NUMBER_TEXT: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER_TEXT: Final = re.compile(r"[+-]?\d+", re.ASCII)
_UNIX_TEXT: Final = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
MAX_SAFE_INT: Final = 2**53 - 1
# Digit strings longer than this are out of range whatever they hold: they are refused before
# int() (which refuses more than 4,300 digits with a ValueError, and is quadratic below that).
_SAFE_DIGITS: Final = len(str(MAX_SAFE_INT))
NUMBER_RANGE: Final = f"must be a number between -{MAX_SAFE_INT} and {MAX_SAFE_INT}"
INTEGER_RANGE: Final = f"must be an integer between -{MAX_SAFE_INT} and {MAX_SAFE_INT}"

PHONE_REASON: Final = (
    "must be a 10-digit North American number (formatting and a leading +1 are removed)"
)
MISSING_PHONE1: Final = "missing required field"
NOT_A_RECORD: Final = "record must be a dict or a Contact"
CANNOT_READ: Final = "cannot be read"
UNPAIRED_SURROGATE: Final = (
    "must be valid Unicode text (it holds an unpaired surrogate, U+D800-U+DFFF)"
)


class RecordRejected(ValidationError):
    """Raised by :func:`normalize_record` for a record that must not be sent."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field is not None else reason)
        self.field = field
        self.reason = reason


def normalize_phone(value: object) -> str | None:
    """The 10 digits of a North American phone number, or ``None`` when it is not one.

    Spaces, dots, dashes and brackets are dropped, then a leading ``+1`` (or ``1`` when 11
    digits remain). A plain non-negative ``int`` is read as its digits.
    """
    if isinstance(value, str):
        digits = value.translate(_PHONE_FORMATTING)
    elif type(value) is int and 0 <= value < 10**11:  # (str() of a huge int raises)
        digits = str(value)
    else:
        return None
    if len(digits) != 10:
        if digits.startswith("+1"):
            digits = digits[2:]
        elif len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
    if len(digits) == 10 and digits.isdigit() and digits.isascii():
        return digits
    return None


def normalize_record(record: object) -> dict[str, Any]:
    """The record as the API expects it, or :class:`RecordRejected` naming the first problem.

    A record whose reading raises (a mapping backed by an expired cursor, a value whose
    methods fail) is rejected too, the exception named in the reason.
    """
    try:
        return _normalize_record(record)
    except RecordRejected:
        raise
    except Exception as exc:
        raise RecordRejected(None, f"{CANNOT_READ}: {type(exc).__name__}: {exc}") from exc


def _normalize_record(record: object) -> dict[str, Any]:
    if type(record) is CsvRow and record.problem is not None:
        raise RecordRejected(None, record.problem)
    fields = record_fields(record)
    if fields is None:
        raise RecordRejected(None, NOT_A_RECORD)
    items = fields.items()
    out: dict[str, Any] = {}
    kinds = FIELD_KINDS
    for key, value in items:
        kind = kinds.get(key)
        if kind is None:
            raise RecordRejected(str(key), "unknown field")
        if value is None or (isinstance(value, str) and not value):
            continue
        if kind == TEXT and type(value) is str and value.isascii():
            out[key] = value
        else:
            out[key] = check_field(kind, key, value)
    if "phone1" not in out:
        raise RecordRejected("phone1", MISSING_PHONE1)
    return out


def check_field(kind: int, key: str, value: Any) -> Any:
    """One present (not ``None``, not ``""``) value as it is sent, or :class:`RecordRejected`."""
    return _RULES[kind](key, value)


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RecordRejected(key, "must be a string")
    return _unicode(key, value)


def _unicode(key: str, value: str) -> str:
    """``value`` if it can be sent as UTF-8 (a lone surrogate, say from a bad decode, cannot)."""
    if not is_unicode(value):
        raise RecordRejected(key, UNPAIRED_SURROGATE)
    return value


def is_unicode(text: str) -> bool:
    """Whether ``text`` encodes to UTF-8: it holds no unpaired surrogate."""
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _phone(key: str, value: Any) -> str:
    phone = normalize_phone(value)
    if phone is None:
        raise RecordRejected(key, PHONE_REASON)
    return phone


def _limited(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RecordRejected(key, "must be a string")
    if len(value) > FIELD_LIMITS[key]:
        raise RecordRejected(key, f"must be at most {FIELD_LIMITS[key]} characters")
    return _unicode(key, value)


def _date(key: str, value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise RecordRejected(key, "must be a string or a date")
    return _unicode(key, value)


def _number(key: str, value: Any) -> int | float:
    kind = type(value)
    if kind is int:
        return _safe_int(key, value, NUMBER_RANGE)
    if kind is float or kind is Decimal:
        if not (value.is_finite() if kind is Decimal else math.isfinite(value)):
            raise RecordRejected(key, "must be a finite number")
        if kind is Decimal:
            if value == value.to_integral_value():
                # compared first: int() of Decimal("1E+999999999") would never end
                if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
                    return int(value)
                raise RecordRejected(key, NUMBER_RANGE)
            number = float(value)
            if not math.isfinite(number):
                raise RecordRejected(key, NUMBER_RANGE)
            return number
        return float(value)
    if kind is str:
        text = value.strip()
        if _INTEGER_TEXT.fullmatch(text):
            return _int_text(key, text, NUMBER_RANGE)
        if _NUMBER_TEXT.fullmatch(text):
            number = float(text)
            if math.isfinite(number):
                return number
    raise RecordRejected(key, "must be a number")


def _integer(key: str, value: Any) -> int:
    if type(value) is int:
        return _safe_int(key, value, INTEGER_RANGE)
    if type(value) is str and _INTEGER_TEXT.fullmatch(text := value.strip()):
        return _int_text(key, text, INTEGER_RANGE)
    raise RecordRejected(key, "must be an integer")


def _int_text(key: str, text: str, reason: str) -> int:
    """An integer written in decimal digits (with an optional sign), if it is a safe one."""
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > _SAFE_DIGITS:
        raise RecordRejected(key, reason)
    value = int(digits or "0")
    return _safe_int(key, -value if text[0] == "-" else value, reason)


def _safe_int(key: str, value: int, reason: str) -> int:
    """JSON numbers are doubles to most readers: keep integers where they are exact."""
    if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        return int(value)
    raise RecordRejected(key, reason)


def _moment(key: str, value: Any) -> Any:
    kind = type(value)
    if kind is str:
        if _UNIX_TEXT.fullmatch(value):
            seconds = value.partition(".")[0].lstrip("0")
            if len(seconds) <= _SAFE_DIGITS and int(seconds or "0") <= MAX_SAFE_INT:
                return value
        try:
            _dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    elif kind is int:
        if 0 <= value <= MAX_SAFE_INT:
            return int(value)
    elif kind is float:
        if math.isfinite(value) and value >= 0:
            return float(value)
    elif isinstance(value, _dt.date):
        return value.isoformat()
    raise RecordRejected(key, "must be ISO 8601 (2026-05-01T09:30:00Z) or Unix time in seconds")


_RULES: Final[dict[int, Callable[[str, Any], Any]]] = {
    TEXT: _text,
    PHONE: _phone,
    LIMITED: _limited,
    NUMBER: _number,
    INTEGER: _integer,
    MOMENT: _moment,
    DATE: _date,
}
