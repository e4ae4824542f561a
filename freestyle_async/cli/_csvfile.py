"""The one CSV writer of the command: ``--format csv`` exports and the ``--rejects`` file.

- Every cell holding a delimiter, a quote, CR or LF is quoted (RFC 4180). ``csv.writer`` with
  ``lineterminator="\\n"`` leaves a bare CR unquoted, which a reader takes for a row break: a
  server could add rows to an export. So cells are quoted here, not by ``csv.writer``.
- Unless ``raw``, a cell a spreadsheet would run as a formula (OWASP "CSV injection": it starts
  with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF) gets a leading ``'``, which spreadsheets
  show as text. Numbers (``-12.50``, ``1e3``) and phone numbers (``+15551234567``,
  ``+1 (416) 555-0100``) stay exactly as they are: they run nothing.
- The API key (or a fragment of it) is taken out of every cell, raw or not; so is a lone
  surrogate (a server's ``"\\ud800"``), which no UTF-8 file can hold: it becomes U+FFFD.
- Written to a terminal (``--format csv`` without a redirect), control characters are shown
  as escapes (``\\x1b``), as in every other view: server text never drives the terminal. A
  file or a pipe gets the cells exactly as the server sent them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Final

from .._secrets import redact
from .._terminal import show_controls

__all__ = ["CsvWriter", "spreadsheet_safe"]

_FORMULA_START: Final = frozenset("=+-@\t\r\n")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_NUMBER_OR_PHONE: Final = re.compile(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"  # a number
    r"|\+\d[\d ().-]*"  # a phone number: + then digits, spaces, dots, dashes, parentheses
)


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    if cell and cell[0] in _FORMULA_START and _NUMBER_OR_PHONE.fullmatch(cell) is None:
        return "'" + cell
    return cell


class CsvWriter:
    """Writes rows of text cells to ``stream``, one ``\\n``-terminated line each.

    ``raw`` keeps formulas as they are (for programs reading the file, and for the rejects
    file, which is meant to be fixed and sent again); quoting and key redaction always apply.
    """

    def __init__(self, stream: IO[str], *, raw: bool = False, delimiter: str = ",") -> None:
        self._stream = stream
        self._raw = raw
        self._delimiter = delimiter
        self._special = re.compile(f'[{re.escape(delimiter)}"\r\n]')
        try:
            self._terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):  # a closed or exotic stream
            self._terminal = False

    def _quote(self, cell: str) -> str:
        if self._special.search(cell) is None:
            return cell
        return '"' + cell.replace('"', '""') + '"'

    def writerow(self, cells: Sequence[str]) -> None:
        """Write one row."""
        joined = "\0".join(cells)
        if redact(joined) != joined:  # one search per row; the key is rarely there
            cells = [redact(cell) for cell in cells]
        if _SURROGATE.search(joined) is not None:
            cells = [_SURROGATE.sub("\ufffd", cell) for cell in cells]
        if not self._raw:
            cells = [spreadsheet_safe(cell) for cell in cells]
        if self._terminal:
            cells = [show_controls(cell) for cell in cells]
        if len(cells) == 1 and not cells[0]:
            self._stream.write('""\n')  # a lone empty cell, not a blank line
            return
        self._stream.write(self._delimiter.join(map(self._quote, cells)) + "\n")
