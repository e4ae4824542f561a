"""BulkUploadReport: the balance, the issue lists and raise_for_failures."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from freestyle_async import FreestyleError, ServerError
from freestyle_async.bulk import (
    BulkProgress,
    BulkUploadError,
    BulkUploadReport,
    ChunkResult,
    CsvRow,
    IssueOutcome,
    RecordIssue,
)


def make_report(**counts: Any) -> BulkUploadReport:
    fields: dict[str, Any] = {
        "campaign_id": "c_1",
        "read": 0,
        "inserted": 0,
        "skipped_by_server": 0,
        "rejected": 0,
        "failed": 0,
        "unknown": 0,
        "already_done": 0,
        "chunks": [],
        "rejected_records": [],
        "failed_records": [],
        "unknown_records": [],
        "refused_by_server": [],
        "elapsed": 1.0,
    }
    fields.update(counts)
    return BulkUploadReport(**fields)


def test_the_balance() -> None:
    report = make_report(
        read=21, inserted=10, skipped_by_server=5, rejected=1, failed=2, unknown=1, already_done=2
    )
    assert report.balanced
    assert not make_report(read=21, inserted=10).balanced


def test_a_clean_report_does_not_raise() -> None:
    report = make_report(read=3, inserted=2, skipped_by_server=1)
    assert report.ok
    report.raise_for_failures()
    report.raise_for_failures(include_rejected=True)


def test_rejected_records_raise_only_when_asked() -> None:
    issue = RecordIssue(4, 6, {"phone1": "1"}, "phone1", "bad", outcome="rejected")
    report = make_report(read=1, rejected=1, rejected_records=[issue])
    assert report.ok
    report.raise_for_failures()
    with pytest.raises(BulkUploadError, match="1 rejected before sending, of 1 read"):
        report.raise_for_failures(include_rejected=True)


@pytest.mark.parametrize("kind", ["failed", "unknown"])
def test_failed_or_unknown_records_raise(kind: IssueOutcome) -> None:
    error = ServerError("boom", status=502)
    issue = RecordIssue(0, None, {"phone1": "4165550100"}, None, "HTTP 502", error, outcome=kind)
    report = make_report(read=1, **{kind: 1, f"{kind}_records": [issue]})
    assert not report.ok
    with pytest.raises(BulkUploadError) as caught:
        report.raise_for_failures()
    assert isinstance(caught.value, FreestyleError)
    assert caught.value.report is report


def issue(index: int, outcome: IssueOutcome) -> RecordIssue:
    return RecordIssue(index, None, {}, None, "x", outcome=outcome)


def test_issues_merge_in_input_order() -> None:
    report = make_report(
        read=5,
        rejected=2,
        failed=2,
        unknown=1,
        rejected_records=[issue(0, "rejected"), issue(3, "rejected")],
        failed_records=[issue(1, "failed"), issue(4, "failed")],
        unknown_records=[issue(2, "unknown")],
    )
    assert [i.index for i in report.issues()] == [0, 1, 2, 3, 4]


def test_issues_can_include_the_records_the_server_refused() -> None:
    report = make_report(
        read=4,
        inserted=1,
        skipped_by_server=2,
        rejected=1,
        rejected_records=[issue(2, "rejected")],
        refused_by_server=[issue(0, "refused"), issue(3, "refused")],
    )
    assert [i.index for i in report.issues()] == [2]
    both = list(report.issues(include_refused=True))
    assert [(i.index, i.outcome) for i in both] == [(0, "refused"), (2, "rejected"), (3, "refused")]


def test_repr_is_one_line_of_counts() -> None:
    text = repr(make_report(read=3, inserted=3))
    assert text.startswith("BulkUploadReport(campaign_id='c_1', read=3, inserted=3,")
    assert "\n" not in text


def test_progress_figures() -> None:
    progress = BulkProgress(
        records_read=10,
        records_sent=8,
        records_accepted=6,
        records_inserted=5,
        records_rejected=1,
        records_failed=1,
        records_unknown=0,
        records_already_done=2,
        chunks_done=3,
        elapsed=2.0,
    )
    assert progress.records_done == 10
    assert progress.rate == 3.0
    assert BulkProgress(0, 0, 0, 0, 0, 0, 0, 0, 0, elapsed=0.0).rate == 0.0


def test_an_upload_that_stopped_says_why_and_round_trips_through_pickle() -> None:
    row = CsvRow({"phone1": "4165550100"}, 7)
    issue = RecordIssue(
        5, 7, row, None, "not sent: the input failed after 6 record(s)", outcome="failed"
    )
    chunk = ChunkResult(0, 1, 5, "not_sent")
    report = make_report(read=6, inserted=5, failed=1, failed_records=[issue], chunks=[chunk])
    error = BulkUploadError(report, "the input failed after 6 record(s) were read: OSError: gone")
    assert str(error) == (
        "bulk upload to c_1 stopped: the input failed after 6 record(s) were read: OSError: "
        "gone; 1 record(s) failed, 0 with an unknown outcome, 0 rejected before sending, of 6 read"
    )
    error.add_note("a note")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is BulkUploadError
    assert (str(copy), copy.reason, copy.__notes__) == (str(error), error.reason, ["a note"])
    assert copy.report == report
    (record,) = [i.record for i in copy.report.failed_records]
    assert type(record) is CsvRow and record.line == 7 and record == row
