"""Dial campaign commands: ``campaigns list|start|pause``, ``results``, ``summary``,
``activity``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

import click

from .._api_limits import (
    MAX_PER_PAGE_ACTIVITY,
    MAX_PER_PAGE_CALL_RESULTS,
    MAX_PER_PAGE_DIAL_CAMPAIGNS,
)
from ..models import (
    ActivityEvent,
    ActivityType,
    CallResult,
    CampaignStatus,
    DialCampaign,
    DispositionCount,
)
from ._options import ACTIVITY_TYPE, ID, date_range_options, format_option, limit_option
from ._output import Format
from ._settings import Settings, pass_settings
from ._views import (
    ACTIVITY_COLUMNS,
    CAMPAIGN_COLUMNS,
    RESULT_COLUMNS,
    campaign_line,
    summary_view,
)

if TYPE_CHECKING:
    from .._client import AsyncFreestyle

__all__ = ["CAMPAIGN_HINT", "activity", "campaigns", "results", "summary"]

CAMPAIGN_HINT: Final = "check the campaign id with `freestyle campaigns list`"


@click.group()
def campaigns() -> None:
    """Dial campaigns: list, start, pause."""


@campaigns.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in CampaignStatus]),
    help="Only campaigns in this status.",
)
@limit_option
@format_option
@pass_settings
def list_campaigns(
    settings: Settings, status: str | None, limit: int | None, fmt: str | None, csv_raw: bool
) -> None:
    """List dial campaigns, newest first."""
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.dial_campaigns.list(
            status=status, per_page=out.per_page(limit, MAX_PER_PAGE_DIAL_CAMPAIGNS)
        )
        await out.write_items(
            DialCampaign, pager, columns=CAMPAIGN_COLUMNS, limit=limit, title="Dial campaigns"
        )

    settings.run("listing dial campaigns", work)


def _set_status(
    settings: Settings, campaign_id: str, status: str, fmt: str | None, csv_raw: bool
) -> None:
    out = settings.output(fmt, csv_raw)
    verb = "starting" if status == CampaignStatus.ACTIVE else "pausing"

    async def work(fs: AsyncFreestyle) -> DialCampaign:
        return await fs.dial_campaigns.update_status(campaign_id, status)

    campaign = settings.run(f"{verb} campaign {campaign_id}", work, not_found_hint=CAMPAIGN_HINT)
    out.write_object(campaign, lambda: campaign_line(campaign))


@campaigns.command("start")
@click.argument("campaign_id", metavar="CAMPAIGN")
@format_option
@pass_settings
def start(settings: Settings, campaign_id: str, fmt: str | None, csv_raw: bool) -> None:
    """Start (activate) dial campaign CAMPAIGN."""
    _set_status(settings, campaign_id, CampaignStatus.ACTIVE, fmt, csv_raw)


@campaigns.command("pause")
@click.argument("campaign_id", metavar="CAMPAIGN")
@format_option
@pass_settings
def pause(settings: Settings, campaign_id: str, fmt: str | None, csv_raw: bool) -> None:
    """Pause dial campaign CAMPAIGN."""
    _set_status(settings, campaign_id, CampaignStatus.PAUSED, fmt, csv_raw)


@click.command()
@click.argument("campaign_id", metavar="CAMPAIGN")
@date_range_options("call completion day")
@click.option(
    "--disposition", type=ID, default=None, metavar="ID", help="Only this disposition type id."
)
@limit_option
@format_option
@pass_settings
def results(
    settings: Settings,
    campaign_id: str,
    from_: dt.date | None,
    to: dt.date | None,
    disposition: int | None,
    limit: int | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """List the call results of a dial campaign.

    Results of dial campaign CAMPAIGN, newest completion first.
    """
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.dial_campaigns.list_results(
            campaign_id,
            from_=from_,
            to=to,
            disposition=disposition,
            per_page=out.per_page(limit, MAX_PER_PAGE_CALL_RESULTS),
        )
        await out.write_items(
            CallResult,
            pager,
            columns=RESULT_COLUMNS,
            limit=limit,
            title=f"Call results of {campaign_id}",
        )

    settings.run(
        f"listing the call results of campaign {campaign_id}", work, not_found_hint=CAMPAIGN_HINT
    )


@click.command()
@click.argument("campaign_id", metavar="CAMPAIGN")
@date_range_options("call completion day")
@format_option
@pass_settings
def summary(
    settings: Settings,
    campaign_id: str,
    from_: dt.date | None,
    to: dt.date | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """Call totals and a chart of dispositions.

    Results summary of dial campaign CAMPAIGN: calls, contacts, talk time and the breakdown
    by disposition (a bar chart in a terminal). JSON gives the whole summary; CSV gives one
    row per disposition.
    """
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        result = await fs.dial_campaigns.results_summary(campaign_id, from_=from_, to=to)
        if out.format is Format.CSV:
            out.write_csv(DispositionCount, result.dispositions)
        else:
            out.write_object(result, lambda: summary_view(result, f"Results of {campaign_id}"))

    settings.run(
        f"getting the results summary of campaign {campaign_id}",
        work,
        not_found_hint=CAMPAIGN_HINT,
    )


@click.command()
@click.argument("campaign_id", metavar="CAMPAIGN")
@date_range_options("event day")
@click.option(
    "--type",
    "type_",
    type=ACTIVITY_TYPE,
    default=None,
    help="Only this activity type: 1 records-imported, 2 campaign-stopped, "
    "3 campaign-started, 4 records-recycled.",
)
@limit_option
@format_option
@pass_settings
def activity(
    settings: Settings,
    campaign_id: str,
    from_: dt.date | None,
    to: dt.date | None,
    type_: ActivityType | int | None,
    limit: int | None,
    fmt: str | None,
    csv_raw: bool,
) -> None:
    """List the activity log of a dial campaign.

    Imports, recycles, starts and stops of dial campaign CAMPAIGN, newest first.
    """
    out = settings.output(fmt, csv_raw)

    async def work(fs: AsyncFreestyle) -> None:
        pager = fs.dial_campaigns.list_activity(
            campaign_id,
            from_=from_,
            to=to,
            type=type_,
            per_page=out.per_page(limit, MAX_PER_PAGE_ACTIVITY),
        )
        await out.write_items(
            ActivityEvent,
            pager,
            columns=ACTIVITY_COLUMNS,
            limit=limit,
            title=f"Activity of {campaign_id}",
        )

    settings.run(
        f"listing the activity of campaign {campaign_id}", work, not_found_hint=CAMPAIGN_HINT
    )
