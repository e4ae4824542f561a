"""What every resource shares: a reference to the client, and the one way to paginate."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from .. import _json
from .._client_options import check_max_retries
from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode
from .._extras import EMPTY as EMPTY_QUERY
from .._extras import (
    ExtraBody,
    ExtraHeaders,
    ExtraQuery,
    merge_body,
    merge_headers,
    merge_query,
)
from .._params import check_page, check_per_page, query_string
from .._secrets import KeyHolder
from ..errors import ValidationError
from ..models import Page
from ..pagination import AsyncPaginator

if TYPE_CHECKING:
    from .._transport import RequestConfig

T = TypeVar("T")


class ResourceClient(Protocol):
    """What a resource uses of its client (``AsyncFreestyle``, which creates the resources and
    so imports this package: the resources name what they need instead of importing it)."""

    @property
    def _config(self) -> RequestConfig:
        """The settings every call sends (bulk uploads follow its retry policy)."""

    async def _request(
        self,
        method: str,
        path: str,
        *,
        query: str = ...,
        body: bytes | None = ...,
        idempotent: bool = ...,
        timeout: float | Timeout | NotGiven | None = ...,
        max_retries: int | NotGiven = ...,
        headers: dict[str, str] | None = ...,
    ) -> Any:
        """One call through the transport: the decoded JSON body. ``headers``, when given,
        replace the client's for this call (they are its headers with a call's extras)."""


class Resource(KeyHolder):
    """One API area. Methods check arguments, build the path and make one client call.

    It reaches the client, and so its key: it refuses pickling and copying (:class:`KeyHolder`).
    """

    def __init__(self, client: ResourceClient) -> None:
        self._client = client

    async def _call(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, object]] = (),
        body: Mapping[str, Any] | bytes | None = None,
        idempotent: bool = True,
        timeout: float | Timeout | NotGiven | None,
        max_retries: int | NotGiven,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Any:
        """One call: the call's own ``query`` parameters (``None`` ones left out) and JSON
        ``body`` (or a body encoded already, which takes no ``extra_body``), merged with the
        client's defaults and the call's extras (:mod:`.._extras`)."""
        config = self._client._config
        encoded = (
            body
            if body is None or isinstance(body, bytes)
            else _encode(merge_body(body, extra_body))
        )
        return await self._client._request(
            method,
            path,
            query=query_string(merge_query(query, config.default_query, extra_query)),
            body=encoded,
            idempotent=idempotent,
            timeout=timeout,
            max_retries=max_retries,
            headers=merge_headers(config.headers, extra_headers),
        )

    @staticmethod
    def _check_for_later(
        extra_headers: ExtraHeaders | None,
        extra_query: ExtraQuery | None,
        query: Sequence[tuple[str, object]] = (),
        *,
        timeout: float | Timeout | NotGiven | None,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Refuse bad per-call options now, for a call whose requests go out later (each
        page, each chunk): not after the input was read or the first page was used."""
        merge_headers({}, extra_headers)
        merge_query(query, EMPTY_QUERY, extra_query)
        if not isinstance(timeout, NotGiven):
            Timeout.coerce(timeout)
        if not isinstance(max_retries, NotGiven):
            check_max_retries(max_retries)

    def _paginate(
        self,
        path: str,
        endpoint: str,
        model: type[T],
        filters: Sequence[tuple[str, object]],
        *,
        key: Callable[[T], Hashable],
        page: int | None,
        per_page: int | None,
        max_per_page: int,
        timeout: float | Timeout | NotGiven | None,
        max_retries: int | NotGiven,
        extra_headers: ExtraHeaders | None,
        extra_query: ExtraQuery | None,
    ) -> AsyncPaginator[T]:
        """A paginator over ``GET path`` with ``filters`` (already checked) and the extras on
        every page."""
        page_type = cast(Any, Page)[model]
        # Checked now: a bad option is refused when the list is made, not on its first page.
        self._check_for_later(
            extra_headers,
            extra_query,
            [*filters, ("page", 1), ("per_page", 1)],
            timeout=timeout,
            max_retries=max_retries,
        )

        async def fetch(number: int, size: int | None) -> Page[T]:
            body = await self._call(
                "GET",
                path,
                query=[*filters, ("page", number), ("per_page", size)],
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
                extra_query=extra_query,
            )
            return cast(Page[T], decode(body, page_type, endpoint))

        return AsyncPaginator(
            fetch,
            key=key,
            page=check_page(page),
            per_page=check_per_page(per_page, max_per_page),
            max_per_page=max_per_page,
            endpoint=endpoint,
        )


def _encode(body: Mapping[str, Any]) -> bytes:
    """A request body as JSON; a value the encoder cannot take (from ``extra_body``) is a
    :class:`ValidationError`."""
    try:
        return _json.dumps(body)
    except (TypeError, ValueError, RecursionError) as exc:
        why = exc.__cause__ or exc  # orjson wraps what the default function said
        raise ValidationError(f"the request body cannot be encoded as JSON: {why}") from None
