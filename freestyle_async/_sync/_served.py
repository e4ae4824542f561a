"""The hand-written part of the sync resources: their base class, and the methods the generator
(:mod:`._codegen`) leaves alone because they need the served call, their input or callbacks
being the calling thread's to use.

A class ``Served<Class>`` here holds the hand-written methods of ``Sync<Class>``; the generated
class inherits them. Everything else in the sync resources is generated.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from .. import resources
from .._api_limits import MAX_UPLOAD_RECORDS
from .._config import NOT_GIVEN, NotGiven, Timeout
from .._extras import ExtraHeaders, ExtraQuery
from .._secrets import KeyHolder
from ..bulk import (
    DEFAULT_MAX_ATTEMPTS,
    BulkUploadReport,
    OnUnknown,
    ProgressCallback,
    check_options,
    is_record_iterable,
    known_length,
    progress_callback_failed,
)
from ..models import Contact
from ._calling_thread import CallingThread
from ._portal import Portal

__all__ = ["ServedDialCampaigns", "SyncResource"]

_R = TypeVar("_R")


class SyncResource(KeyHolder, Generic[_R]):
    """A sync resource: the portal to the loop thread, and the async resource it drives."""

    __slots__ = ("_async", "_portal")

    def __init__(self, portal: Portal, resource: _R) -> None:
        self._portal = portal
        self._async = resource


class ServedDialCampaigns(SyncResource[resources.AsyncDialCampaigns]):
    """The hand-written methods of ``SyncDialCampaigns``."""

    __slots__ = ()

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
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> BulkUploadReport:
        """Upload any number of records in parallel chunks and account for every one.

        The options are ``AsyncFreestyle.dial_campaigns.upload_leads``'s. ``records`` (a list,
        a generator, :func:`~freestyle_async.bulk.read_contacts_csv`) is read lazily, one
        chunk at a time, on the calling thread: a generator may use that thread's resources
        (a database connection), and memory stays flat. ``on_progress`` also runs on the
        calling thread, in order, all before this returns; an exception it raises stops the
        upload as in the async client (``BulkUploadError`` with the partial report, raised
        from that exception). Ctrl-C stops the upload (chunks in flight are cancelled; use
        ``checkpoint`` to resume).
        """
        # Checked here too: the callback is wrapped below, and the async client then sees
        # the wrapper.
        check_options(
            chunk_size,
            concurrency,
            on_unknown,
            max_attempts,
            fail_fast=fail_fast,
            on_progress=on_progress,
        )
        caller = CallingThread()
        report = caller.serve(
            self._portal,
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
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        failure = caller.untold_failure()
        if failure is not None:  # on_progress raised on the last event, after the report
            raise progress_callback_failed(report, failure) from failure
        return report


def _readable(records: Any, caller: CallingThread, chunk_size: int) -> Any:
    """``records`` to be read on the calling thread; anything else (an async iterable, or a
    wrong type, which the upload then refuses with its own message) is passed as is."""
    if is_record_iterable(records):
        return caller.iterate(records, chunk_size, known_length(records))
    return records
