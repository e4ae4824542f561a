"""What every resource shares: a reference to the client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._client import AsyncFreestyle


class Resource:
    """One API area. Methods check arguments, build the path and make one client call."""

    def __init__(self, client: AsyncFreestyle) -> None:
        self._client = client
