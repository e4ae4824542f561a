"""``Freestyle``: the synchronous client, a thin thread bridge over ``AsyncFreestyle``."""

from __future__ import annotations

import functools
import ssl
from types import TracebackType

import aiohttp

from .._client import AsyncFreestyle
from .._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Timeout,
    check_api_key,
    check_base_url,
)
from .._hooks import EventHook
from .._limits import DEFAULT_RETRY_BUDGET, RetryBudget
from .._reprs import safe_repr
from .._retry import DEFAULT_RETRY_POLICY, RetryPolicy
from .._secrets import KeyHolder, Secret
from .._transport import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_RESPONSE_BYTES
from ..errors import ValidationError
from ._portal import Portal
from ._resources import SyncAccount, SyncBilling, SyncDialCampaigns, SyncSmsCampaigns

__all__ = ["Freestyle"]


class Freestyle(KeyHolder):
    """The synchronous FREESTYLE API client: the same options, resources, method names,
    parameters and return types as :class:`~freestyle_async.AsyncFreestyle`, as plain calls.

    Use it as ``with Freestyle() as fs:`` (or call ``close()``) and reach the API through
    ``fs.dial_campaigns``, ``fs.sms_campaigns``, ``fs.billing`` and ``fs.account``. A list
    method returns a :class:`SyncPaginator` (``for item in ...``, ``.pages()``,
    ``.first_page()``).

    How it works: one event loop runs on one daemon thread per instance, started on first use
    (or on ``with``), and the ``AsyncFreestyle`` is created on that thread. Each method hands
    its async twin to the loop and blocks the calling thread until it returns. So:

    - one instance may be shared by many threads; their requests overlap on the loop and
      share one connection pool;
    - it also works where an event loop is already running in the calling thread (a notebook
      cell, a coroutine): the call blocks that loop while it waits, as any blocking call does;
    - Ctrl-C (or an exception a signal handler raises) while a call waits cancels the request
      on the loop and is re-raised; the client stays usable;
    - a missing or unsafe API key and a refused ``base_url`` are raised by the constructor,
      other option errors on first use, or by ``with``;
    - ``session`` is refused: an aiohttp session belongs to the loop it was made on, and this
      client makes its own on its own loop (use ``AsyncFreestyle`` to bring a session);
    - the event hooks (``on_request``, ``on_response``, ``on_retry``) run on the loop thread,
      not on the calling thread.

    A ``Freestyle`` dropped without ``close()`` stops its thread once nothing refers to it
    (nor to its resources or paginators), or at interpreter exit. Use it after ``os.fork()``,
    not before, if you use both.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        session: aiohttp.ClientSession | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        ssl_context: ssl.SSLContext | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_budget: RetryBudget | None = DEFAULT_RETRY_BUDGET,
        max_requests_per_second: float | None = None,
        max_concurrency: int | None = None,
        on_request: EventHook | None = None,
        on_response: EventHook | None = None,
        on_retry: EventHook | None = None,
    ) -> None:
        # Checked here, as AsyncFreestyle does: the factory then holds the key as a Secret
        # (masked repr) and a URL without credentials, so no traceback's locals show either.
        try:
            secret = Secret(check_api_key(api_key))
            url = check_base_url(base_url)
        finally:
            del api_key, base_url
        if session is not None:
            raise ValidationError(
                "Freestyle runs its own event loop and makes its own aiohttp session there; a "
                "ClientSession is bound to the loop it was created on and cannot be shared. "
                "Leave session unset, or use AsyncFreestyle to bring your own session."
            )

        def factory() -> AsyncFreestyle:  # a closure, so no repr can show the key
            return AsyncFreestyle(
                secret.value,
                base_url=url,
                timeout=timeout,
                max_retries=max_retries,
                retry_policy=retry_policy,
                max_connections=max_connections,
                ssl_context=ssl_context,
                max_response_bytes=max_response_bytes,
                retry_budget=retry_budget,
                max_requests_per_second=max_requests_per_second,
                max_concurrency=max_concurrency,
                on_request=on_request,
                on_response=on_response,
                on_retry=on_retry,
            )

        self._portal = Portal(factory)
        self._derived: AsyncFreestyle | None = None

    @property
    def _client(self) -> AsyncFreestyle:
        derived = self._derived
        return derived if derived is not None else self._portal.client

    # -- resources (created on first use, which starts the loop thread) ---------------------

    @functools.cached_property
    def dial_campaigns(self) -> SyncDialCampaigns:
        """Dial campaigns: list, start/pause, upload, results, summary and activity."""
        return SyncDialCampaigns(self._portal, self._client.dial_campaigns)

    @functools.cached_property
    def sms_campaigns(self) -> SyncSmsCampaigns:
        """SMS campaigns, their runs and messages."""
        return SyncSmsCampaigns(self._portal, self._client.sms_campaigns)

    @functools.cached_property
    def billing(self) -> SyncBilling:
        """Usage and cost per campaign."""
        return SyncBilling(self._portal, self._client.billing)

    @functools.cached_property
    def account(self) -> SyncAccount:
        """The account profile and its phone numbers."""
        return SyncAccount(self._portal, self._client.account)

    # -- settings -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._client.base_url

    @property
    def timeout(self) -> Timeout:
        """The default timeout of each call."""
        return self._client.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries of each call."""
        return self._client.max_retries

    def with_options(
        self,
        *,
        api_key: str | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
        on_request: EventHook | NotGiven | None = NOT_GIVEN,
        on_response: EventHook | NotGiven | None = NOT_GIVEN,
        on_retry: EventHook | NotGiven | None = NOT_GIVEN,
    ) -> Freestyle:
        """A client with other settings that shares this one's loop thread and connections.

        Closing the derived client does nothing; closing this client closes both.
        """
        derived = self._portal.run(
            self._client.with_options,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            max_response_bytes=max_response_bytes,
            on_request=on_request,
            on_response=on_response,
            on_retry=on_retry,
        )
        clone = object.__new__(Freestyle)
        clone._portal = self._portal
        clone._derived = derived
        return clone

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has been called on the client that owns the loop thread."""
        return self._portal.closed

    def close(self) -> None:
        """Cancel calls still in flight, close the connections, stop and join the loop thread
        (a no-op on a ``with_options`` copy). Idempotent; later calls raise ``FreestyleError``."""
        if self._derived is None:
            self._portal.close()

    def __enter__(self) -> Freestyle:
        self._client  # noqa: B018 - start now, so option errors surface at ``with``
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @safe_repr
    def __repr__(self) -> str:
        if self._portal.closed:
            return "<Freestyle (closed)>"
        if self._derived is None and not self._portal.started:
            return "<Freestyle (not started)>"
        return "Freestyle" + repr(self._client).removeprefix("AsyncFreestyle")


Freestyle.__module__ = "freestyle_async"
