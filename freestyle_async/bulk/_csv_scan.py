"""The checks a CSV file passes before ``read_contacts_csv`` returns a single row.

Two passes over the file, each linear in its size and bounded in memory whatever its shape
(one 200 MB line, ``\\r``-only line ends as Excel's "CSV (Macintosh)" writes them):

1. :func:`scan_text` reads bytes a block at a time through an incremental decoder: every byte
   must decode, and no line may be longer than :data:`MAX_LINE_BYTES`. Line ends are ``\\n``,
   ``\\r\\n`` or ``\\r``, counted as the ``csv`` module counts them.
2. :func:`scan_structure` runs the ``csv`` parser over the whole file: a quote left open (which
   would swallow every following line into one cell) and a cell over the ``csv`` field limit
   are found here, before anything is sent. A file without a single quote and without a line
   longer than the field limit can have neither, so :func:`scan_text` says when this pass,
   which costs about as much as reading the rows, can be skipped.

A problem is raised as :class:`ScanProblem` (message, 1-based line and the fix it suggests);
the reader turns it into a ``CsvError`` naming the file.
"""

from __future__ import annotations

import codecs
import collections
import csv
import itertools
from typing import Final, Literal

__all__ = ["MAX_LINE_BYTES", "ScanProblem", "scan_structure", "scan_text"]

_BLOCK: Final = 1 << 17
#: The longest line accepted. At least one block, so a longer line always spans a block end.
MAX_LINE_BYTES: Final = 1 << 20
_MARKERS: Final = ('X"Z', 'Y"W')  # a line fed after the file's last one (see scan_structure)


class ScanProblem(Exception):
    """What is wrong with the file, on which line, and the ``CsvFix`` it suggests, if any."""

    def __init__(self, message: str, line: int, fix: Literal["encoding"] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix


class _Lines:
    """Counts line ends over consecutive byte blocks and finds the start of the current line."""

    __slots__ = ("after_cr", "line", "long", "seen_long", "start")

    def __init__(self, start: int, long: int) -> None:
        self.line = 1  # the line the next byte belongs to
        self.start = start  # the offset where that line starts
        self.after_cr = False  # the last byte seen was \r (a \n next ends no new line)
        # Lines longer than ``long`` bytes are noted (exactly when it is >= a block: only a
        # line that runs over a block's end can be longer than a block).
        self.long = long
        self.seen_long = False

    def advance(self, data: bytes, offset: int) -> None:
        """Take in ``data``, which starts at byte ``offset`` of the file."""
        if not data:
            return
        first = _first_break(data)
        length = (offset + (len(data) if first < 0 else first)) - self.start
        self.seen_long = self.seen_long or length > self.long
        if length > MAX_LINE_BYTES:
            raise ScanProblem(
                f"the line is longer than {MAX_LINE_BYTES:,} bytes: not a CSV file of contacts",
                self.line,
            )
        ends = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
        if self.after_cr and data[0] == 0x0A:
            ends -= 1
        self.line += ends
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if last >= 0:
            self.start = offset + last + 1
        self.after_cr = data[-1] == 0x0D


def _first_break(data: bytes) -> int:
    found = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    return min(found, default=-1)


def scan_text(path: str, codec: str) -> bool:
    """Decode the whole file a block at a time; an undecodable byte names its line and column
    (the byte within the line), a line that is too long its line.

    Returns whether :func:`scan_structure` is needed: the file holds a quote (byte ``0x22``:
    every supported encoding writes ``"`` so), or a line that could hold a cell over the
    ``csv`` field limit (each character is at least a byte).
    """
    limit = csv.field_size_limit()
    quoted = limit < _BLOCK  # below a block, long lines are not measured exactly
    base = "utf-8" if codec == "utf-8-sig" else codec
    decoder = codecs.getincrementaldecoder(base)()
    with open(path, "rb") as raw:
        offset = 0
        if codec == "utf-8-sig":  # a byte-order mark is not part of line 1
            head = raw.read(len(codecs.BOM_UTF8))
            offset = len(head) if head == codecs.BOM_UTF8 else 0
            raw.seek(offset)
        lines = _Lines(offset, limit)
        while True:
            block = raw.read(_BLOCK)
            held = len(decoder.getstate()[0])  # bytes of a character the last block cut
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                at = offset - held + exc.start
                lines.advance(block[: max(0, at - offset)], offset)
                raise ScanProblem(
                    f"not valid {base}: byte 0x{exc.object[exc.start]:02x} at byte "
                    f"{at - lines.start + 1} of the line cannot be decoded",
                    lines.line,
                    "encoding",
                ) from None
            if not block:
                return quoted or lines.seen_long
            quoted = quoted or b'"' in block
            lines.advance(block, offset)
            offset += len(block)


def scan_structure(path: str, codec: str, delimiter: str) -> None:
    """Parse the whole file as the reader will: every quoted cell must close and every cell
    fit the ``csv`` field limit.

    The parser (non-strict, as the reader) does not say when the file ends inside a quoted
    cell: it returns that cell as it stands. So a marker line is fed after the file's last
    one: after a complete row it is a row of its own, ``[marker]``; inside an open quote it
    closes the cell instead, and the last row is something else.
    """
    marker = next(m for m in _MARKERS if delimiter not in m)
    with open(path, encoding=codec, newline="") as stream:
        reader = csv.reader(itertools.chain(stream, (marker,)), delimiter=delimiter)
        try:
            last = collections.deque(reader, maxlen=1)  # the parser's speed, one row kept
        except csv.Error:
            pass
        else:
            if last and last[0] != [marker]:
                _open_quote(last[0][-1][: -len(marker) + 1], reader.line_num - 1)
            return
    _locate_error(path, codec, delimiter)


def _open_quote(cell: str, lines: int) -> None:
    """Raise for a quoted ``cell`` that runs to the end of a file of ``lines`` lines."""
    ends = cell.count("\n") + cell.count("\r") - cell.count("\r\n")
    opened = lines - ends + (1 if cell.endswith(("\n", "\r")) else 0)
    raise ScanProblem(
        'a quote (") opened on this line is never closed, so every line after it would be '
        'read as one cell: close it (a quote inside a quoted cell is written "")',
        opened,
    )


def _locate_error(path: str, codec: str, delimiter: str) -> None:
    """Parse again, slowly, to name the line where the row that fails starts."""
    with open(path, encoding=codec, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise ScanProblem(
                    f"a cell of the row starting on this line is longer than "
                    f"{csv.field_size_limit():,} characters (a quote opened there and never "
                    "closed would do that)",
                    start,
                ) from None
            raise ScanProblem(f"malformed CSV: {exc}", start) from None
