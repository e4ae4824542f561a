"""SMS campaign commands: ``sms list|get|runs|messages``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Final

import click

from .._api_limits import (
    MAX_PER_PAGE_SMS_CAMPAIGNS,
    MAX_PER_PAGE_SMS_MESSAGES,
    MAX_PER_PAGE_SMS_RUNS,
)
from ..models import (
    MessageDirection,
    MessageStatus,
    MessageSummary,
    RunStatus,
    SmsCampaign,
    SmsMessage,
    SmsRun,
)
from ._options import ID, date_range_options, format_option, limit_option
from ._settings import Settings, pass_settings
from ._views import (
    MESSAGE_COLUMNS,
    RUN_COLUMNS,
    SMS_CAMPAIGN_COLUMNS,
    message_summary_line,
    sms_campaign_view,
)

if TYPE_CHECKING:
    from .._client import AsyncFreestyle
    from ..pagination import AsyncPaginator

__all__ = ["SMS_HINT", "sms"]

SMS_HINT: Final = "check the SMS campaign id with `freestyle sms list`"
_RUN_STATUSES: Final = [s.value for s in RunStatus]


@click.group()
def sms() -> None:
    """SMS campaigns: list, get, runs, messages."""


@sms.command("list")
@click.option(
    "--status",
    type=click.Choice(_RUN_STATUSES),
    help="Only campaigns with at least one run in this status.",
)
@limit_option
@format_option
@pass_settings
def list_sms(
    settings: Settings, status: str | None, limit: int | None, fmt: str | None, csv_raw: bool
) -> None:
    """List SMS campaigns by name."""
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.sms_campaigns.list(
            status=status, per_page=out.per_page(limit, MAX_PER_PAGE_SMS_CAMPAIGNS)
        )
        await out.write_items(
            SmsCampaign, pager, columns=SMS_CAMPAIGN_COLUMNS, limit=limit, title="SMS campaigns"
        )

    settings.run("listing SMS campaigns", work)


@sms.command("get")
@click.argument("campaign_id", metavar="SMS_CAMPAIGN")
@format_option
@pass_settings
def get(settings: Settings, campaign_id: str, fmt: str | None, csv_raw: bool) -> None:
    """Show an SMS campaign and its template."""
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> SmsCampaign:
        return await fs.sms_campaigns.get(campaign_id)

    campaign = settings.run(f"getting SMS campaign {campaign_id}", work, not_found_hint=SMS_HINT)
    out.write_object(campaign, lambda: sms_campaign_view(campaign))


@sms.command("runs")
@click.argument("campaign_id", metavar="SMS_CAMPAIGN")
@click.option("--status", type=click.Choice(_RUN_STATUSES), help="Only runs in this status.")
@limit_option
@format_option
@pass_settings
def runs(
    settings: Settings,
    campaign_id: str,
    status: str | None,
    limit: int | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """List the runs of an SMS campaign.

    Runs of SMS campaign SMS_CAMPAIGN, latest scheduled first.
    """
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.sms_campaigns.list_runs(
            campaign_id, status=status, per_page=out.per_page(limit, MAX_PER_PAGE_SMS_RUNS)
        )
        await out.write_items(
            SmsRun, pager, columns=RUN_COLUMNS, limit=limit, title=f"Runs of {campaign_id}"
        )

    settings.run(f"listing the runs of SMS campaign {campaign_id}", work, not_found_hint=SMS_HINT)


class _Totals:
    """Keeps the ``summary`` that pages of messages carry."""

    summary: MessageSummary | None = None


async def _messages(
    pager: AsyncPaginator[SmsMessage], totals: _Totals
) -> AsyncIterator[SmsMessage]:
    # Walks pages (not items) to read the summary they carry; unique pages hold the items
    # iterating items would yield.
    async for page in pager.pages(unique=True):
        if totals.summary is None:
            totals.summary = page.summary
        for message in page.data:
            yield message


@sms.command("messages")
@click.argument("campaign_id", metavar="SMS_CAMPAIGN")
@date_range_options("send day")
@click.option("--run-id", type=ID, default=None, metavar="RUN", help="Only messages of this run.")
@click.option(
    "--status",
    default=None,
    metavar="STATUS",
    help="Only this Twilio delivery status: " + ", ".join(s.value for s in MessageStatus) + ".",
)
@click.option(
    "--direction",
    type=click.Choice([d.value for d in MessageDirection]),
    help="Only sent or only received messages.",
)
@limit_option
@format_option
@pass_settings
def messages(
    settings: Settings,
    campaign_id: str,
    from_: dt.date | None,
    to: dt.date | None,
    run_id: int | None,
    status: str | None,
    direction: str | None,
    limit: int | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """List the messages of an SMS campaign.

    Messages sent and received by SMS campaign SMS_CAMPAIGN, newest first.

    A table ends with the totals of every matching message (count, sent, received, cost).
    """
    out = settings.output(fmt, csv_raw)
    totals = _Totals()

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.sms_campaigns.list_messages(
            campaign_id,
            from_=from_,
            to=to,
            run_id=run_id,
            status=status,
            direction=direction,
            per_page=out.per_page(limit, MAX_PER_PAGE_SMS_MESSAGES),
        )
        await out.write_items(
            SmsMessage,
            _messages(pager, totals),
            columns=MESSAGE_COLUMNS,
            limit=limit,
            title=f"Messages of {campaign_id}",
            caption=lambda: message_summary_line(totals.summary),
        )

    settings.run(
        f"listing the messages of SMS campaign {campaign_id}", work, not_found_hint=SMS_HINT
    )
