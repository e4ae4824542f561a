"""Query-string validation and pagination, with the API's ``invalid_parameter`` messages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ._errors import bad_parameter

__all__ = ["DateRange", "choice", "date_range", "integer", "paginate", "paging"]

T = TypeVar("T")
Query = Mapping[str, str]

_MAX_DIGITS = 18


def _is_integer(raw: str) -> bool:
    digits = raw[1:] if raw[:1] == "-" else raw
    return 0 < len(digits) <= _MAX_DIGITS and digits.isascii() and digits.isdigit()


def paging(query: Query, *, default: int, maximum: int) -> tuple[int, int]:
    """``page`` (>= 1) and ``per_page`` (1..maximum), defaults applied."""
    raw_page = query.get("page")
    page = 1
    if raw_page is not None:
        if not _is_integer(raw_page) or int(raw_page) < 1:
            raise bad_parameter("page must be an integer greater than or equal to 1")
        page = int(raw_page)
    raw_per_page = query.get("per_page")
    per_page = default
    if raw_per_page is not None:
        if not _is_integer(raw_per_page) or not 1 <= int(raw_per_page) <= maximum:
            raise bad_parameter(f"per_page must be an integer between 1 and {maximum}")
        per_page = int(raw_per_page)
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
    raw = query.get(name)
    if raw is None:
        return None
    if not _is_integer(raw):
        raise bad_parameter(f"{name} must be an integer")
    return int(raw)


def choice(query: Query, name: str, allowed: Iterable[str]) -> str | None:
    raw = query.get(name)
    options = tuple(allowed)
    if raw is not None and raw not in options:
        raise bad_parameter(f"{name} must be one of: {', '.join(options)}")
    return raw


class DateRange:
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


def date_range(query: Query) -> DateRange:
    """The ``from`` and ``to`` query parameters, validated."""
    start, end = _date(query, "from"), _date(query, "to")
    if start is not None and end is not None and start > end:
        raise bad_parameter("from must be on or before to")
    return DateRange(start, end)
