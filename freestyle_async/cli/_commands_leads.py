"""``freestyle leads upload``: a CSV file of leads into a dial campaign, with a progress bar."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

import click

from .._api_limits import MAX_UPLOAD_RECORDS
from ..errors import AuthenticationError, NotFoundError, PermissionDeniedError
from ..models import CONTACT_FIELDS
from ._commands_dial import CAMPAIGN_HINT
from ._errors import CliError, ExitCode
from ._options import DELIMITER, ENCODING, format_option
from ._paths import FileOption, FilePath, any_stdout, check_files
from ._settings import Settings, pass_settings
from ._upload import (
    UploadProgress,
    UploadRun,
    UploadTotals,
    count_unread,
    partial_note,
    stopped_error,
    totals_view,
    upload_csv,
    write_rejects,
)

if TYPE_CHECKING:
    from .._client import AsyncFreestyle

__all__ = ["leads", "parse_maps"]


def parse_maps(values: tuple[str, ...]) -> dict[str, str | None]:
    """``--map CSV_HEADER=FIELD`` options as a column mapping (``HEADER=`` ignores a column,
    and a bare ``=`` the column whose header is empty)."""
    columns: dict[str, str | None] = {}
    for value in values:
        header, sep, field = value.partition("=")
        if not sep or (not header.strip() and field.strip()):
            raise click.BadParameter(
                f"{value!r} is not CSV_HEADER=FIELD (e.g. --map Phone=phone1, or Notes= "
                "to ignore a column)",
                param_hint="'--map'",
            )
        header, target = header.strip(), field.strip() or None
        if target is not None and target not in CONTACT_FIELDS:
            raise click.BadParameter(
                f"{value!r:.200}: {target!r:.80} is not a contact field (the fields: "
                f"{', '.join(CONTACT_FIELDS)})",
                param_hint="'--map'",
            )
        if header in columns and columns[header] != target:
            raise click.BadParameter(
                f"column {header!r:.200} is mapped twice ({columns[header] or 'ignored'} and "
                f"{target or 'ignored'}): map each column once",
                param_hint="'--map'",
            )
        columns[header] = target
    return columns


_MAP = click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="CSV_HEADER=FIELD",
    help="Read column CSV_HEADER as contact field FIELD (repeatable), e.g. --map "
    "Phone=phone1 --map Name=account_name; CSV_HEADER= ignores a column (a bare = the "
    "column with an empty header). Headers that already are field names need no mapping.",
)
_ENCODING = click.option(
    "--encoding", type=ENCODING, default="utf-8", show_default=True, help="Text encoding of FILE."
)
_DELIMITER = click.option(
    "--delimiter",
    type=DELIMITER,
    default=",",
    show_default=True,
    help="Cell separator of FILE: one character, or \\t for a tab.",
)


@click.group()
def leads() -> None:
    """Check leads files and upload them to a dial campaign."""


@leads.command("upload")
@click.argument("campaign_id", metavar="CAMPAIGN")
@click.argument("file", type=FilePath(exists=True, dir_okay=False, readable=True))
@_MAP
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Chunks sent at the same time.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, MAX_UPLOAD_RECORDS),
    default=MAX_UPLOAD_RECORDS,
    show_default=True,
    help=f"Records per request (the API takes at most {MAX_UPLOAD_RECORDS:,}).",
)
@click.option(
    "--checkpoint",
    type=FilePath(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Remember accepted chunks in FILE; a re-run with the same input skips them. Its "
    "folder must be writable, and it must not be the input or the --rejects file.",
)
@click.option(
    "--on-unknown",
    type=click.Choice(["retry", "report"]),
    default="retry",
    show_default=True,
    help="When a chunk's outcome is unknown (connection lost after sending): send it again "
    "(the server skips duplicates) or report its records as unknown.",
)
@click.option("--fail-fast", is_flag=True, help="Stop sending after the first failed chunk.")
@click.option(
    "--rejects",
    type=FilePath(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write the records that were not accepted to FILE (CSV), with the reason per row. "
    "Cells are written as read (formulas not neutralised), to be fixed and sent again. "
    "FILE /dev/stdout writes it to stdout; the summary then goes to stderr.",
)
@click.option(
    "--strict", is_flag=True, help="Also exit with 8 when records were rejected as invalid."
)
@_ENCODING
@_DELIMITER
@click.option(
    "--progress/--no-progress",
    default=True,
    help="Show the progress bar on stderr (off a terminal, only its final state).",
)
@format_option
@pass_settings
def upload(
    settings: Settings,
    campaign_id: str,
    file: str,
    mappings: tuple[str, ...],
    concurrency: int,
    chunk_size: int,
    checkpoint: str | None,
    on_unknown: Literal["retry", "report"],
    fail_fast: bool,
    rejects: str | None,
    strict: bool,
    encoding: str,
    delimiter: str,
    progress: bool,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """Upload a CSV file of leads.

    Uploads the leads in FILE (CSV with a header row) to dial campaign CAMPAIGN.

    Every record is checked before sending (phone1 required; phones become 10 digits);
    invalid ones are rejected, never sent. At the end a summary accounts for every row.
    Exit status: 0 when no record failed, 8 when some failed or their outcome is unknown
    (re-run with the same --checkpoint to send only what is missing).

    Each chunk is tried up to 8 times when that is safe; with --max-retries N, N + 1 times.
    --timeout bounds each request (one attempt of one chunk), not the whole upload.
    If the key is refused or the campaign is not found (exit 4 or 5), the upload stops: the
    summary shows how many rows were not read, and a --rejects file lists only the rows read
    before the stop, so upload FILE again (not the rejects file) once fixed.
    """
    columns = parse_maps(mappings)
    files = [FileOption("FILE", file, written=False)]
    if checkpoint is not None:
        files.append(FileOption("--checkpoint", checkpoint, written=True))
    if rejects is not None:
        files.append(FileOption("--rejects", rejects, written=True))
    check_files(files)
    out = settings.output(fmt, csv_raw, to_stderr=any_stdout(rejects))
    bar = UploadProgress(out.err, f"Uploading {os.path.basename(file)}", enabled=progress)
    action = f"uploading leads to campaign {campaign_id}"

    async def work(fs: AsyncFreestyle) -> UploadRun:
        return await upload_csv(
            fs,
            campaign_id,
            file,
            bar=bar,
            columns=columns,
            encoding=encoding,
            delimiter=delimiter,
            chunk_size=chunk_size,
            concurrency=concurrency,
            on_unknown=on_unknown,
            checkpoint=checkpoint,
            fail_fast=fail_fast,
            max_attempts=settings.max_retries + 1 if settings.max_retries_given else None,
        )

    report, stopped = settings.run(action, work, not_found_hint=CAMPAIGN_HINT)
    issues = list(report.issues(include_refused=True))
    written = 0
    if rejects is not None:
        try:
            written = write_rejects(issues, rejects)
        except OSError as exc:
            raise CliError(
                f"the upload finished, but the rejects file {rejects} could not be written: "
                f"{exc.strerror or exc}",
                ExitCode.ERROR,
            ) from None
    fatal = next(
        (
            chunk.error
            for chunk in report.chunks
            if isinstance(chunk.error, AuthenticationError | PermissionDeniedError | NotFoundError)
        ),
        None,
    )
    not_read: int | None = 0
    if fatal is not None or stopped is not None:
        not_read = count_unread(file, report.read, encoding, delimiter, total=bar.total)
    totals = UploadTotals.from_report(report, rejects, written, not_read=not_read)
    out.write_object(totals, lambda: totals_view(totals, issues))
    if fatal is not None:
        error = settings.fail(fatal, action, CAMPAIGN_HINT)
        raise CliError(
            f"{error.message}; {partial_note(report.read, not_read, rejects, file)}",
            error.exit_code,
        )
    if stopped is not None:
        raise stopped_error(stopped, rejects=rejects, checkpoint=checkpoint)
    not_accepted = report.rejected + report.failed + report.unknown + len(report.refused_by_server)
    if not_accepted and rejects is None:
        out.note(
            f"{not_accepted:,} records were not accepted: pass --rejects FILE to save them "
            "with the reason for each"
        )
    if not report.ok or (strict and report.rejected):
        where = f" (listed in {rejects})" if rejects is not None else ""
        todo = (
            "re-run with the same --checkpoint to send only what is missing"
            if checkpoint is not None
            else "send the file again (the server skips duplicates), or use --checkpoint to resume"
        )
        raise CliError(
            f"upload to {campaign_id} incomplete: {report.failed:,} records failed, "
            f"{report.unknown:,} with an unknown outcome, {report.rejected:,} rejected"
            f"{where}; {todo}",
            ExitCode.INCOMPLETE,
        )


@leads.command("check")
@click.argument("file", type=FilePath(exists=True, dir_okay=False, readable=True))
@_MAP
@_ENCODING
@_DELIMITER
@click.option(
    "--rejects",
    type=FilePath(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write the records an upload would reject to FILE (CSV, as leads upload writes "
    "it), with the reason per row. FILE /dev/stdout: see --normalized.",
)
@click.option(
    "--normalized",
    type=FilePath(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write the valid records to FILE (CSV) as an upload would send them: phones as 10 "
    "digits, numbers converted, empty cells left out. Cells are written as they are. "
    "FILE /dev/stdout writes it to stdout; the summary then goes to stderr.",
)
@format_option
@pass_settings
def check(
    settings: Settings,
    file: str,
    mappings: tuple[str, ...],
    encoding: str,
    delimiter: str,
    rejects: str | None,
    normalized: str | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """Check a CSV file of leads offline.

    Applies the checks of leads upload to every row of FILE, with no API key and no network,
    and reports the rows an upload would reject (line, field, reason) and the rows whose
    phone1 repeats an earlier row's (the server skips those). Exit status: 0 when every
    record would be accepted, 8 when some would be rejected, 3 when FILE cannot be read.
    """
    from ._commands_check import run_check

    run_check(
        settings.output(fmt, csv_raw, to_stderr=any_stdout(rejects, normalized)),
        file,
        columns=parse_maps(mappings),
        encoding=encoding,
        delimiter=delimiter,
        rejects=rejects,
        normalized=normalized,
    )
