"""``fs.account``: the account profile and its phone numbers."""

from __future__ import annotations

from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode_data
from .._extras import ExtraHeaders, ExtraQuery
from ..models import Account, PhoneNumber
from ._base import Resource

__all__ = ["AsyncAccount"]


class AsyncAccount(Resource):
    """The account: ``fs.account``."""

    async def get(
        self,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> Account:
        """The account profile of the API key."""
        body = await self._call(
            "GET",
            "/account",
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return decode_data(body, Account, "GET /account")

    async def phone_numbers(
        self,
        *,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> list[PhoneNumber]:
        """Every phone number assigned to the account (the endpoint is not paginated)."""
        body = await self._call(
            "GET",
            "/account/phone-numbers",
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return decode_data(body, list[PhoneNumber], "GET /account/phone-numbers")
