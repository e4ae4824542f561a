"""``fs.sms_campaigns``: campaigns, runs and messages."""

from __future__ import annotations

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
from ..models import (
    MessageDirection,
    MessageStatus,
    Page,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
)
from ..pagination import AsyncPaginator
from ._base import Resource

__all__ = ["SmsCampaigns"]


class SmsCampaigns(Resource):
    """SMS campaigns: ``fs.sms_campaigns``."""

    def list(
        self,
        *,
        status: RunStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[SmsCampaign]:
        """SMS campaigns by name; ``status`` keeps those with a run in that status."""
        status_value = check_choice("status", status, RunStatus)

        async def fetch(number: int, size: int | None) -> Page[SmsCampaign]:
            query = query_string([("status", status_value), ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", "/sms-campaigns", query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[SmsCampaign], "GET /sms-campaigns")

        return AsyncPaginator(
            fetch,
            key=lambda c: c.id,
            page=check_page(page),
            per_page=check_per_page(per_page, 100),
            max_per_page=100,
        )

    async def get(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SmsCampaign:
        """One SMS campaign, with its message ``template``."""
        path = path_template("/sms-campaigns/{campaign_id}", campaign_id=campaign_id)
        body = await self._client._request("GET", path, timeout=timeout, max_retries=max_retries)
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
    ) -> AsyncPaginator[SmsRun]:
        """Runs of an SMS campaign, latest scheduled first (``per_page`` at most 100)."""
        path = path_template("/sms-campaigns/{campaign_id}/runs", campaign_id=campaign_id)
        status_value = check_choice("status", status, RunStatus)

        async def fetch(number: int, size: int | None) -> Page[SmsRun]:
            query = query_string([("status", status_value), ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", path, query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[SmsRun], "GET /sms-campaigns/{id}/runs")

        return AsyncPaginator(
            fetch,
            key=lambda r: r.run_id,
            page=check_page(page),
            per_page=check_per_page(per_page, 100),
            max_per_page=100,
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

        async def fetch(number: int, size: int | None) -> Page[SmsMessage]:
            query = query_string([*filters, ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", path, query=query, timeout=timeout, max_retries=max_retries
            )
            return decode(body, Page[SmsMessage], "GET /sms-campaigns/{id}/messages")

        return AsyncPaginator(
            fetch,
            key=lambda m: m.message_id,
            page=check_page(page),
            per_page=check_per_page(per_page, 200),
            max_per_page=200,
        )
