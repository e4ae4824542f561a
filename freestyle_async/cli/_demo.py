"""``freestyle demo``: a tour of the API against an emulator started in-process.

No key and no network: the emulator listens on a free loopback port for the length of the tour,
and the steps use the same client and the same views as the real commands. Each step is headed
by the command that does it against the real API.
"""

from __future__ import annotations

import asyncio
import csv
import os
import random
import tempfile
import time
from typing import TYPE_CHECKING, Any, Final

import attrs
from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..errors import FreestyleError
from ..models import CampaignStatus
from ._commands_check import check_csv, check_view
from ._commands_doctor import diagnosis_view
from ._errors import CliError, ExitCode
from ._output import build_table, make_console
from ._safe import safe_text
from ._settings import Settings
from ._upload import (
    UploadProgress,
    UploadTotals,
    totals_view,
    upload_csv,
    write_rejects,
)
from ._views import (
    ACTIVITY_COLUMNS,
    CAMPAIGN_COLUMNS,
    MESSAGE_COLUMNS,
    RUN_COLUMNS,
    SMS_CAMPAIGN_COLUMNS,
    account_view,
    billing_view,
    campaign_line,
    message_summary_line,
    summary_view,
)

if TYPE_CHECKING:
    from .._client import AsyncFreestyle
    from ..models import DialCampaign

__all__ = ["generate_leads_csv", "run_demo"]

#: CSV headers of the generated file and the ``--map`` options that read them.
DEMO_MAPPING: Final[dict[str, str | None]] = {
    "Phone": "phone1",
    "Name": "account_name",
    "Account": "account_id",
    "Balance": "amount",
    "Email": "email",
}
_FIRST: Final = ("Amelia", "Liam", "Olivia", "Noah", "Chloe", "Jacob", "Maya", "Lucas", "Ava")
_LAST: Final = ("Martin", "Tremblay", "Roy", "Gagnon", "Wilson", "Smith", "Lee", "Brown")
_AREAS: Final = ("416", "647", "514", "604", "403", "204", "902", "613")


def generate_leads_csv(path: str, count: int, *, seed: int = 0) -> int:
    """Write ``count`` generated leads to ``path``, about 2% of them invalid (bad phone,
    name too long, balance not a number) and 1% repeating an earlier phone. Returns how
    many were made invalid on purpose."""
    rng = random.Random(seed)
    invalid = 0
    phones: list[str] = []
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(list(DEMO_MAPPING))
        for i in range(count):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            local = 2_000_000 + (i * 7919) % 8_000_000  # distinct for every i < 8,000,000
            phone = f"+1 ({rng.choice(_AREAS)}) {local // 10_000}-{local % 10_000:04d}"
            name = f"{first} {last}"
            balance = f"{rng.randrange(100, 500_000) / 100:.2f}"
            roll = rng.random()
            if roll < 0.01:
                phone, invalid = f"555-{rng.randrange(100):02d}", invalid + 1
            elif roll < 0.015:
                name, invalid = name + " " + "x" * 60, invalid + 1
            elif roll < 0.02:
                balance, invalid = "n/a", invalid + 1
            elif roll < 0.03 and phones:
                phone = rng.choice(phones)  # a duplicate: the server skips it
            elif len(phones) < 1000:
                phones.append(phone)
            writer.writerow(
                [phone, name, f"ACC-{100_000 + i}", balance, f"{first}.{last}{i}@example.com"]
            )
    return invalid


def _head(path: str, lines: int) -> list[str]:
    with open(path, encoding="utf-8") as file:
        return [next(file, "").rstrip("\n") for _ in range(lines)]


class _Tour:
    """Prints the steps of the demo on stdout; progress goes to stderr."""

    def __init__(self, out: Console, err: Console) -> None:
        self.out = out
        self.err = err
        self.steps = 0

    def step(self, command: str, what: str) -> None:
        self.steps += 1
        self.out.print()
        self.out.print(Rule(Text(f"{self.steps}. {safe_text(what)}", style="bold"), align="left"))
        self.out.print(Text(f"$ {safe_text(command)}", style="bold green"))

    def show(self, renderable: RenderableType) -> None:
        self.out.print(renderable)

    def say(self, text: str) -> None:
        self.out.print(Text(safe_text(text), style="dim"))


def _pick_campaign(campaigns: list[DialCampaign]) -> DialCampaign:
    for wanted in (CampaignStatus.PAUSED, CampaignStatus.ACTIVE):
        for campaign in campaigns:
            if campaign.status == wanted and campaign.dialed > 0:
                return campaign
    return campaigns[0]


async def _tour(tour: _Tour, fs: AsyncFreestyle, workdir: str, leads: int, seed: int) -> None:
    tour.step("freestyle doctor", "Is everything in place? Key, URL, proxy, network, clock")
    tour.show(diagnosis_view(await fs.diagnose()))

    tour.step("freestyle account", "Who am I? The account behind the API key")
    tour.show(account_view(await fs.account.get()))

    tour.step("freestyle campaigns list", "Dial campaigns, newest first")
    campaigns = [c async for c in fs.dial_campaigns.list()]
    tour.show(build_table(CAMPAIGN_COLUMNS, campaigns, None, tour.out.width))
    campaign = _pick_campaign(campaigns)
    cid = campaign.id

    tour.step(f"freestyle campaigns start {cid}", "Start a campaign, then pause it again")
    tour.show(campaign_line(await fs.dial_campaigns.start(cid)))
    tour.out.print(Text(f"$ freestyle campaigns pause {safe_text(cid)}", style="bold green"))
    tour.show(campaign_line(await fs.dial_campaigns.pause(cid)))

    csv_path = os.path.join(workdir, "leads.csv")
    rejects_path = os.path.join(workdir, "rejects.csv")
    invalid = generate_leads_csv(csv_path, leads, seed=seed)
    maps = " ".join(f"--map {h}={f}" for h, f in DEMO_MAPPING.items())
    tour.step(
        f"freestyle leads check leads.csv {maps} --normalized clean.csv",
        "Check the file offline first: no key, no network (exit 8: some rows would be rejected)",
    )
    checked = await asyncio.to_thread(
        check_csv,
        csv_path,
        columns=DEMO_MAPPING,
        normalized=os.path.join(workdir, "clean.csv"),
    )
    tour.show(check_view(attrs.evolve(checked, file="leads.csv", normalized_file="clean.csv")))
    tour.step(
        f"freestyle leads upload {cid} leads.csv {maps} --rejects rejects.csv",
        f"Upload {leads:,} generated leads ({invalid:,} invalid on purpose, some duplicates)",
    )
    bar = UploadProgress(tour.err, "Uploading leads.csv")
    report, stopped = await upload_csv(fs, cid, csv_path, bar=bar, columns=DEMO_MAPPING)
    issues = list(report.issues(include_refused=True))
    written = write_rejects(issues, rejects_path)
    tour.show(totals_view(UploadTotals.from_report(report, "rejects.csv", written), issues))
    if stopped is not None or not report.ok:
        raise CliError(
            f"the demo upload did not complete: {report.failed} failed, {report.unknown} unknown",
            ExitCode.ERROR,
        )
    head = await asyncio.to_thread(_head, rejects_path, 3)
    tour.say("First lines of rejects.csv:")
    for line in head:
        if line:
            tour.out.print(Text("  " + safe_text(line[:110]) + ("…" if len(line) > 110 else "")))

    tour.step(f"freestyle summary {cid}", "Call results summary, by disposition")
    tour.show(summary_view(await fs.dial_campaigns.results_summary(cid), f"Results of {cid}"))

    tour.step(f"freestyle activity {cid} --limit 4", "Activity log: our import is on top")
    events = [e async for e in fs.dial_campaigns.list_activity(cid, per_page=4)][:4]
    tour.show(build_table(ACTIVITY_COLUMNS, events, None, tour.out.width))

    tour.step("freestyle sms list", "SMS campaigns")
    sms = [c async for c in fs.sms_campaigns.list()]
    tour.show(build_table(SMS_CAMPAIGN_COLUMNS, sms, None, tour.out.width))
    chosen = max(sms, key=lambda c: c.total_runs)

    tour.step(f"freestyle sms runs {chosen.id}", f"Runs of {chosen.name}")
    runs = [r async for r in fs.sms_campaigns.list_runs(chosen.id)]
    tour.show(build_table(RUN_COLUMNS, runs, None, tour.out.width))

    tour.step(f"freestyle sms messages {chosen.id} --limit 5", "Latest messages, with totals")
    page = await fs.sms_campaigns.list_messages(chosen.id, per_page=5).first_page()
    table = build_table(MESSAGE_COLUMNS, page.data, None, tour.out.width)
    table.caption = message_summary_line(page.summary)
    table.caption_justify = "left"
    tour.show(table)

    tour.step("freestyle billing", "Usage and cost per campaign")
    tour.show(billing_view(await fs.billing.usage()))


async def _run(settings: Settings, tour: _Tour, leads: int, seed: int) -> tuple[str, int]:
    from .._client import AsyncFreestyle
    from ..testing import Emulator

    async with Emulator(seed=seed) as emu:
        tour.say(f"Started the FREESTYLE API emulator on {emu.base_url} (seed {seed}).")
        async with AsyncFreestyle(
            emu.api_key,
            base_url=emu.base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        ) as fs:
            with tempfile.TemporaryDirectory(prefix="freestyle-demo-") as workdir:
                await _tour(tour, fs, workdir, leads, seed)
        return emu.base_url, emu.counters.requests


def run_demo(settings: Settings, *, leads: int, seed: int) -> None:
    """Run the tour; a failure is one error line, like any command."""
    tour = _Tour(make_console(), make_console(stderr=True))
    started = time.perf_counter()
    try:
        base_url, requests = asyncio.run(_run(settings, tour, leads, seed))
    except FreestyleError as exc:
        raise settings.fail(
            exc, "the demo", "this is a bug in the demo: please report it"
        ) from None
    except OSError as exc:
        raise CliError(
            f"the demo could not start the emulator on loopback: {exc}", ExitCode.ERROR
        ) from None
    elapsed = time.perf_counter() - started
    tour.out.print()
    tour.out.print(Rule(Text("Done", style="bold"), align="left"))
    summary: list[Any] = [
        f"Demo finished in {elapsed:.1f} s: {tour.steps} steps, {requests:,} API requests to "
        f"the emulator at {base_url} (now stopped).",
        "Run it yourself: `freestyle emulator` in one terminal, export the two variables it "
        "prints, then try the commands above (add --format json or --format csv).",
    ]
    for line in summary:
        tour.out.print(Text(line))
