"""``check_leads``: what an upload would do with some records, with no key and no network.

The records go through the upload's own checks (:func:`~._batch.normalize_batch`, a batch at
a time, so exactly the rules of :mod:`._normalize`) and nothing is sent. The report says how
many were read, which would be rejected and why, and which valid ones repeat the ``phone1``
of an earlier one (the server skips those on import). Memory stays flat in the number of
records, but for one entry per distinct ``phone1`` (to find repeats) and the issues found.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterable, Callable, Iterable
from typing import Any, Final

import attrs

from .._api_limits import MAX_UPLOAD_RECORDS
from ..errors import ValidationError
from ._batch import normalize_batch, record_lines
from ._engine import RecordSource, check_source
from ._report import RecordIssue

__all__ = ["DuplicatePhone", "LeadsCheckReport", "OnValid", "check_leads", "check_leads_async"]

#: Called with each valid record as it would be sent (a new dict, or the input's own when it
#: needed no change: do not modify it), its 0-based input position and its CSV line (or None).
OnValid = Callable[[dict[str, Any], int, "int | None"], object]

_BATCH: Final = MAX_UPLOAD_RECORDS
_LINE_SHIFT: Final = 40  # a first occurrence as one int (smaller than a tuple): see _pack
_INDEX_MASK: Final = (1 << _LINE_SHIFT) - 1


def _pack(index: int, line: int | None) -> int:
    return ((line + 1 if line is not None else 0) << _LINE_SHIFT) | index


def _unpack(packed: int) -> tuple[int, int | None]:
    shifted = packed >> _LINE_SHIFT
    return packed & _INDEX_MASK, (shifted - 1 if shifted else None)


@attrs.frozen
class DuplicatePhone:
    """A valid record whose ``phone1`` (normalised) an earlier valid record already has.

    ``index``/``line`` say where the repeat is (0-based input position, CSV line or ``None``),
    ``first_index``/``first_line`` where that phone first appeared.
    """

    index: int
    line: int | None
    phone1: str
    first_index: int
    first_line: int | None


@attrs.frozen
class LeadsCheckReport:
    """What :func:`check_leads` found.

    ``read == valid + rejected``. ``rejected_records`` are what an upload would reject before
    sending (``outcome="rejected"``, the record as given); ``duplicates`` the valid records the
    server would skip as repeats of an earlier ``phone1`` in the same input.
    """

    read: int
    valid: int
    rejected_records: list[RecordIssue]
    duplicates: list[DuplicatePhone]

    @property
    def rejected(self) -> int:
        """How many records an upload would reject."""
        return len(self.rejected_records)

    @property
    def unique(self) -> int:
        """Valid records with a ``phone1`` not seen before in the input."""
        return self.valid - len(self.duplicates)

    @property
    def ok(self) -> bool:
        """Whether an upload would accept every record (repeats are skipped, not refused)."""
        return not self.rejected_records


class _Checker:
    """The running totals of one check."""

    def __init__(self, on_valid: OnValid | None) -> None:
        self.read = 0
        self.valid = 0
        self.rejected: list[RecordIssue] = []
        self.duplicates: list[DuplicatePhone] = []
        self._first: dict[int, int] = {}  # phone1 as an int -> its first occurrence, packed
        self._on_valid = on_valid

    def feed(self, batch: list[Any]) -> None:
        start = self.read
        self.read += len(batch)
        sent, rejects = normalize_batch(batch)
        lines = record_lines(batch)
        for offset, exc in rejects:
            self.rejected.append(
                RecordIssue(
                    start + offset,
                    lines[offset],
                    batch[offset],
                    exc.field,
                    exc.reason,
                    outcome="rejected",
                )
            )
        first = self._first
        for offset, record in enumerate(sent):
            if record is None:
                continue
            self.valid += 1
            index = start + offset
            line = lines[offset]
            phone = record["phone1"]
            packed = first.setdefault(int(phone), _pack(index, line))
            if packed & _INDEX_MASK != index:
                first_index, first_line = _unpack(packed)
                self.duplicates.append(DuplicatePhone(index, line, phone, first_index, first_line))
            if self._on_valid is not None:
                self._on_valid(record, index, line)

    def report(self) -> LeadsCheckReport:
        return LeadsCheckReport(self.read, self.valid, self.rejected, self.duplicates)


def check_leads(records: Iterable[Any], *, on_valid: OnValid | None = None) -> LeadsCheckReport:
    """Check ``records`` as ``upload_leads`` would, sending nothing, and report what it found.

    ``records`` is what ``upload_leads`` takes (dicts, Contacts, :func:`read_contacts_csv`
    rows), from a synchronous iterable; :func:`check_leads_async` also takes an async one.
    ``on_valid`` sees each valid record as it would be sent (to write a cleaned file). An
    exception from the input or from ``on_valid`` propagates.
    """
    check_source(records)
    if isinstance(records, AsyncIterable) and not isinstance(records, Iterable):
        raise ValidationError("records is an async iterable: use check_leads_async")
    checker = _Checker(on_valid)
    source = iter(records)
    while batch := list(itertools.islice(source, _BATCH)):
        checker.feed(batch)
    return checker.report()


async def check_leads_async(
    records: RecordSource, *, on_valid: OnValid | None = None
) -> LeadsCheckReport:
    """:func:`check_leads` for a synchronous or an asynchronous iterable of records."""
    check_source(records)
    if not isinstance(records, AsyncIterable):
        return check_leads(records, on_valid=on_valid)
    checker = _Checker(on_valid)
    batch: list[Any] = []
    async for record in records:
        batch.append(record)
        if len(batch) >= _BATCH:
            checker.feed(batch)
            batch = []
    if batch:
        checker.feed(batch)
    return checker.report()
