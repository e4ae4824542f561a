"""Small helpers shared by the integration tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from _clients import FAST_RETRIES

from freestyle_async import AsyncFreestyle, AsyncPaginator
from freestyle_async.testing import Emulator

T = TypeVar("T")


def client_for(emulator: Emulator, api_key: str | None = None, **options: Any) -> AsyncFreestyle:
    """An ``AsyncFreestyle`` pointed at ``emulator`` (main account unless ``api_key``), its
    retries waiting a few ms like the plugin's ``freestyle_client``."""
    options.setdefault("retry_policy", FAST_RETRIES)
    return AsyncFreestyle(
        api_key if api_key is not None else emulator.api_key,
        base_url=emulator.base_url,
        **options,
    )


#: One call of each of the 13 endpoint methods, given a client and the ids to use.
EndpointCall = Callable[[AsyncFreestyle, str, str], Awaitable[Any]]


async def collect(paginator: AsyncPaginator[T]) -> list[T]:
    """Every item of a paginator, across all pages."""
    return [item async for item in paginator]


def is_utc(value: dt.datetime | None) -> bool:
    """An aware datetime at UTC (the API's timestamps end in ``Z``)."""
    return value is not None and value.utcoffset() == dt.timedelta(0)


def decimal_places(value: Decimal) -> int:
    """How many digits follow the point: float noise would show up as 15 or more."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


async def _first_page(paginator: AsyncPaginator[Any]) -> Any:
    return await paginator.first_page()


# Every endpoint method once. ``dial`` is a dial campaign id, ``sms`` an SMS campaign id.
ENDPOINT_CALLS: dict[str, EndpointCall] = {
    "dial_campaigns.list": lambda fs, dial, sms: _first_page(fs.dial_campaigns.list()),
    "dial_campaigns.update_status": lambda fs, dial, sms: fs.dial_campaigns.update_status(
        dial, "paused"
    ),
    "dial_campaigns.upload_data": lambda fs, dial, sms: fs.dial_campaigns.upload_data(
        dial, [{"phone1": "4165550100"}]
    ),
    "dial_campaigns.list_results": lambda fs, dial, sms: _first_page(
        fs.dial_campaigns.list_results(dial)
    ),
    "dial_campaigns.results_summary": lambda fs, dial, sms: fs.dial_campaigns.results_summary(dial),
    "dial_campaigns.list_activity": lambda fs, dial, sms: _first_page(
        fs.dial_campaigns.list_activity(dial)
    ),
    "sms_campaigns.list": lambda fs, dial, sms: _first_page(fs.sms_campaigns.list()),
    "sms_campaigns.get": lambda fs, dial, sms: fs.sms_campaigns.get(sms),
    "sms_campaigns.list_runs": lambda fs, dial, sms: _first_page(fs.sms_campaigns.list_runs(sms)),
    "sms_campaigns.list_messages": lambda fs, dial, sms: _first_page(
        fs.sms_campaigns.list_messages(sms)
    ),
    "billing.usage": lambda fs, dial, sms: fs.billing.usage(),
    "account.get": lambda fs, dial, sms: fs.account.get(),
    "account.phone_numbers": lambda fs, dial, sms: fs.account.phone_numbers(),
}

#: The endpoints that take a campaign id (a campaign of another account is 404 to them).
CAMPAIGN_CALLS: dict[str, EndpointCall] = {
    **{
        name: call
        for name, call in ENDPOINT_CALLS.items()
        if name.split(".")[1] not in ("list", "usage", "get", "phone_numbers")
    },
    "sms_campaigns.get": ENDPOINT_CALLS["sms_campaigns.get"],
    "billing.usage(campaign=)": lambda fs, dial, sms: fs.billing.usage(campaign=dial),
}
