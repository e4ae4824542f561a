"""How each API object looks in a terminal: table columns, detail panels and the summary chart.

Only the ``table`` format uses these; JSON and CSV carry every field as the API names it.
Server text enters a view as ``Text`` through :func:`~._safe.safe_text` (a column may return a
plain ``str``: :func:`~._output.cell` does it), never as rich markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from typing import Any, Final

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..models import (
    Account,
    BillingUsage,
    DialCampaign,
    MessageSummary,
    ResultsSummary,
    SmsCampaign,
)
from ._output import Column, build_table, cell
from ._safe import safe_text

__all__ = [
    "ACTIVITY_COLUMNS",
    "CAMPAIGN_COLUMNS",
    "MESSAGE_COLUMNS",
    "PHONE_NUMBER_COLUMNS",
    "RESULT_COLUMNS",
    "RUN_COLUMNS",
    "SMS_CAMPAIGN_COLUMNS",
    "USAGE_COLUMNS",
    "account_view",
    "billing_view",
    "campaign_line",
    "duration",
    "message_summary_line",
    "sms_campaign_view",
    "summary_view",
]

_DASH: Final = "—"
_CENT: Final = Decimal("0.01")
_BAR_WIDTH: Final = 32
_STATUS_STYLES: Final = {
    "active": "green",
    "running": "green",
    "delivered": "green",
    "completed": "blue",
    "sent": "cyan",
    "paused": "yellow",
    "scheduled": "yellow",
    "queued": "yellow",
    "draft": "dim",
    "cancelled": "dim",
    "failed": "red",
    "undelivered": "red",
}


def when(value: dt.datetime | None) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM`` in UTC."""
    if value is None:
        return _DASH
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def num(value: int | float | None) -> str:
    """A count with thousands separators."""
    if value is None:
        return _DASH
    return f"{value:,}"


#: Amounts with more digits than this either side of the point are shown as sent
#: (``1E+999999999`` written out would be a billion digits).
_PLAIN_DIGITS: Final = 100


def money(value: Decimal | None) -> str:
    """An amount with thousands separators and at least two decimals (never rounded)."""
    if value is None:
        return _DASH
    if not value.is_finite() or abs(value.adjusted()) > _PLAIN_DIGITS:
        return str(value)
    if int(value.as_tuple().exponent) > -2:
        with localcontext() as context:  # quantize keeps every digit, past the default 28
            context.prec = _PLAIN_DIGITS + 4
            value = value.quantize(_CENT)
    return f"{value:,f}"  # "f": 1E-7 as 0.0000001, as the server sent it


def duration(seconds: float | None) -> str:
    """Seconds as ``H:MM:SS`` (fractions dropped)."""
    if seconds is None:
        return _DASH
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}"


def status(value: object) -> Text:
    """A status word, coloured by meaning."""
    text = str(getattr(value, "value", value))
    return Text(safe_text(text), style=_STATUS_STYLES.get(text, ""))


def _text(value: Any) -> str:
    return _DASH if value is None else str(value)


def _cut(value: str | None, width: int) -> str:
    if value is None:
        return _DASH
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


CAMPAIGN_COLUMNS: Final[Sequence[Column]] = (
    Column("ID", lambda c: c.id, style="cyan", no_wrap=True),
    Column("Name", lambda c: c.name),
    Column("Status", lambda c: status(c.status)),
    Column("Leads", lambda c: num(c.total_leads), justify="right"),
    Column("Dialed", lambda c: num(c.dialed), justify="right", drop=2),
    Column("Remaining", lambda c: num(c.remaining), justify="right", drop=1),
    Column("Updated (UTC)", lambda c: when(c.updated_at), drop=3),
)

RESULT_COLUMNS: Final[Sequence[Column]] = (
    Column("Result", lambda r: str(r.result_id), justify="right"),
    Column("Completed (UTC)", lambda r: when(r.completed_at)),
    Column("Phone", lambda r: r.phone_dialed),
    Column("Account", lambda r: _text(r.account_name or r.account_id), drop=3),
    Column("Disposition", lambda r: r.disposition.name),
    Column("Agent", lambda r: _text(r.agent_id), justify="right", drop=4),
    Column("Talk", lambda r: duration(r.talk_seconds), justify="right", drop=2),
    Column("Amount", lambda r: money(r.amount), justify="right", drop=1),
)

ACTIVITY_COLUMNS: Final[Sequence[Column]] = (
    Column("ID", lambda a: str(a.activity_id), justify="right"),
    Column("When (UTC)", lambda a: when(a.created_at)),
    Column("Type", lambda a: a.type.name),
    Column("Imported", lambda a: num(a.imported_count), justify="right"),
    Column("Recycled", lambda a: num(a.recycled_count), justify="right", drop=2),
    Column("Excluded", lambda a: num(a.excluded_count), justify="right", drop=1),
    Column("Total", lambda a: num(a.total_count), justify="right"),
)

SMS_CAMPAIGN_COLUMNS: Final[Sequence[Column]] = (
    Column("ID", lambda c: c.id, style="cyan", no_wrap=True),
    Column("Name", lambda c: c.name),
    Column("From", lambda c: c.from_number, drop=5),
    Column("Runs", lambda c: num(c.total_runs), justify="right"),
    Column("Running", lambda c: num(c.running_count), justify="right", drop=4),
    Column("Scheduled", lambda c: num(c.scheduled_count), justify="right", drop=3),
    Column("Done", lambda c: num(c.completed_count), justify="right", drop=2),
    Column("Cancelled", lambda c: num(c.cancelled_count), justify="right", drop=1),
    Column("Last run (UTC)", lambda c: when(c.last_run_at), drop=6),
)

RUN_COLUMNS: Final[Sequence[Column]] = (
    Column("Run", lambda r: str(r.run_id), justify="right"),
    Column("Status", lambda r: status(r.status)),
    Column("Scheduled (UTC)", lambda r: when(r.scheduled_at)),
    Column("Completed (UTC)", lambda r: when(r.completed_at), drop=2),
    Column("Total", lambda r: num(r.total), justify="right"),
    Column("Sent", lambda r: num(r.sent), justify="right", drop=1),
    Column("Failed", lambda r: num(r.failed), justify="right", drop=1),
    Column("Progress", lambda r: f"{r.progress_pct:.0f}%", justify="right"),
)

MESSAGE_COLUMNS: Final[Sequence[Column]] = (
    Column("ID", lambda m: str(m.message_id), justify="right"),
    Column("Run", lambda m: str(m.run_id), justify="right", drop=3),
    Column("Sent (UTC)", lambda m: when(m.sent_at)),
    Column("Dir", lambda m: status(m.direction)),
    Column("Phone", lambda m: m.phone_number),
    Column("Status", lambda m: status(m.status)),
    Column("Cost", lambda m: money(m.cost), justify="right", drop=2),
    Column("Message", lambda m: _cut(m.message, 40), drop=1),
)

PHONE_NUMBER_COLUMNS: Final[Sequence[Column]] = (
    Column("ID", lambda p: str(p.phone_number_id), justify="right"),
    Column("Number", lambda p: p.phone_number, style="cyan", no_wrap=True),
    Column("Type", lambda p: p.type.name),
    Column("Branded display", lambda p: "yes" if p.neustar_branded_call_display else "no"),
    Column("Description", lambda p: _text(p.description), drop=1),
    Column("Added (UTC)", lambda p: when(p.created_at), drop=2),
)

USAGE_COLUMNS: Final[Sequence[Column]] = (
    Column("Campaign", lambda u: u.campaign_id, style="cyan", no_wrap=True),
    Column("Name", lambda u: u.campaign_name),
    Column("Duration", lambda u: duration(u.duration_seconds), justify="right"),
    Column("Hourly rate", lambda u: money(u.hourly_rate), justify="right"),
    Column("Cost", lambda u: money(u.cost), justify="right"),
)


def _details(title: str, rows: Iterable[tuple[str, Any]]) -> RenderableType:
    grid = Table(show_header=False, box=None, padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, cell(value if isinstance(value, Text) else _text(value)))
    return Group(Text(safe_text(title), style="bold"), grid)


def account_view(account: Account) -> RenderableType:
    """The account profile as a label/value grid."""
    rows: list[tuple[str, Any]] = [
        ("ID", account.id),
        ("Name", account.name),
        ("Status", status(account.status)),
        ("Description", account.description),
        ("Created (UTC)", when(account.created_at)),
    ]
    if account.location is not None:
        place = [p for p in (account.location.province_state, account.location.country) if p]
        rows.append(("Location", ", ".join(place) or None))
    for role in ("primary", "technical", "billing"):
        person = getattr(account.contacts, role)
        if person is not None:
            parts = [p for p in (person.name, person.email, person.phone) if p]
            rows.append((f"{role.capitalize()} contact", " · ".join(parts) or None))
    return _details("Account", rows)


def sms_campaign_view(campaign: SmsCampaign) -> RenderableType:
    """One SMS campaign, its run counts and its template."""
    return _details(
        f"SMS campaign {campaign.name}",
        [
            ("ID", campaign.id),
            ("From", campaign.from_number),
            ("Runs", num(campaign.total_runs)),
            ("Running", num(campaign.running_count)),
            ("Scheduled", num(campaign.scheduled_count)),
            ("Completed", num(campaign.completed_count)),
            ("Cancelled", num(campaign.cancelled_count)),
            ("Last run (UTC)", when(campaign.last_run_at)),
            ("Created (UTC)", when(campaign.created_at)),
            ("Updated (UTC)", when(campaign.updated_at)),
            ("Template", _lines(campaign.template)),
        ],
    )


def _lines(value: str | None) -> Text | None:
    """Multi-line server text (a template) that keeps its line breaks."""
    return None if value is None else Text(safe_text(value, lines=True))


def campaign_line(campaign: DialCampaign) -> Text:
    """``id  name  status`` on one line (what start and pause print)."""
    line = Text()
    line.append(safe_text(campaign.id), style="cyan")
    line.append(f"  {safe_text(campaign.name)}  ")
    line.append_text(status(campaign.status))
    return line


def summary_view(summary: ResultsSummary, title: str) -> RenderableType:
    """Totals and the disposition breakdown as a horizontal bar chart."""
    totals = _details(
        title,
        [
            ("Calls", num(summary.total_calls)),
            (
                "Contacts",
                f"{num(summary.total_contacts)} ({summary.contact_rate:.1f}% contact rate)",
            ),
            ("Talk time", duration(summary.total_talk_seconds)),
            ("Dial time", duration(summary.total_dial_seconds)),
            ("First call (UTC)", when(summary.first_call_at)),
            ("Last call (UTC)", when(summary.last_call_at)),
        ],
    )
    chart = Table(header_style="bold", box=None, padding=(0, 1))
    chart.add_column("Disposition")
    chart.add_column("Code", style="dim")
    chart.add_column("Count", justify="right")
    chart.add_column("%", justify="right")
    chart.add_column("", no_wrap=True)
    top = max((d.count for d in summary.dispositions), default=0)
    for row in summary.dispositions:
        size = round(row.count / top * _BAR_WIDTH) if top else 0
        if row.count and not size:
            size = 1
        bar = Text("█" * size, style="green" if row.contacted else "yellow")
        chart.add_row(cell(row.name), cell(row.code), num(row.count), f"{row.percentage:.1f}", bar)
    legend = Text.assemble(
        ("█", "green"), " live contact   ", ("█", "yellow"), " no contact", style="dim"
    )
    return Group(totals, Text(""), chart, legend)


def billing_view(usage: BillingUsage) -> RenderableType:
    """Usage per campaign with a totals row."""
    table = build_table(USAGE_COLUMNS, usage.data, "Billing")
    total = usage.summary
    footers = ["Total", "", duration(total.total_duration_seconds), "", money(total.total_cost)]
    for column, footer in zip(table.columns, footers, strict=True):
        column.footer = footer
    table.show_footer = True
    if total.date_range is not None and (total.date_range.from_ or total.date_range.to):
        start = total.date_range.from_ or "the start"
        end = total.date_range.to or "today"
        table.caption = Text(safe_text(f"from {start} to {end}"))
    return table


def message_summary_line(summary: MessageSummary | None) -> str | None:
    """The totals every page of messages carries, as one caption line."""
    if summary is None:
        return None
    return (
        f"{num(summary.total)} matching messages: {num(summary.sent_count)} sent, "
        f"{num(summary.received_count)} received, total cost {money(summary.total_cost)}"
    )
