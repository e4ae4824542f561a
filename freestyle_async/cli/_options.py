"""Options and parameter types shared by the commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import click

from ..models import ActivityType
from ._output import Format

__all__ = [
    "ACTIVITY_TYPE",
    "DATE",
    "date_range_options",
    "format_option",
    "limit_option",
]

F = TypeVar("F", bound=Callable[..., Any])


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
        if text.isdigit():
            return int(text)
        if text in self._NAMES:
            return self._NAMES[text]
        choices = ", ".join(f"{t.value} or {n}" for n, t in self._NAMES.items())
        self.fail(f"{value!r} is not an activity type ({choices})", param, ctx)


DATE = DateType()
ACTIVITY_TYPE = ActivityTypeParam()


def format_option(f: F) -> F:
    """``--format table|json|csv`` (default: table on a terminal, JSON otherwise)."""
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
        help="Stop after N rows. Default: every row for json/csv, the first 100 for a table.",
    )(f)


def date_range_options(what: str) -> Callable[[F], F]:
    """``--from`` and ``--to`` (inclusive) filtering by ``what``."""

    def decorate(f: F) -> F:
        f = click.option(
            "--to", "to", type=DATE, default=None, help=f"Last day ({what}), inclusive."
        )(f)
        return click.option(
            "--from", "from_", type=DATE, default=None, help=f"First day ({what})."
        )(f)

    return decorate
