"""What every resource shares: a reference to the client, and the one way to paginate."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from .._config import NotGiven, Timeout
from .._convert import decode
from .._params import check_page, check_per_page, query_string
from .._secrets import KeyHolder
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
    ) -> Any:
        """One call through the transport: the decoded JSON body."""


class Resource(KeyHolder):
    """One API area. Methods check arguments, build the path and make one client call.

    It reaches the client, and so its key: it refuses pickling and copying (:class:`KeyHolder`).
    """

    def __init__(self, client: ResourceClient) -> None:
        self._client = client

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
    ) -> AsyncPaginator[T]:
        """A paginator over ``GET path`` with ``filters`` (already checked) on every page."""
        page_type = cast(Any, Page)[model]

        async def fetch(number: int, size: int | None) -> Page[T]:
            query = query_string([*filters, ("page", number), ("per_page", size)])
            body = await self._client._request(
                "GET", path, query=query, timeout=timeout, max_retries=max_retries
            )
            return cast(Page[T], decode(body, page_type, endpoint))

        return AsyncPaginator(
            fetch,
            key=key,
            page=check_page(page),
            per_page=check_per_page(per_page, max_per_page),
            max_per_page=max_per_page,
        )
