"""Writers for command results on stdout: a rich table, JSON (Lines) or CSV.

- ``table``: a rich table (built once all rows are in, so it is capped by ``--limit``).
- ``json``: one JSON document per line, written as each item arrives (streams every page).
- ``csv``: a header, then one row per item; nested objects flattened to ``parent.child``.

The default format is ``table`` when stdout is a terminal and ``json`` otherwise. Text from a
server is data in every format: tables show it through :func:`~._safe.safe_text` in rich
``Text`` (no markup, no control characters); JSON escapes every control character; CSV goes
through :class:`~._csvfile.CsvWriter` (quoted, formulas neutralised unless ``--csv-raw``). The
API key is taken out of all of them.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
import sys
import types
import typing
from collections.abc import AsyncIterable, Callable, Mapping, Sequence
from typing import Any, Final, TextIO

import attrs
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .._secrets import redact
from ._csvfile import CsvWriter
from ._safe import safe_text

__all__ = [
    "DEFAULT_TABLE_LIMIT",
    "Column",
    "Format",
    "Output",
    "csv_row",
    "csv_value",
    "flat_fields",
    "json_line",
    "make_console",
]

#: Rows a table shows when ``--limit`` is not given (JSON and CSV stream everything).
DEFAULT_TABLE_LIMIT: Final = 100


class Format(enum.StrEnum):
    """Output formats of the commands."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout or stderr. Colour follows the terminal and ``NO_COLOR``; off a
    terminal (CI logs, pipes) tables get 120 columns unless ``COLUMNS`` says otherwise."""
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 120
    return Console(stderr=stderr, width=width, highlight=False)


# -- values --------------------------------------------------------------------------------


# The converter (cattrs) is imported when output is written, not for ``--help``.


def _field_name(name: str) -> str:
    from .._convert import RENAMES

    return RENAMES.get(name, name)  # ``from_`` is ``from`` on the wire, as in to_dict()


# Characters JSON leaves unescaped that a terminal may act on: DEL, C1 controls (0x9b is CSI),
# line separators and bidi controls; and lone surrogates, which UTF-8 cannot encode. They only
# ever occur inside JSON strings, where a \uXXXX escape decodes to the same text.
_JSON_UNSAFE: Final = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _redacted(data: Any) -> Any:
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, dict):
        return {redact(k): _redacted(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_redacted(v) for v in data]
    return data


def json_line(value: Any) -> str:
    """``value`` (a model, report, totals, dict...) as one line of its ``to_json()``: exact
    data, the API key taken out, and every control character escaped (JSON escapes C0
    only), so the line is safe on a terminal."""
    from .._convert import json_text, unstructure

    data = unstructure(value)  # what to_dict() gives, for the CLI's own totals too
    line = json_text(data)
    # One search of the whole line finds the key as it is; a string holding a backslash or
    # a % may hide an escaped key that only a search of each string finds.
    if "\\" in line or "%" in line or redact(line) != line:
        line = json_text(_redacted(data))
    return _JSON_UNSAFE.sub(_json_escape, line)


def csv_value(value: Any) -> str:
    """One CSV cell: empty for ``None``, ``true``/``false``, exact decimals, RFC 3339 times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        from .._convert import rfc3339

        return rfc3339(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping | list | tuple):
        from .._convert import json_text, unstructure

        return json_text(unstructure(value))
    return str(value)


def _attrs_class(tp: Any) -> type | None:
    """The attrs class inside ``tp`` (``X`` or ``X | None``), if there is one."""
    if isinstance(tp, type) and attrs.has(tp):
        return tp
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(tp):
            if arg is not type(None) and isinstance(arg, type) and attrs.has(arg):
                return arg
    return None


def flat_fields(cls: type, prefix: str = "") -> list[tuple[str, Callable[[Any], Any]]]:
    """CSV columns of a model class: ``(name, getter)``, nested models as ``parent.child``.
    A getter reads an item's ``to_dict()`` (see :func:`csv_row`)."""
    columns: list[tuple[str, Callable[[Any], Any]]] = []
    for field in attrs.fields(cls):
        key = _field_name(field.name)
        name = prefix + key
        nested = _attrs_class(field.type)
        if nested is None:
            columns.append((name, _getter(key)))
            continue
        outer = _getter(key)
        for sub_name, inner in flat_fields(nested, name + "."):
            columns.append((sub_name, _chain(outer, inner)))
    return columns


def _getter(key: str) -> Callable[[Any], Any]:
    return lambda data: None if data is None else data.get(key)


def csv_row(fields: Sequence[tuple[str, Callable[[Any], Any]]], item: Any) -> list[str]:
    """The CSV cells of ``item`` (a model or the CLI's totals) under ``fields``, from its
    ``to_dict()`` form."""
    from .._convert import unstructure

    data = unstructure(item)
    return [csv_value(get(data)) for _, get in fields]


def _chain(outer: Callable[[Any], Any], inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: inner(outer(obj))


# -- tables --------------------------------------------------------------------------------


@attrs.frozen
class Column:
    """One column of a table view: its header and how to get the cell from an item."""

    header: str
    get: Callable[[Any], RenderableType]
    justify: typing.Literal["left", "right", "center"] = "left"
    style: str | None = None
    max_width: int | None = None
    min_width: int | None = None
    no_wrap: bool = False
    overflow: typing.Literal["fold", "crop", "ellipsis"] = "fold"
    #: 0: always shown; otherwise dropped on a narrow console, highest number first.
    drop: int = 0


def build_table(
    columns: Sequence[Column],
    rows: Sequence[Any],
    title: str | None,
    width: int | None = None,
) -> Table:
    """A rich table of ``rows`` under ``columns``.

    When the table would be wider than ``width``, columns with a ``drop`` rank are left out,
    highest rank first, until it fits (rich wraps what is still too wide).
    """
    shown = list(columns)
    table = _table(shown, rows, title)
    if width is None:
        return table
    console = Console(width=100_000)  # wide enough that the measure is not clamped
    for col in sorted((c for c in columns if c.drop), key=lambda c: -c.drop):
        if Measurement.get(console, console.options, table).maximum <= width:
            break
        shown.remove(col)
        table = _table(shown, rows, title)
    return table


def cell(value: RenderableType | None) -> RenderableType:
    """A table cell: text a view returned as ``str`` becomes a safe ``Text`` (never markup)."""
    if value is None:
        return Text("")
    if isinstance(value, str):
        return Text(safe_text(value))
    return value


def _table(columns: Sequence[Column], rows: Sequence[Any], title: str | None) -> Table:
    shown = Text(safe_text(title)) if title is not None else None
    table = Table(title=shown, title_justify="left", header_style="bold")
    for col in columns:
        table.add_column(
            col.header,
            justify=col.justify,
            style=col.style,
            max_width=col.max_width,
            min_width=col.min_width,
            no_wrap=col.no_wrap,
            overflow=col.overflow,
        )
    for row in rows:
        table.add_row(*(cell(col.get(row)) for col in columns))
    return table


# -- the writer ----------------------------------------------------------------------------


class Output:
    """Writes one command's results to stdout in the chosen format; notes go to stderr."""

    def __init__(
        self,
        fmt: Format,
        console: Console,
        err: Console,
        *,
        csv_raw: bool = False,
        to_stderr: bool = False,
    ) -> None:
        self.format = fmt
        self.console = console
        self.err = err
        #: CSV cells as the server sent them, formulas included (``--csv-raw``).
        self.csv_raw = csv_raw
        #: Results go to stderr: stdout carries a file the command writes (``/dev/stdout``).
        self.to_stderr = to_stderr

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self.to_stderr else sys.stdout

    def write_json(self, value: Any) -> None:
        """One JSON document on one line."""
        self.stream.write(json_line(value) + "\n")

    def write_csv(self, cls: type, items: Sequence[Any]) -> None:
        """A CSV header for ``cls`` and one row per item."""
        fields = flat_fields(cls)
        writer = self.csv_writer()
        writer.writerow([name for name, _ in fields])
        for item in items:
            writer.writerow(csv_row(fields, item))

    def csv_writer(self) -> CsvWriter:
        """The CSV writer on stdout (formulas neutralised unless ``--csv-raw``)."""
        return CsvWriter(self.stream, raw=self.csv_raw)

    def render(self, renderable: RenderableType) -> None:
        """Print a rich renderable on stdout."""
        self.console.print(renderable)

    def write_object(self, value: Any, view: Callable[[], RenderableType]) -> None:
        """One object: a JSON line, a one-row CSV, or ``view()`` rendered as a table."""
        if self.format is Format.JSON:
            self.write_json(value)
        elif self.format is Format.CSV:
            self.write_csv(type(value), [value])
        else:
            self.render(view())
        self.stream.flush()

    def note(self, message: str) -> None:
        """A diagnostic line on stderr (plain text: no markup, no control characters)."""
        self.err.print(Text(safe_text(message), style="dim"), soft_wrap=True)

    def per_page(self, limit: int | None, maximum: int) -> int | None:
        """The ``per_page`` to request: one more than the rows wanted (so a table knows when
        rows were left out), capped at the endpoint's maximum; ``None`` means the maximum."""
        cap = self.items_limit(limit)
        return None if cap is None else min(cap + 1, maximum)

    def items_limit(self, limit: int | None) -> int | None:
        """How many items to fetch: the limit, else ``DEFAULT_TABLE_LIMIT`` for tables."""
        if limit is None and self.format is Format.TABLE:
            return DEFAULT_TABLE_LIMIT
        return limit

    async def write_items(
        self,
        cls: type,
        items: AsyncIterable[Any],
        *,
        columns: Sequence[Column],
        limit: int | None,
        title: str | None = None,
        caption: Callable[[], str | None] | None = None,
    ) -> int:
        """Write a list of ``cls`` items; JSON and CSV rows go out as they arrive.

        Returns how many items were written. A table cut by the default limit says so on
        stderr; ``caption`` (called after the last item) is shown under a table.
        """
        cap = self.items_limit(limit)
        count = 0
        more = False
        rows: list[Any] = []
        fields = flat_fields(cls) if self.format is Format.CSV else []
        writer = self.csv_writer()
        if self.format is Format.CSV:
            writer.writerow([name for name, _ in fields])
        iterator = aiter(items)
        try:
            async for item in iterator:
                if cap is not None and count >= cap:
                    more = True
                    break
                count += 1
                if self.format is Format.JSON:
                    self.write_json(item)
                elif self.format is Format.CSV:
                    writer.writerow(csv_row(fields, item))
                else:
                    rows.append(item)
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        if self.format is Format.TABLE:
            table = build_table(columns, rows, title, self.console.width)
            extra = caption() if caption is not None else None
            if extra:
                table.caption = Text(safe_text(extra))
                table.caption_justify = "left"
            if rows:
                self.render(table)
            else:
                self.note("no rows" + (f" in {title}" if title else ""))
            if more and limit is None:
                self.note(
                    f"showing the first {cap} rows: pass --limit N for more, "
                    "or --format json/csv for all of them"
                )
        self.stream.flush()
        return count
