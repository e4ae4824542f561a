"""Options and parameter types shared by the commands.

Every number, name and character an option takes is checked here, so a bad value is a usage
error (exit 2) naming the option, never an exception from deeper down: numbers are finite and
in range, ids fit in 64 bits, an encoding is a text encoding, a delimiter is one safe character.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, ClassVar, Final, TypeVar, cast

import click

from .._config import check_proxy, check_seconds
from ..errors import ValidationError
from ..models import ActivityType
from ._output import DEFAULT_TABLE_LIMIT, Format

__all__ = [
    "ACTIVITY_TYPE",
    "DATE",
    "DELIMITER",
    "ENCODING",
    "ID",
    "PROXY",
    "SecondsType",
    "date_range_options",
    "format_option",
    "limit_option",
]

F = TypeVar("F", bound=Callable[..., Any])

_TRY_ENCODINGS: Final = "try utf-8, cp1252 or latin-1"

#: The largest id an option takes: a signed 64-bit integer, the widest id a server stores.
MAX_ID = 2**63 - 1


class SecondsType(click.ParamType):  # type: ignore[type-arg]
    """A time limit in seconds, by the client's own rule (:func:`check_seconds`): a positive,
    finite number (``inf`` and ``nan`` would overflow or never fire)."""

    name = "SECONDS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        try:
            return check_seconds("--timeout", number)
        except ValidationError:
            self.fail(f"{value!r} is not a positive, finite number of seconds", param, ctx)


class EncodingType(click.ParamType):  # type: ignore[type-arg]
    """The encoding of a CSV file (``utf-8``, ``cp1252``, ``latin-1``...), by the bulk CSV
    reader's own rule (:func:`~freestyle_async.bulk.csv_codec`)."""

    name = "ENCODING"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..bulk import csv_codec  # bulk is imported only by the commands that upload

        name = str(value)
        try:
            csv_codec(name)
        except LookupError:
            self.fail(f"{name!r} is not a text encoding ({_TRY_ENCODINGS})", param, ctx)
        except ValueError as exc:
            self.fail(f"{name!r} cannot be read: {exc} ({_TRY_ENCODINGS})", param, ctx)
        return name


class DelimiterType(click.ParamType):  # type: ignore[type-arg]
    """One cell separator character; ``\\t`` or ``tab`` for a tab."""

    name = "CHAR"
    _NAMED: ClassVar[dict[str, str]] = {"\\t": "\t", "tab": "\t"}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = self._NAMED.get(str(value).lower(), str(value))
        if len(text) != 1:
            self.fail(f"{value!r} is not one character (use \\t for a tab)", param, ctx)
        if text in '"\r\n' or (text != "\t" and not text.isprintable()):
            self.fail(f"{value!r} cannot separate cells (a quote or a control)", param, ctx)
        return text


class DateType(click.ParamType):  # type: ignore[type-arg]  # generic since click 8.2
    """A calendar date written ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)


class ActivityTypeParam(click.ParamType):  # type: ignore[type-arg]
    """An activity type: its id (1-4) or its name (``records-imported``, ...)."""

    name = "TYPE"
    _NAMES: ClassVar[dict[str, ActivityType]] = {
        t.name.lower().replace("_", "-"): t for t in ActivityType
    }

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().replace("_", "-")
        if text.isdecimal():
            number = int(text)
            if number in {t.value for t in ActivityType}:
                return ActivityType(number)
            ids = ", ".join(str(t.value) for t in ActivityType)
            self.fail(f"{value!r:.80} is not an activity type id ({ids})", param, ctx)
        if text in self._NAMES:
            return self._NAMES[text]
        choices = ", ".join(f"{t.value} or {n}" for n, t in self._NAMES.items())
        self.fail(f"{value!r} is not an activity type ({choices})", param, ctx)


class ProxyType(click.ParamType):  # type: ignore[type-arg]
    """A forward proxy's URL, checked by the client's own rule (shown with any password
    masked when refused)."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            check_proxy(str(value), "")
        except ValidationError as exc:
            self.fail(str(exc).strip(), param, ctx)
        return str(value)


DATE = DateType()
ACTIVITY_TYPE = ActivityTypeParam()
ENCODING = EncodingType()
DELIMITER = DelimiterType()
PROXY = ProxyType()
#: An id given as a number (``--disposition``, ``--run-id``).
ID = click.IntRange(1, MAX_ID)


def format_option(f: F) -> F:
    """``--format table|json|csv`` (default: table on a terminal, JSON otherwise) and
    ``--csv-raw``."""
    f = click.option(
        "--csv-raw",
        is_flag=True,
        help="With --format csv: write text cells exactly as the server sent them, for "
        "programs. By default a cell a spreadsheet would run as a formula (=, +, -, @ ...) "
        "starts with a ' (numbers and phone numbers never do).",
    )(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([f.value for f in Format], case_sensitive=False),
        default=None,
        help="Output format. Default: table on a terminal, json (JSON Lines for lists) "
        "when stdout is a pipe or file.",
    )(f)


def limit_option(f: F) -> F:
    """``--limit N`` for list commands."""
    return click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Stop after N rows. Default: every row for json/csv, the first "
        f"{DEFAULT_TABLE_LIMIT} for a table.",
    )(f)


def date_range_options(what: str) -> Callable[[F], F]:
    """``--from`` and ``--to`` (inclusive) filtering by ``what``."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def ordered(*args: Any, **kwargs: Any) -> Any:
            start, end = kwargs.get("from_"), kwargs.get("to")
            if start is not None and end is not None and start > end:
                raise click.UsageError(f"--from {start} is after --to {end}: swap them")
            return command(*args, **kwargs)

        f = cast(F, ordered)
        f = click.option(
            "--to", "to", type=DATE, default=None, help=f"Last day ({what}), inclusive."
        )(f)
        return click.option(
            "--from", "from_", type=DATE, default=None, help=f"First day ({what})."
        )(f)

    return decorate
