"""Checks on call arguments (before anything is sent) and the query and path they become."""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Iterable
from typing import Final
from urllib.parse import quote, urlencode

from .errors import ValidationError

__all__ = [
    "DateArg",
    "check_choice",
    "check_date",
    "check_date_range",
    "check_int",
    "check_page",
    "check_per_page",
    "finite_number",
    "path_template",
    "query_string",
    "shown",
]

DateArg = dt.date | str
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")


def check_date(name: str, value: DateArg | None) -> str | None:
    """A ``date`` or ``"YYYY-MM-DD"`` string as the API's ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise ValidationError(f"{name} must be a date or 'YYYY-MM-DD', not a datetime: {value!r}")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{name}={value!r} is not a real calendar date") from None
        return value
    raise ValidationError(
        f"{name} must be a datetime.date or a 'YYYY-MM-DD' string, got {shown(value)}"
    )


def check_date_range(from_: DateArg | None, to: DateArg | None) -> tuple[str | None, str | None]:
    """Both ends checked, and ``from_`` not after ``to``."""
    start, end = check_date("from_", from_), check_date("to", to)
    if start is not None and end is not None and start > end:
        raise ValidationError(f"from_={start} is after to={end}")
    return start, end


def check_int(name: str, value: int | None, *, minimum: int | None = None) -> int | None:
    """An optional integer argument (not a bool), at least ``minimum``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, got {shown(value)}")
    if minimum is not None and value < minimum:
        raise ValidationError(f"{name} must be at least {minimum}, got {shown(value)}")
    return value


def shown(value: object) -> str:
    """``repr(value)`` for an error message: short, and never raising (``repr`` of an int of
    more than 4,300 digits raises ``ValueError``; a caller's object may raise anything)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else f"{text[:77]}..."


def finite_number(value: object) -> bool:
    """Whether ``value`` is an ``int`` or ``float`` (not a bool) with a finite value: the one
    test behind every numeric option (an int too large for a float is not finite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def check_page(page: int | None) -> int | None:
    """The ``page`` argument: an integer >= 1."""
    return check_int("page", page, minimum=1)


def check_per_page(per_page: int | None, maximum: int) -> int | None:
    """The ``per_page`` argument: an integer from 1 to the endpoint's maximum."""
    value = check_int("per_page", per_page, minimum=1)
    if value is not None and value > maximum:
        raise ValidationError(
            f"per_page must be at most {maximum} for this endpoint, got {shown(value)}"
        )
    return value


def check_choice(name: str, value: str | None, allowed: type[enum.StrEnum]) -> str | None:
    """A string argument that must be one of an enum's values."""
    if value is None:
        return None
    choices = [m.value for m in allowed]
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(f"{name} must be one of {', '.join(choices)}; got {shown(value)}")
    return str(value)


def query_string(params: Iterable[tuple[str, object]]) -> str:
    """URL-encode the parameters that are not ``None``."""
    return urlencode([(k, v) for k, v in params if v is not None])


def path_template(template: str, **values: str) -> str:
    """Fill ``{name}`` placeholders with percent-encoded ids.

    Every character outside the unreserved set is encoded, ``/`` included, so an id such as
    ``../account`` or ``c_1?x=1`` stays one path segment; empty, ``.`` and ``..`` ids are
    refused outright.
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values[name]
        if not isinstance(value, str):
            raise ValidationError(f"{name} must be a string id, got {shown(value)}")
        if value.strip() in ("", ".", ".."):
            raise ValidationError(f"{name} must be a non-empty id, got {value!r}")
        return quote(value, safe="")

    return _PLACEHOLDER.sub(fill, template)
