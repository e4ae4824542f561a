"""``fs.sms_campaigns``: campaigns, runs and messages."""

from __future__ import annotations

from .._api_limits import (
    MAX_PER_PAGE_SMS_CAMPAIGNS,
    MAX_PER_PAGE_SMS_MESSAGES,
    MAX_PER_PAGE_SMS_RUNS,
)
from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode_data
from .._extras import ExtraHeaders, ExtraQuery
from .._params import (
    DateArg,
    check_choice,
    check_date_range,
    check_int,
    path_template,
)
from ..models import (
    MessageDirection,
    MessageStatus,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
)
from ..pagination import AsyncPaginator
from ._base import Resource

__all__ = ["AsyncSmsCampaigns"]


class AsyncSmsCampaigns(Resource):
    """SMS campaigns: ``fs.sms_campaigns``."""

    def list(
        self,
        *,
        status: RunStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[SmsCampaign]:
        """SMS campaigns by name; ``status`` keeps those with a run in that status."""
        return self._paginate(
            "/sms-campaigns",
            "GET /sms-campaigns",
            SmsCampaign,
            [("status", check_choice("status", status, RunStatus))],
            key=lambda c: c.id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_SMS_CAMPAIGNS,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )

    async def get(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> SmsCampaign:
        """One SMS campaign, with its message ``template``."""
        path = path_template("/sms-campaigns/{campaign_id}", campaign_id=campaign_id)
        body = await self._call(
            "GET",
            path,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return decode_data(body, SmsCampaign, "GET /sms-campaigns/{id}")

    def list_runs(
        self,
        campaign_id: str,
        *,
        status: RunStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[SmsRun]:
        """Runs of an SMS campaign, latest scheduled first (``per_page`` at most 100)."""
        path = path_template("/sms-campaigns/{campaign_id}/runs", campaign_id=campaign_id)
        return self._paginate(
            path,
            "GET /sms-campaigns/{id}/runs",
            SmsRun,
            [("status", check_choice("status", status, RunStatus))],
            key=lambda r: r.run_id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_SMS_RUNS,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )

    def list_messages(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        run_id: int | None = None,
        status: MessageStatus | str | None = None,
        direction: MessageDirection | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> AsyncPaginator[SmsMessage]:
        """Messages of an SMS campaign, newest first; each page carries the ``summary``.

        ``status`` is a Twilio delivery status and is passed through as given, since Twilio
        has more statuses than the reference lists.
        """
        path = path_template("/sms-campaigns/{campaign_id}/messages", campaign_id=campaign_id)
        start, end = check_date_range(from_, to)
        filters = [
            ("from", start),
            ("to", end),
            ("run_id", check_int("run_id", run_id)),
            ("status", None if status is None else str(status)),
            ("direction", check_choice("direction", direction, MessageDirection)),
        ]
        return self._paginate(
            path,
            "GET /sms-campaigns/{id}/messages",
            SmsMessage,
            filters,
            key=lambda m: m.message_id,
            page=page,
            per_page=per_page,
            max_per_page=MAX_PER_PAGE_SMS_MESSAGES,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
