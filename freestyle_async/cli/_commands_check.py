"""The pieces of ``leads check``: a leads file checked offline, its summary, and the files
it writes (the rejects, as ``leads upload`` writes them, and the cleaned CSV).

The command itself is declared with ``leads upload`` in :mod:`._commands_leads`, so the two
share their CSV options.
"""

from __future__ import annotations

import contextlib
import csv
import tempfile
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..bulk import DuplicatePhone
from ..models import CONTACT_FIELDS
from ._csvfile import CsvWriter
from ._errors import CliError, ExitCode
from ._output import Output, csv_value
from ._paths import FileOption, check_files, open_output, temp_folder
from ._safe import safe_text
from ._upload import cli_wording, write_rejects

if TYPE_CHECKING:
    from ..bulk import LeadsCheckReport

__all__ = ["CheckTotals", "check_csv", "check_view", "run_check"]

#: How many rejected rows and repeated phones the table lists (JSON lists them all).
SHOWN: Final = 10


@attrs.frozen
class Rejected:
    """One row an upload would reject: where, the field to blame and why."""

    index: int
    line: int | None
    field: str | None
    reason: str


@attrs.frozen
class CheckTotals:
    """What ``leads check`` prints (its JSON and CSV form)."""

    file: str
    read: int
    valid: int
    rejected: int
    duplicates: int
    unique: int
    rejects_file: str | None
    normalized_file: str | None
    normalized_written: int
    rejected_rows: list[Rejected]
    duplicate_rows: list[DuplicatePhone]

    @classmethod
    def from_report(
        cls, file: str, report: LeadsCheckReport, rejects: str | None, normalized: str | None
    ) -> CheckTotals:
        return cls(
            file=file,
            read=report.read,
            valid=report.valid,
            rejected=report.rejected,
            duplicates=len(report.duplicates),
            unique=report.unique,
            rejects_file=rejects,
            normalized_file=normalized,
            normalized_written=report.valid if normalized is not None else 0,
            rejected_rows=[
                Rejected(i.index, i.line, i.field, " ".join(i.reason.split()))
                for i in report.rejected_records
            ],
            duplicate_rows=report.duplicates,
        )


def _where(index: int, line: int | None) -> str:
    return f"line {line}" if line is not None else f"record {index}"


def check_view(totals: CheckTotals) -> RenderableType:
    """The summary for a terminal: the counts, then the first rejected rows and repeats."""
    verdict = (
        ("every record would be accepted", "bold green")
        if not totals.rejected
        else (f"{totals.rejected:,} records would be rejected", "bold yellow")
    )
    head = Text.assemble(
        ("Check of ", "bold"),
        (safe_text(totals.file), "bold cyan"),
        (f": {totals.read:,} records read, ", "bold"),
        verdict,
    )
    grid = Table(show_header=False, box=None, padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_column(style="dim")
    grid.add_row("valid", f"{totals.valid:,}", "would be sent")
    grid.add_row("rejected", f"{totals.rejected:,}", "invalid, would never be sent")
    grid.add_row("repeated phone1", f"{totals.duplicates:,}", "the server would skip them")
    grid.add_row("unique phone1", f"{totals.unique:,}", "at most this many would be added")
    parts: list[RenderableType] = [head, grid]
    parts += _listing(
        "Rejected",
        ("Where", "Field", "Reason"),
        [
            (_where(r.index, r.line), safe_text(r.field or ""), safe_text(r.reason))
            for r in totals.rejected_rows[:SHOWN]
        ],
        totals.rejected,
        "rejected rows",
    )
    parts += _listing(
        "Repeated phone1",
        ("Where", "phone1", "First seen"),
        [
            (_where(d.index, d.line), d.phone1, _where(d.first_index, d.first_line))
            for d in totals.duplicate_rows[:SHOWN]
        ],
        totals.duplicates,
        "repeats",
    )
    for label, path, count in (
        ("rejected rows", totals.rejects_file, totals.rejected),
        ("cleaned records", totals.normalized_file, totals.normalized_written),
    ):
        if path is not None:
            parts.append(Text(f"{count:,} {label} written to {safe_text(path)}", "dim"))
    return Group(*parts)


def _listing(
    title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], count: int, what: str
) -> list[RenderableType]:
    """A table of the first rows (cells already made safe), and how many more there are."""
    if not rows:
        return []
    table = Table(title=title, title_justify="left", box=None, padding=(0, 2))
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    more = count - len(rows)
    if more <= 0:
        return [table]
    return [table, Text(f"… and {more:,} more {what} (all of them in --format json)", "dim")]


def _cell(value: Any) -> str:
    return value if type(value) is str else csv_value(value)


class NormalizedWriter:
    """Writes the valid records, as they would be sent, to a CSV file an upload reads back.

    Records are streamed to a temporary file, a column for each field seen so far (in the
    order first seen); at the end a second streaming pass puts the columns in the API's
    order under a header, and the result replaces ``path``. Cells are written as they are
    (formulas not neutralised, like the rejects file): the file is meant to be uploaded.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        # Anonymous (no name to plant a symlink at), removed when closed.
        self._file = tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", newline="", dir=temp_folder(path)
        )
        self._writer = CsvWriter(self._file, raw=True)
        self._columns: list[str] = []
        self._seen: set[str] = set()

    def __call__(self, record: dict[str, Any], index: int, line: int | None) -> None:
        """The ``on_valid`` callback of ``check_leads``."""
        if not record.keys() <= self._seen:
            self._columns += [field for field in record if field not in self._seen]
            self._seen.update(record)
        # A record as sent holds only str, int and float values (csv_value's str() of them)
        self._writer.writerow([_cell(record.get(field)) for field in self._columns])

    def finish(self) -> None:
        """Write the file at ``path`` (only the columns used, in the API's order)."""
        self._file.seek(0)
        position = {field: i for i, field in enumerate(self._columns)}
        order = [field for field in CONTACT_FIELDS if field in position]
        picks = [position[field] for field in order]
        width = len(self._columns)
        with self._file as wide, open_output(self._path, encoding="utf-8", newline="") as out:
            writer = CsvWriter(out, raw=True)
            writer.writerow(order or ["phone1"])
            for row in csv.reader(wide):
                row += [""] * (width - len(row))  # written before a later field was seen
                writer.writerow([row[i] for i in picks])

    def discard(self) -> None:
        """Remove the temporary file (the check failed)."""
        self._file.close()


@contextlib.contextmanager
def _normalized_file(path: str | None) -> Iterator[NormalizedWriter | None]:
    if path is None:
        yield None
        return
    try:
        writer = NormalizedWriter(path)
    except OSError as exc:
        raise CliError(
            f"cannot write --normalized {path}: {exc.strerror or exc}", ExitCode.CONFIG
        ) from None
    try:
        yield writer
    except BaseException:
        writer.discard()
        raise
    try:
        writer.finish()
    except OSError as exc:
        writer.discard()
        raise CliError(
            f"the check finished, but the cleaned file {path} could not be written: "
            f"{exc.strerror or exc}",
            ExitCode.ERROR,
        ) from None


def check_csv(
    file: str,
    *,
    columns: Mapping[str, str | None],
    encoding: str = "utf-8",
    delimiter: str = ",",
    rejects: str | None = None,
    normalized: str | None = None,
) -> CheckTotals:
    """Check the CSV file ``file`` offline and write the ``rejects`` and ``normalized`` files
    asked for; a file that cannot be read as contacts is a :class:`CliError` (exit 3)."""
    from ..bulk import CsvError, check_leads, read_contacts_csv

    files = [FileOption("FILE", file, written=False)]
    if rejects is not None:
        files.append(FileOption("--rejects", rejects, written=True))
    if normalized is not None:
        files.append(FileOption("--normalized", normalized, written=True))
    check_files(files)
    try:
        rows = read_contacts_csv(file, columns=columns, encoding=encoding, delimiter=delimiter)
        with _normalized_file(normalized) as writer:
            report = check_leads(rows, on_valid=writer)
    except CsvError as exc:
        raise CliError(f"bad CSV file {cli_wording(exc)}", ExitCode.CONFIG) from None
    if rejects is not None:
        try:
            write_rejects(report.rejected_records, rejects)
        except OSError as exc:
            raise CliError(
                f"the check finished, but the rejects file {rejects} could not be written: "
                f"{exc.strerror or exc}",
                ExitCode.ERROR,
            ) from None
    return CheckTotals.from_report(file, report, rejects, normalized)


def run_check(
    out: Output,
    file: str,
    *,
    columns: Mapping[str, str | None],
    encoding: str,
    delimiter: str,
    rejects: str | None,
    normalized: str | None,
) -> None:
    """``leads check``: check ``file``, print the summary, write the requested files, and
    raise the :class:`CliError` of the exit status (8: some record would be rejected; 3: the
    file cannot be read as contacts)."""
    totals = check_csv(
        file,
        columns=columns,
        encoding=encoding,
        delimiter=delimiter,
        rejects=rejects,
        normalized=normalized,
    )
    out.write_object(totals, lambda: check_view(totals))
    if not totals.read:
        out.note(f"{file} has a header but no records")
    if totals.rejected:
        where = f" (listed in {rejects})" if rejects is not None else " (--rejects FILE lists them)"
        raise CliError(
            f"{totals.rejected:,} of {totals.read:,} records in {file} would be rejected"
            f"{where}; fix them before uploading",
            ExitCode.INCOMPLETE,
        )
