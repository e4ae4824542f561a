"""The sync resources: each method is one line handing the async method to the loop thread.

Signatures mirror :mod:`freestyle_async.resources` exactly (a test checks it), so type checkers
and editors see real parameters and return types.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from .._config import NOT_GIVEN, NotGiven, Timeout
from .._params import DateArg
from ..bulk import DEFAULT_MAX_ATTEMPTS, BulkUploadReport, OnUnknown, ProgressCallback
from ..bulk._engine import is_record_iterable
from ..models import (
    Account,
    ActivityEvent,
    ActivityType,
    BillingUsage,
    CallResult,
    CampaignStatus,
    Contact,
    DialCampaign,
    MessageDirection,
    MessageStatus,
    PhoneNumber,
    ResultsSummary,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
    UploadSummary,
)
from ..resources import Account as AsyncAccount
from ..resources import Billing as AsyncBilling
from ..resources import DialCampaigns as AsyncDialCampaigns
from ..resources import SmsCampaigns as AsyncSmsCampaigns
from ..resources.dial import MAX_UPLOAD_RECORDS
from ._paginator import SyncPaginator
from ._portal import CallingThread, Portal

__all__ = ["SyncAccount", "SyncBilling", "SyncDialCampaigns", "SyncSmsCampaigns"]

_R = TypeVar("_R")


class _SyncResource(Generic[_R]):
    __slots__ = ("_async", "_portal")

    def __init__(self, portal: Portal, resource: _R) -> None:
        self._portal = portal
        self._async = resource


class SyncDialCampaigns(_SyncResource[AsyncDialCampaigns]):
    """Dial campaigns: ``fs.dial_campaigns`` (the twin of ``AsyncFreestyle.dial_campaigns``)."""

    __slots__ = ()

    def list(
        self,
        *,
        status: CampaignStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPaginator[DialCampaign]:
        """Dial campaigns of the account, newest first (``per_page`` at most 100)."""
        return SyncPaginator(
            self._portal,
            self._async.list(
                status=status,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def update_status(
        self,
        campaign_id: str,
        status: CampaignStatus | str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Set a campaign's status to ``active`` or ``paused`` (the others are computed)."""
        return self._portal.call(
            self._async.update_status,
            campaign_id,
            status,
            timeout=timeout,
            max_retries=max_retries,
        )

    def start(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Start (activate) a campaign: ``update_status(campaign_id, "active")``."""
        return self._portal.call(
            self._async.start, campaign_id, timeout=timeout, max_retries=max_retries
        )

    def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DialCampaign:
        """Pause a campaign: ``update_status(campaign_id, "paused")``."""
        return self._portal.call(
            self._async.pause, campaign_id, timeout=timeout, max_retries=max_retries
        )

    def upload_data(
        self,
        campaign_id: str,
        records: Iterable[Mapping[str, Any] | Contact],
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> UploadSummary:
        """Append up to 1,000 records to a campaign in one request, sent as given.

        ``records`` is read on the calling thread. For many records use ``upload_leads``.
        """
        return self._portal.call(
            self._async.upload_data,
            campaign_id,
            tuple(records),
            timeout=timeout,
            max_retries=max_retries,
        )

    def upload_encoded(
        self,
        campaign_id: str,
        body: bytes,
        *,
        path: str | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> UploadSummary:
        """Send an already encoded ``{"records": [...]}`` body."""
        return self._portal.call(
            self._async.upload_encoded,
            campaign_id,
            body,
            path=path,
            timeout=timeout,
            max_retries=max_retries,
        )

    def upload_leads(
        self,
        campaign_id: str,
        records: Iterable[Mapping[str, Any] | Contact],
        *,
        chunk_size: int = MAX_UPLOAD_RECORDS,
        concurrency: int = 4,
        on_unknown: OnUnknown = "retry",
        checkpoint: str | os.PathLike[str] | None = None,
        on_progress: ProgressCallback | None = None,
        fail_fast: bool = False,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
    ) -> BulkUploadReport:
        """Upload any number of records in parallel chunks and account for every one.

        The options are ``AsyncFreestyle.dial_campaigns.upload_leads``'s. ``records`` (a list,
        a generator, :func:`~freestyle_async.bulk.read_contacts_csv`) is read lazily, one
        chunk at a time, on the calling thread: a generator may use that thread's resources
        (a database connection), and memory stays flat. ``on_progress`` also runs on the
        calling thread, in order, all before this returns; an exception it raises stops the
        upload and is raised here. Ctrl-C stops the upload (chunks in flight are cancelled;
        use ``checkpoint`` to resume).
        """
        caller = CallingThread()
        return self._portal.serve(
            caller,
            self._async.upload_leads,
            campaign_id,
            _readable(records, caller, chunk_size),
            chunk_size=chunk_size,
            concurrency=concurrency,
            on_unknown=on_unknown,
            checkpoint=checkpoint,
            on_progress=None if on_progress is None else caller.forward(on_progress),
            fail_fast=fail_fast,
            max_attempts=max_attempts,
            timeout=timeout,
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
    ) -> SyncPaginator[CallResult]:
        """Call results of a campaign, newest completion first (``per_page`` at most 200)."""
        return SyncPaginator(
            self._portal,
            self._async.list_results(
                campaign_id,
                from_=from_,
                to=to,
                disposition=disposition,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def results_summary(
        self,
        campaign_id: str,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ResultsSummary:
        """Aggregate call statistics of a campaign, by disposition."""
        return self._portal.call(
            self._async.results_summary,
            campaign_id,
            from_=from_,
            to=to,
            timeout=timeout,
            max_retries=max_retries,
        )

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
    ) -> SyncPaginator[ActivityEvent]:
        """Activity events of a campaign, newest first (``per_page`` at most 200)."""
        return SyncPaginator(
            self._portal,
            self._async.list_activity(
                campaign_id,
                from_=from_,
                to=to,
                type=type,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


def _readable(records: Any, caller: CallingThread, chunk_size: int) -> Any:
    """``records`` to be read on the calling thread; anything else (an async iterable, or a
    wrong type, which the upload then refuses with its own message) is passed as is."""
    if is_record_iterable(records):
        return caller.iterate(records, chunk_size)
    return records


class SyncSmsCampaigns(_SyncResource[AsyncSmsCampaigns]):
    """SMS campaigns: ``fs.sms_campaigns`` (blocking twin of ``AsyncFreestyle.sms_campaigns``)."""

    __slots__ = ()

    def list(
        self,
        *,
        status: RunStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPaginator[SmsCampaign]:
        """SMS campaigns by name; ``status`` keeps those with a run in that status."""
        return SyncPaginator(
            self._portal,
            self._async.list(
                status=status,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def get(
        self,
        campaign_id: str,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SmsCampaign:
        """One SMS campaign, with its message ``template``."""
        return self._portal.call(
            self._async.get, campaign_id, timeout=timeout, max_retries=max_retries
        )

    def list_runs(
        self,
        campaign_id: str,
        *,
        status: RunStatus | str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPaginator[SmsRun]:
        """Runs of an SMS campaign, latest scheduled first (``per_page`` at most 100)."""
        return SyncPaginator(
            self._portal,
            self._async.list_runs(
                campaign_id,
                status=status,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
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
    ) -> SyncPaginator[SmsMessage]:
        """Messages of an SMS campaign, newest first; each page carries the ``summary``."""
        return SyncPaginator(
            self._portal,
            self._async.list_messages(
                campaign_id,
                from_=from_,
                to=to,
                run_id=run_id,
                status=status,
                direction=direction,
                page=page,
                per_page=per_page,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class SyncBilling(_SyncResource[AsyncBilling]):
    """Billing: ``fs.billing`` (blocking twin of ``AsyncFreestyle.billing``)."""

    __slots__ = ()

    def usage(
        self,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        campaign: str | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BillingUsage:
        """Call duration and cost per campaign (longest first) and the account totals."""
        return self._portal.call(
            self._async.usage,
            from_=from_,
            to=to,
            campaign=campaign,
            timeout=timeout,
            max_retries=max_retries,
        )


class SyncAccount(_SyncResource[AsyncAccount]):
    """The account: ``fs.account`` (blocking twin of ``AsyncFreestyle.account``)."""

    __slots__ = ()

    def get(
        self,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Account:
        """The account profile of the API key."""
        return self._portal.call(self._async.get, timeout=timeout, max_retries=max_retries)

    def phone_numbers(
        self,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> list[PhoneNumber]:
        """Every phone number assigned to the account (the endpoint is not paginated)."""
        return self._portal.call(
            self._async.phone_numbers, timeout=timeout, max_retries=max_retries
        )


for _cls in (SyncDialCampaigns, SyncSmsCampaigns, SyncBilling, SyncAccount):
    _cls.__module__ = "freestyle_async.sync"
