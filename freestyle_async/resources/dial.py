"""``fs.dial_campaigns``: list, start/pause, upload, results, summary and activity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import _json
from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode, decode_data
from .._params import (
    DateArg,
    check_choice,
    check_date_range,
    check_int,
    check_page,
    check_per_page,
    path_template,
    query_string,
)
from ..errors import ValidationError
from ..models import (
    ActivityEvent,
    ActivityType,
    CallResult,
    CampaignStatus,
    Contact,
    DialCampaign,
    Page,
    ResultsSummary,
    UploadSummary,
    contact_to_dict,
)
from ..pagination import AsyncPaginator
from ._base import Resource

__all__ = ["MAX_UPLOAD_RECORDS", "DialCampaigns"]

MAX_UPLOAD_RECORDS = 1000
_SETTABLE = (CampaignStatus.ACTIVE.value, CampaignStatus.PAUSED.value)


class DialCampaigns(Resource):
    """Dial campaigns: ``fs.dial_campaigns``."""

    def list(
        self,
        *,
        status: CampaignStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[DialCampaign]:
        """Dial campaigns of the account, newest first (``per_page`` at most 100)."""
        status_value = check_choice("status", status, CampaignStatus)

        async def fetch(number: int, size: int | None) -> Page[DialCampaign]:
            query = query_string([("status", status_value), ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", "/dial-campaigns", query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[DialCampaign], "GET /dial-campaigns")

        return AsyncPaginator(
            fetch,
            key=lambda c: c.id,
            page=check_page(page),
            per_page=check_per_page(per_page, 100),
            max_per_page=100,
        )

    async def update_status(
        self,
        campaign_id: str,
        status: CampaignStatus | str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Set a campaign's status to ``active`` or ``paused`` (the others are computed)."""
        if status not in _SETTABLE:
            raise ValidationError(
                f"status must be 'active' or 'paused', got {status!r}: "
                "'completed' and 'draft' are computed from lead progress"
            )
        path = path_template("/dial-campaigns/{campaign_id}", campaign_id=campaign_id)
        body = await self._client._request(
            "PATCH",
            path,
            body=_json.dumps({"status": str(status)}),
            timeout=timeout,
            max_retries=max_retries,
        )
        return decode_data(body, DialCampaign, "PATCH /dial-campaigns/{id}")

    async def start(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Start (activate) a campaign: ``update_status(campaign_id, "active")``."""
        return await self.update_status(
            campaign_id, CampaignStatus.ACTIVE, timeout=timeout, max_retries=max_retries
        )

    async def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Pause a campaign: ``update_status(campaign_id, "paused")``."""
        return await self.update_status(
            campaign_id, CampaignStatus.PAUSED, timeout=timeout, max_retries=max_retries
        )

    async def upload_data(
        self,
        campaign_id: str,
        records: Iterable[Mapping[str, Any] | Contact],
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> UploadSummary:
        """Append up to 1,000 records to a campaign in one request, sent as given.

        The server skips invalid and duplicate records and counts them in ``skipped``. This
        request is not repeated once its body may have reached the server; for many records,
        normalisation and an exact account of each, use ``upload_leads``.
        """
        path = path_template("/dial-campaigns/{campaign_id}/data", campaign_id=campaign_id)
        batch = [_record_dict(r, i) for i, r in enumerate(records)]
        if not batch:
            raise ValidationError("records is empty: upload_data needs 1 to 1,000 records")
        if len(batch) > MAX_UPLOAD_RECORDS:
            raise ValidationError(
                f"{len(batch)} records in one upload_data call: the API takes at most "
                f"{MAX_UPLOAD_RECORDS}; use upload_leads to send more in chunks"
            )
        return await self.upload_encoded(
            campaign_id,
            _json.dumps({"records": batch}),
            path=path,
            timeout=timeout,
            max_retries=max_retries,
        )

    async def upload_encoded(
        self,
        campaign_id: str,
        body: bytes,
        *,
        path: str | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> UploadSummary:
        """Send an already encoded ``{"records": [...]}`` body (used by bulk uploads)."""
        if path is None:
            path = path_template("/dial-campaigns/{campaign_id}/data", campaign_id=campaign_id)
        response = await self._client._request(
            "POST", path, body=body, idempotent=False, timeout=timeout, max_retries=max_retries
        )
        return decode(_summary_part(response), UploadSummary, "POST /dial-campaigns/{id}/data")

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
    ) -> AsyncPaginator[CallResult]:
        """Call results of a campaign, newest completion first (``per_page`` at most 200)."""
        path = path_template("/dial-campaigns/{campaign_id}/results", campaign_id=campaign_id)
        start, end = check_date_range(from_, to)
        filters = [
            ("from", start),
            ("to", end),
            ("disposition", check_int("disposition", disposition)),
        ]

        async def fetch(number: int, size: int | None) -> Page[CallResult]:
            query = query_string([*filters, ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", path, query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[CallResult], "GET /dial-campaigns/{id}/results")

        return AsyncPaginator(
            fetch,
            key=lambda r: r.result_id,
            page=check_page(page),
            per_page=check_per_page(per_page, 200),
            max_per_page=200,
        )

    async def results_summary(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ResultsSummary:
        """Aggregate call statistics of a campaign, by disposition."""
        path = path_template(
            "/dial-campaigns/{campaign_id}/results/summary", campaign_id=campaign_id
        )
        start, end = check_date_range(from_, to)
        body = await self._client._request(
            "GET",
            path,
            query=query_string([("from", start), ("to", end)]),
            timeout=timeout,
            max_retries=max_retries,
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
    ) -> AsyncPaginator[ActivityEvent]:
        """Activity events of a campaign, newest first (``per_page`` at most 200)."""
        path = path_template("/dial-campaigns/{campaign_id}/activity", campaign_id=campaign_id)
        start, end = check_date_range(from_, to)
        type_id = check_int("type", type, minimum=1)
        filters = [
            ("from", start),
            ("to", end),
            ("type", None if type_id is None else int(type_id)),
        ]

        async def fetch(number: int, size: int | None) -> Page[ActivityEvent]:
            query = query_string([*filters, ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", path, query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[ActivityEvent], "GET /dial-campaigns/{id}/activity")

        return AsyncPaginator(
            fetch,
            key=lambda a: a.activity_id,
            page=check_page(page),
            per_page=check_per_page(per_page, 200),
            max_per_page=200,
        )


def _record_dict(record: Mapping[str, Any] | Contact, index: int) -> Mapping[str, Any]:
    if isinstance(record, Contact):
        return contact_to_dict(record)
    if isinstance(record, Mapping):
        return record
    raise ValidationError(
        f"records[{index}] must be a dict or a Contact, got {type(record).__name__}"
    )


def _summary_part(response: Any) -> Any:
    # The reference leaves the summary's envelope open: accept it bare or under "data".
    if isinstance(response, Mapping) and isinstance(response.get("data"), Mapping):
        return response["data"]
    return response
