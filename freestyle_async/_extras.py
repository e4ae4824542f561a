"""Extra and default headers, query parameters and body fields: their checks and how they merge
with what the SDK sends (for fields the API has in early access and the SDK does not know yet).

The order, as in openai-python: the SDK's own values, then the client's ``default_headers`` /
``default_query``, then a call's ``extra_headers`` / ``extra_query`` / ``extra_body``. Unlike
openai-python, nothing here can replace what the SDK owns:

- headers the SDK sets itself (:data:`RESERVED_HEADERS`: the key, ``Accept``, ``Content-Type``
  and the framing headers) are refused with a :class:`ValidationError`, as is a header name
  that is not an HTTP token or a value holding a control character (CR/LF would inject
  headers: the key's rule). ``User-Agent`` may be replaced. A ``None`` value in
  ``extra_headers`` drops a default header for that call.
- a query parameter or body field the call sets itself (``page``, ``per_page``, a filter that
  was given, ``status``, ``records``) is refused in ``extra_query``/``extra_body``; a
  ``default_query`` parameter the call sets itself yields to the call's value.

Header and query values never appear in a repr or an error message (:class:`Pairs` masks them):
a caller may put a token in one.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from ._params import shown
from ._reprs import safe_repr
from .errors import ValidationError

__all__ = [
    "EMPTY",
    "RESERVED_HEADERS",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "Pairs",
    "check_headers",
    "check_query",
    "merge_body",
    "merge_headers",
    "merge_query",
    "overlay",
]

ExtraHeaders: TypeAlias = Mapping[str, "str | None"]
ExtraQuery: TypeAlias = Mapping[str, object]
ExtraBody: TypeAlias = Mapping[str, Any]

#: Headers only the SDK sets (lower case): a default or extra header naming one is refused.
RESERVED_HEADERS: Final = frozenset(
    {"x-api-key", "accept", "content-type", "content-length", "transfer-encoding", "host"}
)
# RFC 9110 token characters.
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@attrs.frozen(repr=False)
class Pairs:
    """Checked ``(name, value)`` pairs; the repr shows the names, never the values."""

    items: tuple[tuple[str, str | None], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    @safe_repr
    def __repr__(self) -> str:
        return "{" + ", ".join(f"{name!r}: '***'" for name, _ in self.items) + "}"


EMPTY: Final = Pairs()


def _control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def check_headers(name: str, headers: ExtraHeaders | Pairs | None, *, allow_none: bool) -> Pairs:
    """``headers`` checked (``name`` is the argument, for the message): token names, none of
    :data:`RESERVED_HEADERS`, string values without control characters (``None`` values,
    which drop a default header, only where ``allow_none``)."""
    if headers is None:
        return EMPTY
    if isinstance(headers, Pairs):
        return headers
    if not isinstance(headers, Mapping):
        raise ValidationError(f"{name} must be a mapping of header names to values")
    seen: set[str] = set()
    items: list[tuple[str, str | None]] = []
    for key, value in headers.items():
        if not isinstance(key, str) or not _TOKEN.fullmatch(key):
            raise ValidationError(f"{name}: {shown(key)} is not a valid HTTP header name")
        low = key.lower()
        if low in RESERVED_HEADERS:
            raise ValidationError(
                f"{name}: {key!r} is set by the SDK and cannot be replaced "
                "(the key is api_key=; Accept and Content-Type are JSON)"
            )
        if low in seen:
            raise ValidationError(f"{name}: {key!r} is given twice (header names ignore case)")
        seen.add(low)
        if value is None and allow_none:
            items.append((key, None))
            continue
        if not isinstance(value, str):
            raise ValidationError(
                f"{name}[{key!r}] must be a str, got {type(value).__name__}"
                + (" (None drops a default header only in extra_headers)" if value is None else "")
            )
        if _control(value):  # the value is not quoted: it may be a secret
            raise ValidationError(
                f"{name}[{key!r}] holds a control character (CR, LF, ...): "
                "header values cannot hold them"
            )
        items.append((key, value))
    return Pairs(tuple(items))


def _query_value(name: str, key: str, value: object) -> str:
    """A query value as the SDK encodes its own: enums by value, dates as ``YYYY-MM-DD``."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        raise ValidationError(
            f"{name}[{key!r}] is a bool: pass the string the API expects ('true', '1', ...)"
        )
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        text = value.isoformat()
    else:
        raise ValidationError(
            f"{name}[{key!r}] must be a str, int, float, date or enum, got {type(value).__name__}"
        )
    if _control(text):
        raise ValidationError(f"{name}[{key!r}] holds a control character")
    return text


def check_query(name: str, query: ExtraQuery | Pairs | None) -> Pairs:
    """``query`` checked: non-empty string names, values as :func:`_query_value` encodes them
    (``None`` values are left out, like the SDK's own unset parameters)."""
    if query is None:
        return EMPTY
    if isinstance(query, Pairs):
        return query
    if not isinstance(query, Mapping):
        raise ValidationError(f"{name} must be a mapping of parameter names to values")
    items: list[tuple[str, str | None]] = []
    for key, value in query.items():
        if not isinstance(key, str) or not key or _control(key):
            raise ValidationError(f"{name}: {shown(key)} is not a valid query parameter name")
        if value is not None:
            items.append((key, _query_value(name, key, value)))
    return Pairs(tuple(items))


def merge_headers(
    base: Mapping[str, str], extra_headers: ExtraHeaders | None
) -> dict[str, str] | None:
    """``base`` (the client's headers, defaults included) with a call's ``extra_headers`` over
    it (a ``None`` value drops that header), or ``None`` when there are none."""
    extra = check_headers("extra_headers", extra_headers, allow_none=True)
    return overlay(base, extra) if extra else None


def overlay(base: Mapping[str, str], headers: Pairs) -> dict[str, str]:
    """``base`` with ``headers`` over it, names compared ignoring case (a ``None`` value
    drops the header): the client's headers with its ``default_headers``, or a call's."""
    names = {key.lower() for key, _ in headers.items}
    merged = {key: value for key, value in base.items() if key.lower() not in names}
    merged.update((key, value) for key, value in headers.items if value is not None)
    return merged


def merge_query(
    own: Iterable[tuple[str, object]], defaults: Pairs, extra_query: ExtraQuery | None
) -> list[tuple[str, object]]:
    """The call's own parameters (``None`` ones are not sent), then the client's defaults the
    call does not set, then ``extra_query``, refused where it names a parameter the call sets."""
    params = [(key, value) for key, value in own if value is not None]
    if not defaults and extra_query is None:
        return params
    taken = {key for key, _ in params}
    extra = check_query("extra_query", extra_query)
    for key, _ in extra.items:
        if key in taken:
            raise ValidationError(
                f"extra_query[{key!r}]: this call sets {key!r} itself; use its own argument"
            )
    overridden = {key for key, _ in extra.items}
    params.extend(pair for pair in defaults.items if pair[0] not in taken | overridden)
    params.extend(extra.items)
    return params


def merge_body(own: Mapping[str, Any], extra_body: ExtraBody | None) -> dict[str, Any]:
    """The call's JSON object with ``extra_body``'s fields added; a field the call sets is
    refused. Values must be what the SDK's JSON encoder takes (checked when encoding)."""
    if extra_body is None:
        return dict(own)
    if not isinstance(extra_body, Mapping):
        raise ValidationError("extra_body must be a mapping of field names to JSON values")
    body = dict(own)
    for key, value in extra_body.items():
        if not isinstance(key, str):
            raise ValidationError(f"extra_body: field names must be str, got {shown(key)}")
        if key in body:
            raise ValidationError(
                f"extra_body[{key!r}]: this call sets {key!r} itself; use its own argument"
            )
        _check_finite(key, value)
        body[key] = value
    return body


def _check_finite(key: str, value: object) -> None:
    """Refuse NaN and infinities anywhere in an ``extra_body`` value: JSON has no such numbers,
    and orjson (when installed) would send them as ``null`` where ``json`` refuses them. The
    walk keeps its own stack, so a deeply nested value cannot exhaust Python's."""
    stack = [value]
    while stack:
        item = stack.pop()
        if (isinstance(item, float) and not math.isfinite(item)) or (
            isinstance(item, Decimal) and not item.is_finite()
        ):
            raise ValidationError(
                f"extra_body[{key!r}] cannot be encoded as JSON: {item} is not a JSON number"
            )
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
