"""``read_contacts_csv``: a streaming CSV reader whose rows remember their line number."""

from __future__ import annotations

import codecs
import csv
import os
import string
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Final

from .._reprs import safe_repr
from ..errors import ValidationError
from ..models.contact import CONTACT_FIELDS
from ._csv_scan import ScanProblem, scan_structure, scan_text

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["CsvError", "CsvRow", "read_contacts_csv"]

_FIELDS: Final = frozenset(CONTACT_FIELDS)
# Text every supported encoding writes as ASCII does (so delimiters, quotes and line ends are
# found byte-wise): refuses UTF-16/32, EBCDIC, UTF-7 and non-text codecs such as rot13.
_PROBE: Final = string.printable


class CsvError(ValidationError):
    """A CSV file that cannot be read as contacts: ``path`` and ``line`` (1-based) say where,
    ``reason`` what (the message without the place)."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message


class CsvRow(dict[str, str]):
    """One CSV row as ``{api_field: cell}`` (empty cells left out), with its ``line`` number.

    ``problem`` is set when the row cannot be a record (more cells than the header has
    columns); the upload then reports it as rejected instead of sending it.
    """

    __slots__ = ("line", "problem")

    line: int
    problem: str | None

    def __init__(self, cells: dict[str, str], line: int, problem: str | None = None) -> None:
        super().__init__(cells)
        self.line = line
        self.problem = problem

    @safe_repr
    def __repr__(self) -> str:
        return f"CsvRow(line={self.line}, {dict.__repr__(self)})"


def read_contacts_csv(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str | None] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Iterator[CsvRow]:
    """Stream the contacts of a CSV file, one :class:`CsvRow` per data row.

    The first row is the header. Headers are the API's field names (``phone1``,
    ``account_name``, ...) unless ``columns`` maps them: ``{"Phone": "phone1"}``; map a
    header to ``None`` to ignore that column. UTF-8 files may start with a byte-order mark.
    Cells are stripped of surrounding spaces; empty cells and blank lines are left out.

    The file is checked whole before the first row is returned, so these raise
    :class:`CsvError` at once, before an upload sends anything: a file that cannot be
    opened, an unknown or non-text ``encoding``, an undecodable byte (with its line and
    column), a line over 1 MiB, a quote left open (with the line where it opened), a cell
    over the ``csv`` field limit, an empty file, a header naming no ``phone1`` column, a
    header that is neither a contact field nor mapped, or a column named twice. The checks
    read the file twice more, a block or a line at a time: time is linear in its size and
    memory does not grow with it.
    """
    name = _check_path(path)
    codec = _check_encoding(encoding, name)
    _check_delimiter(delimiter, name)
    _check_columns(columns, name)
    try:
        if scan_text(name, codec):
            scan_structure(name, codec, delimiter)
        with open(name, encoding=codec, newline="") as stream:
            header = next(csv.reader(stream, delimiter=delimiter), None)
    except ScanProblem as problem:
        raise CsvError(problem.message, path=name, line=problem.line) from None
    except OSError as exc:
        raise CsvError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if header is None:
        raise CsvError("the file is empty: expected a header row", path=name, line=1)
    fields = _map_header(header, columns or {}, name)
    # The rows are read by a generator that opens the file itself, so an iterator that is
    # never used holds no open file.
    return _rows(name, codec, delimiter, fields)


def _check_path(path: str | os.PathLike[str]) -> str:
    try:
        return os.fsdecode(path)
    except TypeError:
        raise CsvError(
            f"the path must be a str or os.PathLike, not {type(path).__name__}", path="?"
        ) from None


def _check_encoding(encoding: str, path: str) -> str:
    if not isinstance(encoding, str):
        raise CsvError(
            f"encoding must be the name of a text encoding, not {type(encoding).__name__}",
            path=path,
        )
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise CsvError(f"unknown encoding {encoding!r:.60}", path=path) from None
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8-sig"
    ascii_probe = _PROBE.encode("ascii")
    try:
        if _PROBE.encode(name) == ascii_probe and ascii_probe.decode(name) == _PROBE:
            return name
        why = "it does not write plain ASCII text as ASCII"
    except (LookupError, TypeError, ValueError):  # rot13, hex, base64: codecs, not encodings
        why = "it is not a text encoding"
    raise CsvError(
        f"encoding {encoding!r:.60} is not supported: save the file as UTF-8 ({why})", path=path
    )


def _check_delimiter(delimiter: str, path: str) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise CsvError(
            f"delimiter must be one character other than a quote or a line end, "
            f"got {delimiter!r:.20}",
            path=path,
        )


def _check_columns(columns: Mapping[str, str | None] | None, path: str) -> None:
    if columns is None:
        return
    if not isinstance(columns, Mapping) or not all(
        isinstance(header, str) and (field is None or isinstance(field, str))
        for header, field in columns.items()
    ):
        raise CsvError(
            "columns must map CSV headers (str) to contact fields (str) or None", path=path
        )


def _map_header(
    header: list[str], columns: Mapping[str, str | None], path: str
) -> list[str | None]:
    """The API field of each column (``None`` for an ignored one)."""
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    for position, raw_name in enumerate(header, 1):
        name = raw_name.strip()
        field = columns.get(name, name)
        if field is not None and field not in _FIELDS:
            unknown.append((position, name))
            field = None
        elif field is not None:
            if field in seen:
                raise CsvError(
                    f"columns {seen[field]!r} and {name!r} both give {field!r}", path=path, line=1
                )
            seen[field] = name
        fields.append(field)
    if "phone1" not in seen:
        shown = ", ".join(repr(h.strip()) for h in header)
        raise CsvError(
            f"no phone1 column (the header has {shown}): name one 'phone1' or map yours "
            "with columns={'Phone': 'phone1'}",
            path=path,
            line=1,
        )
    if unknown:
        position, name = unknown[0]
        if not name:
            raise CsvError(
                f"column {position} has no header: name it, or ignore it with columns={{'': None}}",
                path=path,
                line=1,
            )
        raise CsvError(
            f"column {name!r} is not a contact field: map it with columns={{{name!r}: 'data1'}} "
            f"(or any contact field), or ignore it with columns={{{name!r}: None}}",
            path=path,
            line=1,
        )
    return fields


def _rows(path: str, codec: str, delimiter: str, fields: list[str | None]) -> Iterator[CsvRow]:
    width = len(fields)
    pairs = [(position, field) for position, field in enumerate(fields) if field is not None]
    with open(path, encoding=codec, newline="") as stream:
        yield from _parse(csv.reader(stream, delimiter=delimiter), pairs, width, path)


def _parse(
    reader: CsvReader, pairs: list[tuple[int, str]], width: int, path: str
) -> Iterator[CsvRow]:
    """The rows; ``pairs`` are the position and field of each mapped column."""
    line_num = 0
    try:
        next(reader, None)  # the header, checked already
        line_num = reader.line_num
        for cells in reader:
            line = line_num + 1
            line_num = reader.line_num
            if not any(map(str.strip, cells)):
                continue  # a blank line (or one of empty cells) is not a record
            count = len(cells)
            problem = None
            if count > width and any(map(str.strip, cells[width:])):
                problem = f"the row has {count} cells but the header has {width} columns"
            row = CsvRow({}, line, problem)
            for position, field in pairs:
                if position < count:
                    value = cells[position].strip()
                    if value:
                        row[field] = value
            yield row
    except csv.Error as exc:
        raise CsvError(f"malformed CSV: {exc}", path=path, line=line_num + 1) from None
    except UnicodeDecodeError as exc:  # the file changed after the decoding scan
        raise CsvError(f"not valid text: {exc.reason}", path=path, line=line_num + 1) from None
