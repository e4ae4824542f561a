"""The one cattrs converter: JSON values in, attrs models out.

Hooks are registered once, at import, before any class hook is generated (generated hooks
capture the primitive hooks they call). Decoding runs on a converter with
``detailed_validation=False`` for speed; only when it fails is the payload decoded again by a
detailed twin, to name the field that did not fit in the :class:`DecodeError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
import reprlib
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from ._secrets import redact_json
from .errors import DecodeError

__all__ = ["RENAMES", "decode", "decode_data", "json_text", "rfc3339", "structure", "unstructure"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]
# Python attribute -> JSON key, for fields whose key is not a valid attribute name.
RENAMES: Final = {"from_": "from"}
# cattrs names a renamed field by its Python attribute in error paths; show the JSON key.
_RENAMED_IN_PATH: Final = re.compile(r"\.(" + "|".join(map(re.escape, RENAMES)) + r")\b")


_REPR: Final = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60


def _preview(value: Any, limit: int = 60) -> str:
    """A short repr of a server's value: bounded depth and size (``{value!r:.60}`` would build
    the whole repr of a huge body first, and overflow on deeply nested JSON)."""
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[:limit]


def _type_error(expected: str, value: Any) -> TypeError:
    return TypeError(f"expected {expected}, got {type(value).__name__} {_preview(value)}")


def _str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise _type_error("a string", value)


def _int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    raise _type_error("an integer", value)


def _float(value: Any, _: Any) -> float:
    # A Decimal: a response body (loads_exact), or to_json() read back the exact way.
    if type(value) is Decimal or type(value) is float or type(value) is int:
        try:
            result = float(value)
        except OverflowError:  # an int beyond a float's range
            raise _type_error("a finite number", value) from None
        if math.isfinite(result):
            return result
        raise _type_error("a finite number", value)  # 1e999 (inf), a NaN from to_dict()
    raise _type_error("a number", value)


def _bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise _type_error("true or false", value)


def _decimal(value: Any, _: Any) -> Decimal:
    # repr() of a float is its shortest round-tripping form: 12.34, not 12.339999...
    if type(value) is Decimal:  # from to_dict()
        result = value
    elif type(value) is float:
        result = Decimal(repr(value))
    elif type(value) is int or type(value) is str:
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise _type_error("a number", value) from None
    else:
        raise _type_error("a number", value)
    if not result.is_finite():
        raise _type_error("a finite number", value)
    return result


_fromisoformat: Final = dt.datetime.fromisoformat  # bound once: this hook runs per timestamp
_ZERO: Final = dt.timedelta(0)


def _at_utc_in_range(value: dt.datetime) -> dt.datetime:
    """``value`` (aware) if its UTC time is a ``datetime`` too: to_json() writes it at UTC.
    ``9999-12-31T23:59:59-01:00`` is in the year 10000 there, which Python cannot hold."""
    if value.utcoffset() != _ZERO:
        try:
            value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is out of range at UTC") from None
    return value


def _datetime(value: Any, _: Any) -> dt.datetime:
    if type(value) is dt.datetime:  # from to_dict()
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return _at_utc_in_range(value)
    if type(value) is not str:
        raise _type_error("an RFC 3339 timestamp string", value)
    try:
        parsed = _fromisoformat(value)
    except ValueError:
        # RFC 3339 lets the T and Z be lowercase; fromisoformat takes only capitals.
        if not value.isascii() or not ("t" in value or "z" in value):
            raise
        parsed = _fromisoformat(value.upper())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed if value[-1] in "Zz" else _at_utc_in_range(parsed)


def _date(value: Any, _: Any) -> dt.date:
    if type(value) is dt.date:  # from to_dict()
        return value
    if type(value) is not str:
        raise _type_error("a YYYY-MM-DD date string", value)
    return dt.date.fromisoformat(value[:10])


def _union_args(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return ()


def _is_optional(tp: Any) -> bool:
    args = _union_args(tp)
    return len(args) == 2 and type(None) in args


def _is_open_enum(tp: Any) -> bool:
    """``SomeEnum | str`` or ``SomeEnum | int``: an enum that keeps unknown values."""
    args = _union_args(tp)
    return (
        len(args) == 2
        and isinstance(args[0], type)
        and issubclass(args[0], enum.Enum)
        and args[1] in (str, int)
    )


def _is_list(tp: Any) -> bool:
    return typing.get_origin(tp) is list


def _is_plain_union(tp: Any) -> bool:
    """A union of plain types (a contact's ``str | date | None``): values are kept as given."""
    args = _union_args(tp)
    return bool(args) and not _is_optional(tp) and not _is_open_enum(tp)


def _renamed_fields(cls: Any) -> bool:
    """An attrs class with a field whose JSON key is not its name (``from_``)."""
    return attrs.has(cls) and any(f.name in RENAMES for f in attrs.fields(cls))


def _unknown_fields(cls: Any) -> str | None:
    """The field that keeps the fields a model does not name (``UploadSummary.extra``)."""
    if not attrs.has(cls):
        return None
    return next((f.name for f in attrs.fields(cls) if f.metadata.get("unknown_fields")), None)


def _configure(converter: cattrs.Converter) -> cattrs.Converter:
    for tp, hook in (
        (str, _str),
        (int, _int),
        (float, _float),
        (bool, _bool),
        (Decimal, _decimal),
        (dt.datetime, _datetime),
        (dt.date, _date),
    ):
        converter.register_structure_hook(tp, hook)

    def optional_factory(tp: Any) -> Hook:
        inner_type = next(a for a in _union_args(tp) if a is not type(None))
        inner = converter.get_structure_hook(inner_type)

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else inner(value, inner_type)

        def structure_optional_exact(value: Any, _: Any) -> Any:
            # str/int/bool hooks return a value of exactly their type unchanged: skip the call.
            if value is None or type(value) is inner_type:
                return value
            return inner(value, inner_type)  # raises the hook's own "expected ..." error

        return structure_optional_exact if inner_type in (str, int, bool) else structure_optional

    def open_enum_factory(tp: Any) -> Hook:
        enum_type, raw_type = _union_args(tp)
        raw = _str if raw_type is str else _int
        # A dict lookup gives the same member as EnumMeta.__call__, without its overhead.
        members = {member.value: member for member in enum_type}

        def structure_open_enum(value: Any, _: Any) -> Any:
            if type(value) is raw_type:
                return members.get(value, value)
            return raw(value, raw_type)  # raises the hook's own "expected ..." error

        return structure_open_enum

    def list_factory(tp: Any) -> Hook:
        (item_type,) = typing.get_args(tp)
        item = converter.get_structure_hook(item_type)

        def structure_list(value: Any, _: Any) -> list[Any]:
            if type(value) is not list:
                raise _type_error("an array", value)
            return [item(v, item_type) for v in value]

        def structure_list_detailed(value: Any, _: Any) -> list[Any]:
            if type(value) is not list:
                raise _type_error("an array", value)
            result, errors = [], []
            for index, v in enumerate(value):
                try:
                    result.append(item(v, item_type))
                except Exception as exc:
                    note = IterableValidationNote(f"item {index}", index, item_type)
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
            return result

        return structure_list_detailed if converter.detailed_validation else structure_list

    converter.register_structure_hook_factory(_is_optional, optional_factory)
    converter.register_structure_hook_factory(_is_open_enum, open_enum_factory)
    converter.register_structure_hook_factory(_is_list, list_factory)

    def plain_union_factory(tp: Any) -> Hook:
        members = tuple(typing.get_args(tp))

        def structure_plain_union(value: Any, _: Any) -> Any:
            if isinstance(value, members):
                return value
            names = " or ".join(getattr(m, "__name__", str(m)) for m in members)
            raise _type_error(names, value)

        return structure_plain_union

    converter.register_structure_hook_factory(_is_plain_union, plain_union_factory)
    renamed: dict[str, Any] = {attr: override(rename=key) for attr, key in RENAMES.items()}
    converter.register_structure_hook_factory(
        _renamed_fields, lambda cls: make_dict_structure_fn(cls, converter, **renamed)
    )

    def unknown_fields_factory(cls: Any) -> Hook:
        field = _unknown_fields(cls)
        assert field is not None
        known: Final = frozenset(a.name for a in attrs.fields(cls)) - {field}
        omitted: dict[str, Any] = {field: override(omit=True)}
        structure_known = make_dict_structure_fn(cls, converter, **omitted)

        def structure_with_unknown_fields(value: Any, _: Any) -> Any:
            model = structure_known(value, cls)
            unknown = {k: v for k, v in value.items() if k not in known}
            return attrs.evolve(model, **{field: unknown})

        return structure_with_unknown_fields

    converter.register_structure_hook_factory(
        lambda cls: _unknown_fields(cls) is not None, unknown_fields_factory
    )
    _configure_unstructure(converter, renamed)
    return converter


def _enum_value(value: Any) -> Any:
    """An enum member's value; an unknown value (kept as sent) as it is."""
    return value.value if isinstance(value, enum.Enum) else value


def _configure_unstructure(converter: cattrs.Converter, renamed: dict[str, Any]) -> None:
    """to_dict(): the API's field names, enums as values; datetimes, dates and Decimals kept."""
    converter.register_unstructure_hook_factory(
        _renamed_fields, lambda cls: make_dict_unstructure_fn(cls, converter, **renamed)
    )

    def unknown_fields_factory(cls: Any) -> Callable[[Any], dict[str, Any]]:
        field = _unknown_fields(cls)
        assert field is not None
        omitted: dict[str, Any] = {field: override(omit=True)}
        unstructure_known = make_dict_unstructure_fn(cls, converter, **omitted)

        def unstructure_with_unknown_fields(model: Any) -> dict[str, Any]:
            # The unknown fields go back beside the known ones, where the server sent them.
            known = unstructure_known(model)
            return {**converter.unstructure(dict(getattr(model, field))), **known}

        return unstructure_with_unknown_fields

    converter.register_unstructure_hook_factory(
        lambda cls: _unknown_fields(cls) is not None, unknown_fields_factory
    )
    converter.register_unstructure_hook_factory(_is_open_enum, lambda _: _enum_value)
    converter.register_unstructure_hook(enum.Enum, _enum_value)
    # Errors held by a bulk report (not data of the API) are given by their message.
    converter.register_unstructure_hook(BaseException, str)


_fast: Final = _configure(cattrs.Converter(detailed_validation=False))
_detailed: Final = _configure(cattrs.Converter(detailed_validation=True))


def unstructure(value: Any) -> Any:
    """``value`` (a model, page, report...) as plain Python data: what ``to_dict()`` gives."""
    return _fast.unstructure(value)


def rfc3339(value: dt.datetime) -> str:
    """``value`` as the API writes a timestamp: RFC 3339 at UTC, ``Z`` (naive means UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    text = value.replace(tzinfo=None).isoformat()
    return text + "Z"


_string: Final = json.JSONEncoder(ensure_ascii=False).encode


def _json_number(value: float | Decimal) -> str:
    if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
        raise ValueError(f"{value!r} is not a finite number: JSON has no such value")
    return str(value) if isinstance(value, Decimal) else float.__repr__(value)


def _json_parts(value: Any, out: list[str]) -> None:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float | Decimal):
        # A Decimal's own text is a JSON number with exactly its digits (12.30, 1E-7).
        out.append(_json_number(value))
    elif isinstance(value, dt.datetime):
        out.append(f'"{rfc3339(value)}"')
    elif isinstance(value, dt.date):
        out.append(f'"{value.isoformat()}"')
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(", ")
            out.append(_string(str(key)))
            out.append(": ")
            _json_parts(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(", ")
            _json_parts(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON data")


# A lone surrogate (a server's "\\ud800", valid JSON text) is kept by the stdlib's decoder; raw
# in to_json()'s text it cannot be encoded as UTF-8. Outside strings the text is ASCII.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def json_text(value: Any) -> str:
    """``value`` (plain data as ``to_dict()`` gives it) as JSON text (``json.dumps``'s layout,
    non-ASCII kept, surrogates escaped as ``\\udXXX``): RFC 3339 UTC
    timestamps, Decimals as numbers with exactly their digits, enums as their values."""
    out: list[str] = []
    _json_parts(value, out)
    text = "".join(out)
    if text.isascii():
        return text
    try:
        text.encode()
    except UnicodeEncodeError:
        return _SURROGATE.sub(_escape_surrogate, text)
    return text


def structure(value: Any, cls: type[T]) -> T:
    """Structure ``value`` into ``cls`` with the fast converter (raises cattrs' errors)."""
    return _fast.structure(value, cls)


# On failure, decode() and decode_data() take the key out of the payload in place before they
# quote it (a server may echo the key), and raise outside the except block: the cattrs error
# left behind as __context__ would quote the raw values, and every frame of the traceback that
# holds the payload (the resource's ``body``) then holds it redacted.


def decode(payload: Any, cls: type[T] | Any, endpoint: str, *, envelope: Any = None) -> T:
    """Decode a whole response body into ``cls``, or raise :class:`DecodeError`.

    ``envelope`` is the body ``payload`` was taken from, if it is a part: on failure it is
    redacted too, for the caller's frame that holds it."""
    try:
        return typing.cast(T, _fast.structure(payload, cls))
    except Exception:
        pass
    redact_json(envelope)
    raise _explain(redact_json(payload), cls, endpoint, "$")


def decode_data(payload: Any, cls: type[T], endpoint: str) -> T:
    """Decode the ``data`` member of a response body into ``cls``."""
    if not isinstance(payload, Mapping) or "data" not in payload:
        raise DecodeError(
            f"{endpoint}: expected a JSON object with a 'data' member, "
            f"got {type(payload).__name__} {_preview(redact_json(payload), 80)}",
            endpoint=endpoint,
            path="$.data",
        )
    try:
        return _fast.structure(payload["data"], cls)
    except Exception:
        pass
    raise _explain(redact_json(payload)["data"], cls, endpoint, "$.data")


def _describe_problem(exc: BaseException, tp: Any) -> str:
    if isinstance(exc, TypeError) and str(exc).startswith("expected "):
        return str(exc)  # our hooks' own words: "expected an integer, got str '12'"
    if isinstance(exc, ValueError) and not isinstance(exc, cattrs.BaseValidationError):
        return f"invalid value: {exc}"
    return format_exception(exc, tp)


def _json_path(problem: str, root: str) -> str:
    """``problem`` with its path (after the last `` @ ``) rooted at ``root`` and naming renamed
    fields by their JSON key. The text before the path may quote a server's value: unchanged."""
    text, sep, path = problem.rpartition(" @ ")
    if not sep or not path.startswith("$"):
        return problem
    path = _RENAMED_IN_PATH.sub(lambda m: "." + RENAMES[m[1]], path[1:])
    return f"{text} @ {root}{path}"


def _explain(value: Any, cls: Any, endpoint: str, root: str) -> DecodeError:
    """Decode again with the detailed converter to say which field did not fit."""
    name = cls.__name__ if isinstance(cls, type) else str(cls).replace("freestyle_async.", "")
    if attrs.has(typing.get_origin(cls) or cls) and not isinstance(value, Mapping):
        return DecodeError(
            f"{endpoint}: response does not fit {name}: expected a JSON object, "
            f"got {type(value).__name__} {_preview(value)} @ {root}",
            endpoint=endpoint,
            path=root,
        )
    try:
        _detailed.structure(value, cls)
    except cattrs.BaseValidationError as exc:
        problems = [
            _json_path(p, root)
            for p in cattrs.transform_error(exc, format_exception=_describe_problem)
        ]
        first = problems[0] if problems else str(exc)
        path = first.rsplit(" @ ", 1)[1] if " @ " in first else root
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return DecodeError(
            f"{endpoint}: response does not fit {name}: {first}{more}",
            endpoint=endpoint,
            path=path,
        )
    except Exception as exc:  # a shape the detailed converter reports without a path
        return DecodeError(
            f"{endpoint}: response does not fit {name} at {root}: {type(exc).__name__}: {exc}",
            endpoint=endpoint,
            path=root,
        )
    return DecodeError(  # pragma: no cover - the fast converter failed, the detailed did not
        f"{endpoint}: response does not fit {name}", endpoint=endpoint, path=root
    )
