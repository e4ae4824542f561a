"""Query-string validation and pagination, with the API's ``invalid_parameter`` messages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

from ._errors import bad_parameter

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "DayFilter",
    "choice",
    "day_filter",
    "integer",
    "paginate",
    "paging",
]

T = TypeVar("T")
Query = Mapping[str, str]

#: Integer query values are 64-bit, as a database would store them.
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1
_BEYOND: Final = INT_MAX + 2  # negated, still below INT_MIN


def _integer(raw: str) -> int | None:
    """The value of ``raw`` when it is an integer in ASCII digits (a leading ``-`` allowed),
    else ``None``. A value of more than 19 significant digits is given as one just out of the
    64-bit range, and never handed to ``int()``, which refuses thousands of digits."""
    negative = raw[:1] == "-"
    digits = raw[1:] if negative else raw
    if not (digits and digits.isascii() and digits.isdigit()):
        return None
    significant = digits.lstrip("0")
    value = int(significant or "0") if len(significant) <= 19 else _BEYOND
    return -value if negative else value


def paging(query: Query, *, default: int, maximum: int) -> tuple[int, int]:
    """``page`` (1..``INT_MAX``) and ``per_page`` (1..maximum), defaults applied."""
    raw_page = query.get("page")
    page = 1
    if raw_page is not None:
        value = _integer(raw_page)
        if value is None or value < 1:
            raise bad_parameter("page must be an integer greater than or equal to 1")
        if value > INT_MAX:
            raise bad_parameter(f"page must be an integer between 1 and {INT_MAX}")
        page = value
    raw_per_page = query.get("per_page")
    per_page = default
    if raw_per_page is not None:
        value = _integer(raw_per_page)
        if value is None or not 1 <= value <= maximum:
            raise bad_parameter(f"per_page must be an integer between 1 and {maximum}")
        per_page = value
    return page, per_page


def paginate(items: Sequence[T], page: int, per_page: int) -> tuple[list[T], dict[str, int]]:
    """One page of ``items`` and the ``meta`` object; past the end the page is empty."""
    total = len(items)
    start = (page - 1) * per_page
    meta = {
        "page": page,
        "per_page": per_page,
        "total": total,
        "total_pages": math.ceil(total / per_page),
    }
    return list(items[start : start + per_page]), meta


def integer(query: Query, name: str) -> int | None:
    """An integer filter (``INT_MIN``..``INT_MAX``), or ``None`` when absent."""
    raw = query.get(name)
    if raw is None:
        return None
    value = _integer(raw)
    if value is None:
        raise bad_parameter(f"{name} must be an integer")
    if not INT_MIN <= value <= INT_MAX:
        raise bad_parameter(f"{name} must be an integer between {INT_MIN} and {INT_MAX}")
    return value


def choice(query: Query, name: str, allowed: Iterable[str]) -> str | None:
    raw = query.get(name)
    options = tuple(allowed)
    if raw is not None and raw not in options:
        raise bad_parameter(f"{name} must be one of: {', '.join(options)}")
    return raw


class DayFilter:
    """Inclusive ``from``/``to`` day filter over RFC 3339 timestamps (compared as text)."""

    __slots__ = ("end", "start")

    def __init__(self, start: str | None, end: str | None) -> None:
        self.start = start
        self.end = end

    def contains(self, timestamp: str) -> bool:
        day = timestamp[:10]
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def json(self) -> dict[str, Any]:
        return {"from": self.start, "to": self.end}


def _date(query: Query, name: str) -> str | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != 10 or raw[4] != "-" or raw[7] != "-":
            raise ValueError(raw)
        dt.date.fromisoformat(raw)
    except ValueError:
        raise bad_parameter(f"{name} must be a date in YYYY-MM-DD format") from None
    return raw


def day_filter(query: Query) -> DayFilter:
    """The ``from`` and ``to`` query parameters, validated."""
    start, end = _date(query, "from"), _date(query, "to")
    if start is not None and end is not None and start > end:
        raise bad_parameter("from must be on or before to")
    return DayFilter(start, end)
