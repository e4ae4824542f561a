"""Account-level commands: ``account``, ``phone-numbers`` and ``billing``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ..models import Account, BillingUsage, CampaignUsage, PhoneNumber
from ._commands_dial import CAMPAIGN_HINT
from ._options import date_range_options, format_option, limit_option
from ._output import Format
from ._settings import Settings, pass_settings
from ._views import PHONE_NUMBER_COLUMNS, account_view, billing_view

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

    from .._client import AsyncFreestyle

__all__ = ["account", "billing", "phone_numbers"]


@click.command()
@format_option
@pass_settings
def account(settings: Settings, fmt: str | None, csv_raw: bool) -> None:
    """Show the account profile of the API key."""
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> Account:
        return await fs.account.get()

    profile = settings.run("getting the account", work)
    out.write_object(profile, lambda: account_view(profile))


async def _each(items: Sequence[PhoneNumber]) -> AsyncIterator[PhoneNumber]:
    for item in items:
        yield item


@click.command("phone-numbers")
@limit_option
@format_option
@pass_settings
def phone_numbers(settings: Settings, limit: int | None, fmt: str | None, csv_raw: bool) -> None:
    """List the account's phone numbers."""
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        numbers = await fs.account.phone_numbers()
        await out.write_items(
            PhoneNumber,
            _each(numbers),
            columns=PHONE_NUMBER_COLUMNS,
            limit=limit,
            title="Phone numbers",
        )

    settings.run("listing phone numbers", work)


@click.command()
@date_range_options("conference start day")
@click.option(
    "--campaign",
    default=None,
    metavar="CAMPAIGN",
    help="Only this dial campaign (default: every campaign of the account).",
)
@format_option
@pass_settings
def billing(
    settings: Settings,
    from_: dt.date | None,
    to: dt.date | None,
    campaign: str | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """Call duration and cost per campaign.

    Usage per dial campaign with the account totals.

    JSON gives the whole response (data and summary); CSV gives one row per campaign.
    """
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> BillingUsage:
        return await fs.billing.usage(from_=from_, to=to, campaign=campaign)

    usage = settings.run("getting billing usage", work, not_found_hint=CAMPAIGN_HINT)
    if out.format is Format.CSV:
        out.write_csv(CampaignUsage, usage.data)
    else:
        out.write_object(usage, lambda: billing_view(usage))
