"""``AsyncFreestyle``: options, resources and lifecycle of the async client."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import aiohttp
import attrs

from ._client_options import ClientOptions, check_max_retries
from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Timeout,
    given,
    proxy_for_url,
)
from ._diagnose import Diagnosis, diagnose
from ._extras import overlay
from ._hooks import EventHook, Hooks
from ._limits import DEFAULT_RETRY_BUDGET, RequestGate, RetryBudget
from ._raw import RawResponse, raw_async
from ._reprs import safe_repr
from ._retry import DEFAULT_RETRY_POLICY, RetryPolicy
from ._secrets import KeyHolder
from ._transport import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RESPONSE_BYTES,
    RequestConfig,
    Transport,
    user_agent,
)
from .resources import AsyncAccount, AsyncBilling, AsyncDialCampaigns, AsyncSmsCampaigns

if TYPE_CHECKING:
    from .models import Account

__all__ = ["AsyncFreestyle"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _with_call_options(
    config: RequestConfig,
    timeout: float | Timeout | NotGiven | None,
    max_retries: int | NotGiven,
) -> RequestConfig:
    """``config`` with the ``timeout``/``max_retries`` that were given (the same object when
    neither was, so the common call pays nothing)."""
    if isinstance(timeout, NotGiven) and isinstance(max_retries, NotGiven):
        return config
    return attrs.evolve(
        config,
        timeout=config.timeout if isinstance(timeout, NotGiven) else Timeout.coerce(timeout),
        max_retries=check_max_retries(given(max_retries, config.max_retries)),
    )


class AsyncFreestyle(KeyHolder):
    """The asynchronous FREESTYLE API client.

    ``api_key`` defaults to ``FREESTYLE_API_KEY`` and ``base_url`` to ``FREESTYLE_BASE_URL``,
    then to ``https://api.freestyleteletech.com/v1``. ``timeout`` is the whole call's deadline
    in seconds (retries included) or a :class:`Timeout`; ``max_retries`` bounds the retries of
    one call. One aiohttp session with a pool of ``max_connections`` is opened on first use and
    closed by ``aclose()`` or ``async with``; a ``session`` you pass is used and left open.

    Shared by this client and every ``with_options`` copy of it:

    - ``retry_budget``: a :class:`RetryBudget` token bucket every retry draws from, so a
      failing server sees bounded extra traffic however many calls are in flight (``None``:
      no shared limit, each call retries up to ``max_retries``).
    - ``max_requests_per_second``: requests (retries included) start at least
      ``1 / max_requests_per_second`` seconds apart; ``max_concurrency``: at most that many
      requests in flight. Both count against each call's total timeout; unset, they cost
      nothing.
    - ``trace_configs``: ``aiohttp.TraceConfig`` objects given to the session the client
      makes, e.g. OpenTelemetry's ``create_trace_config()``: one client span per HTTP attempt
      (retries included). Not with ``session=``: give them to your own session instead.

    ``on_request``, ``on_response`` and ``on_retry`` are event hooks: plain functions given a
    frozen :class:`RequestEvent`, :class:`ResponseEvent` or :class:`RetryEvent` for each
    attempt (no headers, so never the key). A hook that raises is logged at WARNING and the
    call goes on. ``with_options`` can change them for a copy.

    Proxies: ``proxy="http://[user:password@]host:port"`` sends every request through that
    forward proxy (HTTPS through a ``CONNECT`` tunnel, the server's certificate still
    verified). Without it, ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` and ``NO_PROXY`` are
    honoured as requests and httpx do, except for a loopback host (the emulator), which is
    always reached directly; ``trust_env=False`` ignores the environment. The proxy's
    credentials are never shown.

    Use it as ``async with AsyncFreestyle() as fs:`` and reach the API through
    ``fs.dial_campaigns``, ``fs.sms_campaigns``, ``fs.billing`` and ``fs.account``.

    The key is never shown: reprs give ``ft_…`` and its last 4 characters, and the key is
    taken out of anything a server sends back into an error. A client cannot be pickled or
    copied (``TypeError``): create one in each process, and use ``with_options`` for variants.
    """

    dial_campaigns: AsyncDialCampaigns
    sms_campaigns: AsyncSmsCampaigns
    billing: AsyncBilling
    account: AsyncAccount

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
        proxy: str | None = None,
        trust_env: bool = True,
        trace_configs: Sequence[aiohttp.TraceConfig] | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
    ) -> None:
        # The key, and a base URL or proxy URL that may hold a password, are not left in this
        # frame's locals (which a traceback keeps and error reporters print) should a check
        # raise.
        try:
            options = ClientOptions.create(
                api_key,
                base_url,
                timeout=timeout,
                max_retries=max_retries,
                retry_policy=retry_policy,
                session=session,
                max_connections=max_connections,
                ssl_context=ssl_context,
                max_response_bytes=max_response_bytes,
                retry_budget=retry_budget,
                max_requests_per_second=max_requests_per_second,
                max_concurrency=max_concurrency,
                on_request=on_request,
                on_response=on_response,
                on_retry=on_retry,
                proxy=proxy,
                trust_env=trust_env,
                trace_configs=trace_configs,
                default_headers=default_headers,
                default_query=default_query,
            )
        finally:
            del api_key, base_url, proxy
        self._setup(options, None)

    @classmethod
    def _from_options(
        cls, options: ClientOptions, transport: Transport | None = None
    ) -> AsyncFreestyle:
        """A client with ``options``: a ``with_options`` copy when it is given the
        ``transport`` of the client it copies, else the owner of a new one (``Freestyle``
        builds its client this way, on its loop thread)."""
        client = cls.__new__(cls)
        client._setup(options, transport)
        return client

    def _setup(self, options: ClientOptions, transport: Transport | None) -> None:
        """Everything ``__init__`` does once the options are checked: the one place that sets
        a client's attributes, for a new client and for a copy alike."""
        self._options = options
        self._config = RequestConfig(
            base_url=options.base_url,
            headers={  # default_headers may replace User-Agent, no other of the SDK's
                **overlay({"User-Agent": user_agent()}, options.default_headers),
                "X-API-Key": options.api_key.value,
                "Accept": "application/json",
            },
            timeout=options.timeout,
            max_retries=options.max_retries,
            retry_policy=options.retry_policy,
            max_response_bytes=options.max_response_bytes,
            hooks=Hooks.build(
                on_request=options.on_request,
                on_response=options.on_response,
                on_retry=options.on_retry,
            ),
            default_query=options.default_query,
            proxy=proxy_for_url(options.base_url, options.proxy, trust_env=options.trust_env),
        )
        self._owns_transport = transport is None
        if transport is None:
            transport = Transport(
                session=options.session,
                max_connections=options.max_connections,
                ssl_context=options.ssl_context,
                trace_configs=options.trace_configs,
                retry_budget=options.retry_budget,
                gate=RequestGate.build(
                    max_requests_per_second=options.max_requests_per_second,
                    max_concurrency=options.max_concurrency,
                ),
            )
        self._transport = transport
        self._attach_resources()

    def _attach_resources(self) -> None:
        self.dial_campaigns = AsyncDialCampaigns(self)
        self.sms_campaigns = AsyncSmsCampaigns(self)
        self.billing = AsyncBilling(self)
        self.account = AsyncAccount(self)

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._config.base_url

    @property
    def timeout(self) -> Timeout:
        """The default timeout of each call."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries of each call."""
        return self._config.max_retries

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
        proxy: str | NotGiven | None = NOT_GIVEN,
        trust_env: bool | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        default_query: Mapping[str, object] | NotGiven | None = NOT_GIVEN,
    ) -> AsyncFreestyle:
        """A client with other settings that shares this one's connection pool, retry budget
        and request limits. A hook given here replaces this client's (``None`` removes it).

        Closing the derived client leaves the pool open; closing this client closes it.
        """
        try:  # as in __init__: no key or password left in this frame's locals
            options = self._options.evolve(
                api_key=api_key,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                retry_policy=retry_policy,
                max_response_bytes=max_response_bytes,
                on_request=on_request,
                on_response=on_response,
                on_retry=on_retry,
                proxy=proxy,
                trust_env=trust_env,
                default_headers=default_headers,
                default_query=default_query,
            )
        finally:
            del api_key, base_url, proxy
        return self._copy(options)

    def _copy(self, options: ClientOptions) -> AsyncFreestyle:
        """A client with ``options`` that shares this one's transport."""
        return AsyncFreestyle._from_options(options, self._transport)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes | None = None,
        idempotent: bool = True,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: dict[str, str] | None = None,
    ) -> Any:
        config = _with_call_options(self._config, timeout, max_retries)
        if headers is not None:  # the client's headers with a call's extra_headers
            config = attrs.evolve(config, headers=headers)
        return await self._transport.request(
            config,
            method,
            path,
            query=query,
            body=body,
            idempotent=idempotent,
        )

    def with_raw_response(
        self, method: Callable[_P, Awaitable[_T]], /
    ) -> Callable[_P, Awaitable[RawResponse[_T]]]:
        """``method`` (a call of this client, such as ``fs.account.get``) returning a
        :class:`RawResponse`: the HTTP status, headers (redacted), request id and elapsed time
        with the parsed result. ``await fs.with_raw_response(fs.account.get)()``. For a list,
        wrap its first page: ``fs.with_raw_response(fs.sms_campaigns.list().first_page)()``."""
        return raw_async(method)

    async def diagnose(self) -> Diagnosis:
        """Check, in order, what a call needs: the key's shape, the base URL, the proxy, DNS,
        the TCP connect, the TLS handshake, the server's clock, and one ``GET /account``.
        Never raises for what it finds: each check is a line of the returned ``Diagnosis``."""

        async def get_account(hook: EventHook) -> Account:
            return await self.with_options(on_response=hook, max_retries=0).account.get()

        return await diagnose(self._options, self._config, get_account)

    @property
    def closed(self) -> bool:
        """Whether ``aclose()`` has been called on the client that owns the pool."""
        return self._transport.closed

    async def aclose(self) -> None:
        """Close the connection pool (a no-op on a ``with_options`` copy); idempotent."""
        if self._owns_transport:
            await self._transport.aclose()

    async def __aenter__(self) -> AsyncFreestyle:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @safe_repr
    def __repr__(self) -> str:
        return (
            f"AsyncFreestyle(base_url={self._config.base_url!r}, "
            f"api_key={self._options.api_key.hint!r}, "
            f"timeout={self._config.timeout!r}, max_retries={self._config.max_retries})"
        )


AsyncFreestyle.__module__ = "freestyle_async"
