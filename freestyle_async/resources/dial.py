"""``fs.dial_campaigns``: list, start/pause, upload, results, summary and activity."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping
from typing import Any

from .._api_limits import (
    MAX_PER_PAGE_ACTIVITY,
    MAX_PER_PAGE_CALL_RESULTS,
    MAX_PER_PAGE_DIAL_CAMPAIGNS,
    MAX_UPLOAD_RECORDS,
)
from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode, decode_data
from .._extras import ExtraBody, ExtraHeaders, ExtraQuery
from .._params import (
    DateArg,
    check_choice,
    check_date_range,
    check_int,
    path_template,
    shown,
)
from .._raw import raw_async
from ..bulk import (
    DEFAULT_MAX_ATTEMPTS,
    BulkUploadReport,
    OnUnknown,
    ProgressCallback,
    RecordSource,
    Sent,
    run_upload,
)
from ..errors import ValidationError
from ..models import (
    ActivityEvent,
    ActivityType,
    CallResult,
    CampaignStatus,
    Contact,
    DialCampaign,
    ResultsSummary,
    UploadSummary,
    record_fields,
)
from ..pagination import AsyncPaginator
from ._base import Resource

__all__ = ["AsyncDialCampaigns"]

_SETTABLE = (CampaignStatus.ACTIVE.value, CampaignStatus.PAUSED.value)


class AsyncDialCampaigns(Resource):
    """Dial campaigns: ``fs.dial_campaigns``."""

    def list(
        self,
        *,
        status: CampaignStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[DialCampaign]:
        """Dial campaigns of the account, newest first (``per_page`` at most 100)."""
        return self._paginate(
            "/dial-campaigns",
            "GET /dial-campaigns",
            DialCampaign,
            [("status", check_choice("status", status, CampaignStatus))],
            key=lambda c: c.id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_DIAL_CAMPAIGNS,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )

    async def update_status(
        self,
        campaign_id: str,
        status: CampaignStatus | str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> DialCampaign:
        """Set a campaign's status to ``active`` or ``paused`` (the others are computed)."""
        if status not in _SETTABLE:
            raise ValidationError(
                f"status must be 'active' or 'paused', got {shown(status)}: "
                "'completed' and 'draft' are computed from lead progress"
            )
        path = path_template("/dial-campaigns/{campaign_id}", campaign_id=campaign_id)
        body = await self._call(
            "PATCH",
            path,
            body={"status": str(status)},
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        return decode_data(body, DialCampaign, "PATCH /dial-campaigns/{id}")

    async def start(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> DialCampaign:
        """Start (activate) a campaign: ``update_status(campaign_id, "active")``."""
        return await self.update_status(
            campaign_id,
            CampaignStatus.ACTIVE,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> DialCampaign:
        """Pause a campaign: ``update_status(campaign_id, "paused")``."""
        return await self.update_status(
            campaign_id,
            CampaignStatus.PAUSED,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def upload_data(
        self,
        campaign_id: str,
        records: Iterable[Mapping[str, Any] | Contact],
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> UploadSummary:
        """Append up to 1,000 records to a campaign in one request, sent as given.

        The server skips invalid and duplicate records and counts them in ``skipped``. This
        request is repeated only when the server proves it did not act on it (the connection
        failed before sending, a 429, or a 503 carrying ``Retry-After``); after any other 5xx,
        a lost connection or an unreadable answer the records may have been stored, and the
        error is raised. For many records, normalisation and an exact account of each, use
        ``upload_leads``.
        """
        path = path_template("/dial-campaigns/{campaign_id}/data", campaign_id=campaign_id)
        # One past the limit is enough to refuse: a generator of millions is not read whole.
        batch = [
            _record_dict(r, i)
            for i, r in enumerate(itertools.islice(records, MAX_UPLOAD_RECORDS + 1))
        ]
        if not batch:
            raise ValidationError(
                f"records is empty: upload_data needs 1 to {MAX_UPLOAD_RECORDS:,} records"
            )
        if len(batch) > MAX_UPLOAD_RECORDS:
            raise ValidationError(
                f"more than {MAX_UPLOAD_RECORDS} records in one upload_data call: the API "
                f"takes at most {MAX_UPLOAD_RECORDS}; use upload_leads to send more in chunks"
            )
        return await self._upload_encoded(
            path,
            {"records": batch},
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def _upload_encoded(
        self,
        path: str,
        body: bytes | Mapping[str, Any],
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> UploadSummary:
        """POST a ``{"records": [...]}`` body (encoded already by bulk, or not) to ``path``, a
        campaign's data path."""
        response = await self._call(
            "POST",
            path,
            body=body,
            idempotent=False,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        return decode(
            _summary_part(response),
            UploadSummary,
            "POST /dial-campaigns/{id}/data",
            envelope=response,
        )

    async def upload_leads(
        self,
        campaign_id: str,
        records: RecordSource,
        *,
        chunk_size: int = MAX_UPLOAD_RECORDS,
        concurrency: int = 4,
        on_unknown: OnUnknown = "retry",
        checkpoint: str | os.PathLike[str] | None = None,
        on_progress: ProgressCallback | None = None,
        fail_fast: bool = False,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> BulkUploadReport:
        """Upload any number of records in parallel chunks and account for every one.

        ``records`` is an iterable or async iterable of dicts or :class:`Contact` objects (or
        :func:`~freestyle_async.bulk.read_contacts_csv`), read lazily. Each record is checked
        and normalised first; bad ones are reported, never sent. Chunks of up to
        ``chunk_size`` go out ``concurrency`` at a time, each retried up to ``max_attempts``
        times when that is safe; a 429 (or a 503 with ``Retry-After``) pauses every worker.
        ``on_unknown`` says what to do with a chunk that may or may not have been stored (any
        other 5xx, a lost connection, an unreadable answer): ``"retry"`` (the server skips
        duplicates; the chunk is marked ``retried_after_unknown``) or ``"report"``.
        ``checkpoint`` names a file that makes the upload resumable; ``on_progress`` receives
        a :class:`~freestyle_async.bulk.BulkProgress` at least once per chunk; ``fail_fast``
        stops at the first chunk that is not accepted.
        ``timeout`` bounds each request; ``extra_headers`` and ``extra_query`` go with every
        chunk (there is no ``extra_body``: use ``upload_data`` to send fields beside
        ``records``). See :class:`~freestyle_async.bulk.BulkUploadReport`.

        If the input or ``on_progress`` raises (or the checkpoint cannot be written), the
        upload stops, settles the chunks already sent and raises
        :class:`~freestyle_async.bulk.BulkUploadError`: its ``report`` is the balanced partial
        report and its ``__cause__`` the original error; re-run with the same ``checkpoint``
        to send only what is missing.
        ``KeyboardInterrupt`` and cancellation propagate as they are.
        """
        path = path_template("/dial-campaigns/{campaign_id}/data", campaign_id=campaign_id)
        self._check_for_later(extra_headers, extra_query, timeout=timeout)

        # Raw: the answer's request id goes into the chunk's result.
        upload = raw_async(self._upload_encoded)

        async def send(body: bytes) -> Sent:  # one attempt: bulk decides on retries
            raw = await upload(
                path,
                body,
                timeout=timeout,
                max_retries=0,
                extra_headers=extra_headers,
                extra_query=extra_query,
            )
            return Sent(raw.parsed, raw.request_id)

        return await run_upload(
            send,
            campaign_id=campaign_id,
            path=path,
            records=records,
            policy=self._client._config.retry_policy,
            chunk_size=chunk_size,
            concurrency=concurrency,
            on_unknown=on_unknown,
            checkpoint=checkpoint,
            on_progress=on_progress,
            fail_fast=fail_fast,
            max_attempts=max_attempts,
        )

    def list_results(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        disposition: int | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[CallResult]:
        """Call results of a campaign, newest completion first (``per_page`` at most 200)."""
        path = path_template("/dial-campaigns/{campaign_id}/results", campaign_id=campaign_id)
        start, end = check_date_range(from_, to)
        return self._paginate(
            path,
            "GET /dial-campaigns/{id}/results",
            CallResult,
            [("from", start), ("to", end), ("disposition", check_int("disposition", disposition))],
            key=lambda r: r.result_id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_CALL_RESULTS,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )

    async def results_summary(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> ResultsSummary:
        """Aggregate call statistics of a campaign, by disposition."""
        path = path_template(
            "/dial-campaigns/{campaign_id}/results/summary", campaign_id=campaign_id
        )
        start, end = check_date_range(from_, to)
        body = await self._call(
            "GET",
            path,
            query=[("from", start), ("to", end)],
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return decode_data(body, ResultsSummary, "GET /dial-campaigns/{id}/results/summary")

    def list_activity(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        type: ActivityType | int | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[ActivityEvent]:
        """Activity events of a campaign, newest first (``per_page`` at most 200)."""
        path = path_template("/dial-campaigns/{campaign_id}/activity", campaign_id=campaign_id)
        start, end = check_date_range(from_, to)
        type_id = check_int("type", type, minimum=1)
        return self._paginate(
            path,
            "GET /dial-campaigns/{id}/activity",
            ActivityEvent,
            [("from", start), ("to", end), ("type", None if type_id is None else int(type_id))],
            key=lambda a: a.activity_id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_ACTIVITY,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )


def _record_dict(record: Mapping[str, Any] | Contact, index: int) -> Mapping[str, Any]:
    fields = record_fields(record)
    if fields is None:
        raise ValidationError(
            f"records[{index}] must be a dict or a Contact, got {type(record).__name__}"
        )
    return fields


def _summary_part(response: Any) -> Any:
    # The reference leaves the summary's envelope open: accept it bare or under "data".
    if isinstance(response, Mapping) and isinstance(response.get("data"), Mapping):
        return response["data"]
    return response
