"""``Freestyle``: the synchronous client, a thin thread bridge over ``AsyncFreestyle``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar

from .._client import AsyncFreestyle
from .._client_options import ClientOptions
from .._config import Timeout
from .._diagnose import Diagnosis
from .._raw import RawResponse, raw_sync
from .._reprs import safe_repr
from .._secrets import KeyHolder
from ..errors import ValidationError
from ._options import FreestyleOptions
from ._portal import Portal
from ._resources import SyncAccount, SyncBilling, SyncDialCampaigns, SyncSmsCampaigns

__all__ = ["Freestyle"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


class Freestyle(FreestyleOptions, KeyHolder):
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
    - every option is checked by the constructor, as ``AsyncFreestyle`` checks it;
    - ``session`` is refused: an aiohttp session belongs to the loop it was made on, and this
      client makes its own on its own loop (use ``AsyncFreestyle`` to bring a session);
    - the event hooks (``on_request``, ``on_response``, ``on_retry``) run on the loop thread,
      not on the calling thread;
    - a ``with_options`` copy shares the loop thread too.

    A ``Freestyle`` dropped without ``close()`` stops its thread once nothing refers to it
    (nor to its resources or paginators), or at interpreter exit. Use it after ``os.fork()``,
    not before, if you use both.
    """

    # ``__init__`` and ``with_options`` are AsyncFreestyle's, generated in ``._options``: they
    # hand their arguments to ``_open`` and ``_copy``.

    def _open(self, api_key: str | None, /, **options: Any) -> None:
        # Checked here, as AsyncFreestyle does: the portal's factory then holds the key as a
        # Secret (masked repr) and a URL without credentials, so no traceback's locals show
        # either.
        try:
            if options.get("session") is not None:  # whatever it is: before its type check
                raise ValidationError(
                    "Freestyle runs its own event loop and makes its own aiohttp session "
                    "there; a ClientSession is bound to the loop it was created on and cannot "
                    "be shared. Leave session unset, or use AsyncFreestyle to bring your own "
                    "session."
                )
            checked = ClientOptions.create(api_key, **options)
        finally:
            del api_key, options
        portal = Portal(functools.partial(AsyncFreestyle._from_options, checked))
        self._setup(checked, portal, None)

    def _copy(self, **changes: Any) -> Self:
        try:  # the changes may hold a new key: not left in this frame's locals
            options = self._options.evolve(**changes)
        finally:
            del changes
        derived = self._portal.run(self._client._copy, options)
        copy = type(self).__new__(type(self))
        copy._setup(options, self._portal, derived)
        return copy

    def _setup(
        self, options: ClientOptions, portal: Portal, derived: AsyncFreestyle | None
    ) -> None:
        """The one place that sets a ``Freestyle``'s attributes, for a new client and a copy.
        ``derived`` is the async client of a ``with_options`` copy (on the shared loop)."""
        self._options = options
        self._portal = portal
        self._derived = derived

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
        return self._options.base_url

    @property
    def timeout(self) -> Timeout:
        """The default timeout of each call."""
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries of each call."""
        return self._options.max_retries

    def with_raw_response(self, method: Callable[_P, _T], /) -> Callable[_P, RawResponse[_T]]:
        """``method`` (a call of this client, such as ``fs.account.get``) returning a
        :class:`RawResponse`: the HTTP status, headers (redacted), request id and elapsed time
        with the parsed result. ``fs.with_raw_response(fs.account.get)()``. For a list, wrap
        its first page: ``fs.with_raw_response(fs.sms_campaigns.list().first_page)()``."""
        return raw_sync(method)

    def diagnose(self) -> Diagnosis:
        """Check, in order, what a call needs: the key's shape, the base URL, the proxy, DNS,
        the TCP connect, the TLS handshake, the server's clock, and one ``GET /account``.
        Never raises for what it finds: each check is a line of the returned ``Diagnosis``."""
        return self._portal.call(self._client.diagnose)

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
