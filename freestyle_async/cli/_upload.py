"""The pieces of ``leads upload``: the progress bar, the rejects file and the final summary.

The bar is a rich ``Progress`` on the stderr console, advanced from the bulk upload's
``on_progress`` callback. It is indeterminate until the number of rows is known (counted in a
thread while the upload runs), then shows records/s and the time left.
"""

from __future__ import annotations

import asyncio
import collections
import shlex
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs
from rich.console import Console, Group, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
)
from rich.table import Table
from rich.text import Text

from .._api_limits import MAX_UPLOAD_RECORDS
from .._terminal import show_controls
from ..models import CONTACT_FIELDS, record_fields
from ._csvfile import CsvWriter
from ._errors import CliError, ExitCode
from ._output import csv_value
from ._paths import open_output
from ._safe import safe_text
from ._views import duration

if TYPE_CHECKING:
    from .._client import AsyncFreestyle
    from ..bulk import BulkProgress, BulkUploadError, BulkUploadReport, CsvError, RecordIssue

__all__ = [
    "UploadProgress",
    "UploadRun",
    "UploadTotals",
    "cli_wording",
    "count_unread",
    "partial_note",
    "stopped_error",
    "totals_view",
    "upload_csv",
    "write_rejects",
]

#: What an upload ends with: its report, and the error when it had to stop early (the input
#: failed midway, the checkpoint could not be written); the report is then a partial one.
UploadRun: TypeAlias = "tuple[BulkUploadReport, BulkUploadError | None]"

#: Columns of the rejects file before the record's own fields.
REJECT_COLUMNS: Final = ("outcome", "index", "line", "field", "reason", "request_ids")


class RateColumn(ProgressColumn):
    """Records per second, from rich's own moving estimate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("… rec/s", style="dim")
        return Text(f"{speed:,.0f} rec/s", style="cyan")


def shell_word(text: str) -> str:
    """``text`` as one shell word to paste: ``shlex.quote``, or bash's ``$'...'`` with
    escapes when it holds control characters (shown, never written raw)."""
    if show_controls(text) == text:
        return shlex.quote(text)
    escaped = "".join(
        ch
        if ch not in "\\'" and show_controls(ch) == ch
        else f"\\{ch}"
        if ch in "\\'"
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in text
    )
    return f"$'{escaped}'"


def cli_wording(exc: CsvError) -> str:
    """A bulk CSV error with its fix in command-line terms (``--map X=f``, ``--encoding``,
    ``--delimiter``), quoted for a shell."""

    def map_column(header: str, field: str | None) -> str:
        return f"--map {shell_word(header + '=' + (field or ''))}"

    def delimiter(found: str) -> str:
        return "--delimiter '\\t'" if found == "\t" else f"--delimiter {shell_word(found)}"

    return exc.explain(map_column=map_column, encoding="--encoding NAME", delimiter=delimiter)


async def upload_csv(
    fs: AsyncFreestyle,
    campaign_id: str,
    path: str,
    *,
    bar: UploadProgress,
    columns: Mapping[str, str | None],
    encoding: str = "utf-8",
    delimiter: str = ",",
    chunk_size: int = MAX_UPLOAD_RECORDS,
    concurrency: int = 4,
    on_unknown: Literal["retry", "report"] = "retry",
    checkpoint: str | None = None,
    fail_fast: bool = False,
    max_attempts: int | None = None,
) -> UploadRun:
    """Upload the CSV file at ``path`` with ``bar`` showing progress; the rows are counted in
    a thread meanwhile so the bar can show the time left. A file refused before anything is
    sent is a :class:`CliError`; an upload that stopped midway returns its partial report
    with the :class:`~freestyle_async.bulk.BulkUploadError` (see :func:`stopped_error`).
    ``max_attempts`` (tries of a chunk) ``None`` keeps the bulk upload's default."""
    from ..bulk import (
        DEFAULT_MAX_ATTEMPTS,
        BulkUploadError,
        CsvError,
        count_csv_rows,
        read_contacts_csv,
    )

    try:
        rows = read_contacts_csv(path, columns=columns, encoding=encoding, delimiter=delimiter)
    except CsvError as exc:
        raise CliError(f"bad CSV file {cli_wording(exc)}", ExitCode.CONFIG) from None
    counting = asyncio.ensure_future(
        asyncio.to_thread(count_csv_rows, path, encoding=encoding, delimiter=delimiter)
    )
    counting.add_done_callback(
        lambda task: (
            bar.set_total(task.result())
            if not task.cancelled() and task.exception() is None
            else None
        )
    )
    try:
        with bar:
            report = await fs.dial_campaigns.upload_leads(
                campaign_id,
                rows,
                chunk_size=chunk_size,
                concurrency=concurrency,
                on_unknown=on_unknown,
                checkpoint=checkpoint,
                on_progress=bar,
                fail_fast=fail_fast,
                max_attempts=DEFAULT_MAX_ATTEMPTS if max_attempts is None else max_attempts,
            )
    except BulkUploadError as exc:
        return exc.report, exc
    except RecursionError:  # input nested too deeply for a parser (the checkpoint's JSON)
        where = f"the checkpoint {checkpoint}" if checkpoint is not None else f"the file {path}"
        raise CliError(
            f"cannot read {where}: it is nested too deeply to be what it should be",
            ExitCode.CONFIG,
        ) from None
    finally:
        counting.cancel()
    return report, None


def stopped_error(exc: BulkUploadError, *, rejects: str | None, checkpoint: str | None) -> CliError:
    """The error line of an upload that stopped midway (its summary is already shown): a bad
    CSV row far into the file is a bad input (exit 3), anything else an incomplete upload
    (exit 8). Either way the records read before it were sent and accounted for."""
    from ..bulk import CsvError

    todo = (
        "re-run with the same --checkpoint to send only what is missing"
        if checkpoint is not None
        else "upload the file again (the server skips duplicates), or use --checkpoint to resume"
    )
    listed = f" (the records not accepted are in {rejects})" if rejects is not None else ""
    cause = exc.__cause__
    if isinstance(cause, CsvError):
        return CliError(
            f"upload stopped at a bad CSV row: {cli_wording(cause)}; the rows before it were "
            f"sent and are in the summary{listed}; fix the file, then {todo}",
            ExitCode.CONFIG,
        )
    return CliError(
        f"upload to {exc.report.campaign_id} stopped: {exc.reason or exc}{listed}; {todo}",
        ExitCode.INCOMPLETE,
    )


class EtaColumn(ProgressColumn):
    """``ETA 0:00:12`` while running (once the total is known), ``in 0:00:03`` when done."""

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text(f"in {duration(task.finished_time or task.elapsed or 0)}", style="green")
        remaining = task.time_remaining
        if remaining is None:
            return Text(f"{duration(task.elapsed or 0)} elapsed", style="dim")
        return Text(f"ETA {duration(remaining)}", style="cyan")


class UploadProgress:
    """A progress bar on ``console`` fed by :class:`~freestyle_async.bulk.BulkProgress`."""

    def __init__(self, console: Console, description: str, *, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("{task.description}", style="bold", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            EtaColumn(),
            TextColumn("{task.fields[issues]}", style="yellow", markup=False),
            console=console,
            disable=not enabled,
            refresh_per_second=8,
        )
        self._task = self._progress.add_task(safe_text(description), total=None, issues="")
        self._total: int | None = None

    def __enter__(self) -> UploadProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    @property
    def total(self) -> int | None:
        """The file's rows, once the count running beside the upload has ended."""
        return self._total

    def set_total(self, total: int) -> None:
        """The number of records, once known (the bar stops being indeterminate)."""
        self._total = total
        self._progress.update(self._task, total=total)

    def __call__(self, progress: BulkProgress) -> None:
        """The ``on_progress`` callback."""
        total = progress.records_total if progress.records_total is not None else self._total
        if total is not None and total < progress.records_done:
            total = progress.records_done
        notes = []
        if progress.records_rejected:
            notes.append(f"{progress.records_rejected:,} rejected")
        if progress.records_failed:
            notes.append(f"{progress.records_failed:,} failed")
        if progress.records_unknown:
            notes.append(f"{progress.records_unknown:,} unknown")
        if progress.retry is not None:
            notes.append(f"retrying in {progress.retry.wait:.1f} s")
        self._progress.update(
            self._task,
            completed=progress.records_done,
            total=total,
            issues=" · ".join(notes),
        )


@attrs.frozen
class UploadTotals:
    """What ``leads upload`` prints: the report's counts, its pace and the rejects file (its
    JSON and CSV form)."""

    campaign_id: str
    read: int
    inserted: int
    skipped_by_server: int
    rejected: int
    failed: int
    unknown: int
    already_done: int
    elapsed_seconds: float
    records_per_second: float
    rejects_file: str | None
    rejects_written: int
    #: Rows of the file never read because the upload stopped early (``None``: not known;
    #: 0 when the whole file was read). A rejects file then lists only the rows read.
    not_read: int | None = 0
    #: Per chunk: its ``index``, ``status``, ``attempts`` and the ``request_ids`` of its
    #: attempts (``None`` for one without an answer), to trace a chunk with support.
    chunks: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_report(
        cls,
        report: BulkUploadReport,
        rejects_file: str | None,
        rejects_written: int,
        *,
        not_read: int | None = 0,
    ) -> UploadTotals:
        elapsed = round(report.elapsed, 3)
        rate = report.read / report.elapsed if report.elapsed > 0 else 0.0
        return cls(
            campaign_id=report.campaign_id,
            read=report.read,
            inserted=report.inserted,
            skipped_by_server=report.skipped_by_server,
            rejected=report.rejected,
            failed=report.failed,
            unknown=report.unknown,
            already_done=report.already_done,
            elapsed_seconds=elapsed,
            records_per_second=round(rate, 1),
            rejects_file=rejects_file,
            rejects_written=rejects_written,
            not_read=not_read,
            chunks=tuple(
                {
                    "index": chunk.index,
                    "status": chunk.status,
                    "attempts": chunk.attempts,
                    "request_ids": list(chunk.request_ids),
                }
                for chunk in report.chunks
            ),
        )


def count_unread(
    path: str, read: int, encoding: str, delimiter: str, *, total: int | None = None
) -> int | None:
    """How many rows of the CSV file at ``path`` an upload that stopped after ``read`` never
    read (``None`` when the file cannot be counted). ``total``: the rows, when the count run
    beside the upload (:attr:`UploadProgress.total`) ended; else they are counted now."""
    from ..bulk import CsvError, count_csv_rows

    if total is None:
        try:
            total = count_csv_rows(path, encoding=encoding, delimiter=delimiter)
        except (OSError, ValueError, LookupError, CsvError):  # gone since, not CSV after all
            return None
    return max(total - read, 0)


def partial_note(read: int, not_read: int | None, rejects: str | None, file: str) -> str:
    """What an upload of ``file`` that stopped early left undone, for its error line."""
    if not_read == 0:  # every row was read: the rejects file lists every row not accepted
        listed = f"; {rejects} lists every row not accepted" if rejects is not None else ""
        return f"every one of the {read:,} rows was read{listed}"
    rest = "the rest of the file" if not_read is None else f"{not_read:,} more rows"
    listed = (
        f"; {rejects} is PARTIAL: it lists only records among those read, so send {file} "
        "again, not the rejects file"
        if rejects is not None
        else ""
    )
    return f"the upload stopped after reading {read:,} rows, {rest} were never read{listed}"


def write_rejects(issues: Sequence[RecordIssue], path: str) -> int:
    """Write every record that was not accepted (``report.issues(include_refused=True)``) to
    the CSV file at ``path``.

    One row per record: ``outcome`` (rejected before sending, failed, unknown outcome, or
    refused by the server), its 0-based ``index`` in the input, its CSV ``line``, the
    ``field`` to blame, the ``reason`` and the ``request_ids`` of its chunk's attempts
    (space-separated, ``-`` for an attempt without an answer), then the record's own fields,
    so the file can be fixed and uploaded again. Returns the number of rows written.
    """
    present: set[str] = set()
    for issue in issues:
        present.update(str(key) for key in record_fields(issue.record) or {})
    fields = [f for f in CONTACT_FIELDS if f in present]
    fields += sorted(present - set(fields) - set(REJECT_COLUMNS))
    with open_output(path, encoding="utf-8", newline="") as file:
        writer = CsvWriter(file, raw=True)  # raw: the file is fixed and sent again
        writer.writerow([*REJECT_COLUMNS, *fields])
        for issue in issues:
            record = record_fields(issue.record) or {}  # {}: not a record at all
            writer.writerow(
                [
                    issue.outcome,
                    str(issue.index),
                    csv_value(issue.line),
                    csv_value(issue.field),
                    " ".join(issue.reason.split()),
                    " ".join(rid or "-" for rid in issue.request_ids),
                    *(csv_value(record.get(f)) for f in fields),
                ]
            )
    return len(issues)


def _top_reasons(issues: Sequence[RecordIssue], limit: int = 5) -> list[tuple[str, int]]:
    counter: collections.Counter[str] = collections.Counter()
    for issue in issues:
        where = f"{issue.field}: " if issue.field else ""
        counter[f"{issue.outcome}: {where}{' '.join(issue.reason.split())[:90]}"] += 1
    return counter.most_common(limit)


def totals_view(totals: UploadTotals, issues: Sequence[RecordIssue]) -> RenderableType:
    """The final summary of an upload, for a terminal (``issues``: the report's, refused
    ones included)."""
    head = Text.assemble(
        ("Upload to ", "bold"),
        (safe_text(totals.campaign_id), "bold cyan"),
        (
            f": {totals.read:,} records read in {totals.elapsed_seconds:.1f} s "
            f"({totals.records_per_second:,.0f} records/s)",
            "bold",
        ),
    )
    grid = Table(show_header=False, box=None, padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_column(style="dim")
    rows: list[tuple[str, int, str, str]] = [
        ("inserted", totals.inserted, "added to the campaign", "green"),
        ("skipped by server", totals.skipped_by_server, "duplicates or refused", ""),
        ("rejected", totals.rejected, "invalid, never sent", "yellow"),
        ("failed", totals.failed, "not stored: safe to send again", "red"),
        ("unknown", totals.unknown, "may be stored: re-send, duplicates are skipped", "red"),
        ("already done", totals.already_done, "accepted in an earlier run (checkpoint)", ""),
    ]
    for label, count, meaning, style in rows:
        if count or label in ("inserted", "rejected", "failed"):
            grid.add_row(label, Text(f"{count:,}", style=style if count else ""), meaning)
    if totals.not_read != 0:
        unread = "?" if totals.not_read is None else f"{totals.not_read:,}"
        grid.add_row("not read", Text(unread, style="red"), "the upload stopped before them")
    parts: list[RenderableType] = [head, grid]
    reasons = _top_reasons(issues)
    if reasons:
        why = Table(title="Most common reasons", title_justify="left", box=None, padding=(0, 2))
        why.add_column("Records", justify="right")
        why.add_column("Reason")
        for reason, count in reasons:
            why.add_row(f"{count:,}", Text(safe_text(reason)))
        parts.append(why)
    if totals.rejects_file is not None:
        partial = " (PARTIAL: the rows not read are not in it)" if totals.not_read != 0 else ""
        parts.append(
            Text(
                f"{totals.rejects_written:,} rows written to "
                f"{safe_text(totals.rejects_file)}{partial}",
                "yellow" if partial else "dim",
            )
        )
    return Group(*parts)
