"""``read_contacts_csv``: a streaming CSV reader whose rows remember their line number."""

from __future__ import annotations

import codecs
import csv
import os
import string
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Final, Literal

from .._files import check_path, special_file
from .._reprs import safe_repr
from ..errors import ValidationError
from ..models.contact import CONTACT_FIELDS
from ._csv_scan import ScanProblem, scan_structure, scan_text

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["CsvError", "CsvFix", "CsvRow", "count_csv_rows", "csv_codec", "read_contacts_csv"]

_FIELDS: Final = frozenset(CONTACT_FIELDS)
# Text every supported encoding writes as ASCII does (so delimiters, quotes and line ends are
# found byte-wise): refuses UTF-16/32, EBCDIC, UTF-7 and non-text codecs such as rot13.
_PROBE: Final = string.printable


#: The change a :class:`CsvError` suggests: map a column to ``phone1``
#: (``"map_phone1"``), name or ignore a column without a header (``"name_or_ignore"``), map or
#: ignore a column that is not a contact field (``"map_or_ignore"``), or read the file in
#: another encoding (``"encoding"``), or read it with another cell separator
#: (``"delimiter"``: the header is one column holding ``;``, a tab or ``|``).
CsvFix = Literal["map_phone1", "name_or_ignore", "map_or_ignore", "encoding", "delimiter"]

#: How a caller writes "read the column headed ``header`` as ``field``" (``None``: ignore it).
MapSpelling = Callable[[str, "str | None"], str]
#: How a caller writes "read the file with ``delimiter`` between cells".
DelimiterSpelling = Callable[[str], str]

#: Cell separators a CSV file often has instead of the one given.
_OTHER_DELIMITERS: Final = (";", "\t", "|")
#: Headers a message lists at most (a header of 20,000 columns is not a 189 KB message).
_HEADERS_SHOWN: Final = 10


def _python_map(header: str, field: str | None) -> str:
    return f"columns={{{header!r}: {field!r}}}"


def _python_delimiter(delimiter: str) -> str:
    return f"delimiter={delimiter!r}"


class CsvError(ValidationError):
    """A CSV file that cannot be read as contacts.

    ``path`` and ``line`` (1-based) say where; ``column`` (1-based) and ``header`` name the
    column of the header row to blame, when one is. ``problem`` says what is wrong, ``fix``
    (a :data:`CsvFix`, or ``None``) what change would mend it, and ``reason`` both, in this
    module's terms (the message without the place). :meth:`explain` words the message with
    the fix in a caller's own terms, such as a command's options.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str,
        line: int | None = None,
        column: int | None = None,
        header: str | None = None,
        fix: CsvFix | None = None,
        suggest: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.header = header
        self.problem = problem
        self.fix = fix
        # The header the fix names ("map_phone1"), or the separator ("delimiter").
        self._suggest = suggest
        self.reason = problem + self._fix_text(_python_map, "encoding=...", _python_delimiter)
        super().__init__(f"{self._where()}: {self.reason}")

    def explain(
        self,
        *,
        map_column: MapSpelling,
        encoding: str,
        delimiter: DelimiterSpelling = _python_delimiter,
    ) -> str:
        """The message with its fix in other terms: ``map_column(header, field)`` writes a
        column mapping (``field`` ``None`` ignores the column), ``encoding`` names the way
        to give another encoding, ``delimiter(d)`` the way to read with ``d``."""
        fix = self._fix_text(map_column, encoding, delimiter)
        return f"{self._where()}: {self.problem}{fix}"

    def _where(self) -> str:
        return f"{self.path}, line {self.line}" if self.line is not None else self.path

    def _fix_text(
        self, map_column: MapSpelling, encoding: str, delimiter: DelimiterSpelling
    ) -> str:
        header = self.header or ""
        if self.fix == "delimiter":
            return f"; pass {delimiter(self._suggest or ';')}"
        if self.fix == "map_phone1":
            yours = map_column(self._suggest or "Phone", "phone1")
            return f": name one 'phone1' or map yours with {yours}"
        if self.fix == "name_or_ignore":
            return f": name it, or ignore it with {map_column(header, None)}"
        if self.fix == "map_or_ignore":
            return (
                f": map it with {map_column(header, 'data1')} (or any contact field), "
                f"or ignore it with {map_column(header, None)}"
            )
        if self.fix == "encoding":
            return f" (save the file as UTF-8 or pass {encoding})"
        return ""


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

    The first row that is not blank is the header. Headers are the API's field names (``phone1``,
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
            reader = csv.reader(stream, delimiter=delimiter)
            header = _header(reader)
            header_line = reader.line_num
    except ScanProblem as problem:
        raise CsvError(problem.message, path=name, line=problem.line, fix=problem.fix) from None
    except OSError as exc:
        raise CsvError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if header is None:
        what = "the file is empty" if header_line == 0 else "the file has only blank lines"
        raise CsvError(f"{what}: expected a header row", path=name, line=max(header_line, 1))
    fields = _map_header(header, columns or {}, name, header_line, delimiter)
    # The rows are read by a generator that opens the file itself, so an iterator that is
    # never used holds no open file.
    return _rows(name, codec, delimiter, fields)


def _check_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a ``str``: a path (not empty, no NUL) to a regular file or none. The file
    is read more than once (scanned, then its rows), so a pipe or a device cannot be one."""
    try:
        name = check_path(path, "the path")
    except ValueError as exc:
        raise CsvError(str(exc), path="?") from None
    if special_file(name):
        raise CsvError(
            "cannot read the file: it is a pipe or a device, and the file is read more "
            "than once; save the leads to a regular file first",
            path=name,
        )
    return name


def csv_codec(encoding: str) -> str:
    """The codec :func:`read_contacts_csv` reads a file in ``encoding`` with (``utf-8-sig``
    for UTF-8, so a byte-order mark is skipped).

    The rule every reader of a contacts file follows: :class:`LookupError` when Python knows
    no such encoding, :class:`ValueError` saying why when the reader cannot use it (it is
    not a text encoding, or it does not write ASCII text as ASCII: UTF-16, UTF-32, EBCDIC).
    """
    name = codecs.lookup(encoding).name
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8-sig"
    ascii_probe = _PROBE.encode("ascii")
    try:
        if _PROBE.encode(name) == ascii_probe and ascii_probe.decode(name) == _PROBE:
            return name
        why = "it does not write plain ASCII text as ASCII"
    except (LookupError, TypeError, ValueError):  # rot13, hex, base64: codecs, not encodings
        why = "it is not a text encoding"
    raise ValueError(why)


def _check_encoding(encoding: str, path: str) -> str:
    if not isinstance(encoding, str):
        raise CsvError(
            f"encoding must be the name of a text encoding, not {type(encoding).__name__}",
            path=path,
        )
    try:
        return csv_codec(encoding)
    except LookupError:
        raise CsvError(f"unknown encoding {encoding!r:.60}", path=path) from None
    except ValueError as exc:
        raise CsvError(
            f"encoding {encoding!r:.60} is not supported: save the file as UTF-8 ({exc})",
            path=path,
        ) from None


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
    for header, field in columns.items():
        if field is not None and field not in _FIELDS:
            raise CsvError(
                f"columns maps {header!r:.80} to {field!r:.80}, which is not a contact field "
                f"(the fields: {', '.join(CONTACT_FIELDS)})",
                path=path,
            )


def _map_header(
    header: list[str], columns: Mapping[str, str | None], path: str, line: int, delimiter: str
) -> list[str | None]:
    """The API field of each column (``None`` for an ignored one); the header is on ``line``."""
    if len(header) == 1 and not {header[0], header[0].strip()} & _FIELDS.union(columns):
        found = next((d for d in _OTHER_DELIMITERS if d != delimiter and d in header[0]), None)
        if found is not None:
            raise CsvError(
                f"the header is one column holding {found!r}: the cells seem separated by "
                f"{found!r}, not {delimiter!r}",
                path=path,
                line=line,
                fix="delimiter",
                suggest=found,
            )
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
                    f"columns {seen[field]!r} and {name!r} both give {field!r}",
                    path=path,
                    line=line,
                    column=position,
                    header=name,
                )
            seen[field] = name
        fields.append(field)
    if "phone1" not in seen:
        shown = ", ".join(repr(h.strip()) for h in header[:_HEADERS_SHOWN])
        if len(header) > _HEADERS_SHOWN:
            shown += f", … {len(header) - _HEADERS_SHOWN:,} more"
        names = [h.strip() for h in header if h.strip() and h.strip() not in seen.values()]
        # The fix names a real header: the first that mentions a phone, else the first free one.
        guess = next((h for h in names if "phone" in h.lower()), names[0] if names else None)
        raise CsvError(
            f"no phone1 column (the header has {shown})",
            path=path,
            line=line,
            fix="map_phone1",
            suggest=guess,
        )
    if unknown:
        position, name = unknown[0]
        if not name:
            raise CsvError(
                f"column {position} has no header",
                path=path,
                line=line,
                column=position,
                header=name,
                fix="name_or_ignore",
            )
        raise CsvError(
            f"column {name!r} is not a contact field",
            path=path,
            line=line,
            column=position,
            header=name,
            fix="map_or_ignore",
        )
    return fields


def count_csv_rows(path: str, *, encoding: str = "utf-8", delimiter: str = ",") -> int:
    """How many rows :func:`read_contacts_csv` yields from a file it accepted, counted without
    building them (a progress bar's total). Undecodable bytes are counted, not raised."""
    with open(path, encoding=csv_codec(encoding), newline="", errors="replace") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        _header(reader)
        return sum(1 for cells in reader if not _blank(cells))


def _blank(cells: list[str]) -> bool:
    """A blank line, or one of empty cells: not a record."""
    return not any(map(str.strip, cells))


def _header(reader: CsvReader) -> list[str] | None:
    """The first row that is not blank (blank lines before the header are skipped, as they
    are between rows), or ``None`` when there is none."""
    for cells in reader:
        if not _blank(cells):
            return cells
    return None


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
        _header(reader)  # checked already
        line_num = reader.line_num
        for cells in reader:
            line = line_num + 1
            line_num = reader.line_num
            if _blank(cells):
                continue
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
