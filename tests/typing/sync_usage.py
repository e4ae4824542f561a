"""Typed use of the sync facade: ``mypy --strict tests/typing/sync_usage.py`` must pass.

Every assignment states the precise type a call returns, so a wrong return type, a lost
generic parameter or an ``Any`` leaking out of the bridge shows up as a mypy error. It talks
to a server only when run as a script (against the emulator, e.g.
``FREESTYLE_BASE_URL=http://127.0.0.1:8765/v1 FREESTYLE_API_KEY=... python sync_usage.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import assert_type

from freestyle_async import (
    Account,
    ActivityEvent,
    ActivityType,
    AsyncFreestyle,
    BillingUsage,
    CallResult,
    CampaignStatus,
    Contact,
    DialCampaign,
    MessageSummary,
    Page,
    PhoneNumber,
    RawResponse,
    ResultsSummary,
    SmsCampaign,
    SmsMessage,
    SmsRun,
    Timeout,
    UploadSummary,
)
from freestyle_async.bulk import BulkProgress, BulkUploadReport
from freestyle_async.sync import (
    Freestyle,
    SyncAccount,
    SyncBilling,
    SyncDialCampaigns,
    SyncPaginator,
    SyncSmsCampaigns,
)


def dial(fs: Freestyle) -> None:
    campaigns: SyncDialCampaigns = fs.dial_campaigns
    paginator: SyncPaginator[DialCampaign] = campaigns.list(status=CampaignStatus.ACTIVE)
    for c in paginator:
        name: str = c.name
        leads: int = c.total_leads
        print(name, leads)
    first: Page[DialCampaign] = campaigns.list(per_page=100).first_page()
    has_next: bool = first.has_next
    pages: Iterator[Page[DialCampaign]] = campaigns.list().pages()
    for page in pages:
        items: list[DialCampaign] = page.data
        print(len(items), has_next)

    camp: DialCampaign = campaigns.pause("c_1")
    camp = campaigns.start(camp.id, timeout=5, max_retries=0)
    camp = campaigns.update_status(camp.id, "paused", timeout=Timeout(total=10.0))
    status: CampaignStatus | str = camp.status
    print(status)

    summary: UploadSummary = campaigns.upload_data(
        camp.id, [{"phone1": "4165550100"}, Contact(phone1="4165550101")]
    )
    inserted: int = summary.inserted

    def on_progress(progress: BulkProgress) -> None:
        done: int = progress.records_done
        print(done)

    leads_source = ({"phone1": f"416555{i:04d}"} for i in range(5_000))
    report: BulkUploadReport = campaigns.upload_leads(
        camp.id, leads_source, concurrency=8, on_progress=on_progress, on_unknown="report"
    )
    balanced: bool = report.balanced
    print(inserted, balanced)

    results: SyncPaginator[CallResult] = campaigns.list_results(
        camp.id, from_=dt.date(2026, 5, 1), to="2026-05-31", disposition=1
    )
    for r in results:
        amount: Decimal | None = r.amount
        print(amount)
    stats: ResultsSummary = campaigns.results_summary(camp.id, from_="2026-05-01")
    print(stats)
    for a in campaigns.list_activity(camp.id, type=ActivityType.RECORDS_IMPORTED):
        event: ActivityEvent = a
        print(event.activity_id)


def sms(fs: Freestyle) -> None:
    sms_campaigns: SyncSmsCampaigns = fs.sms_campaigns
    for s in sms_campaigns.list(status="running"):
        sc: SmsCampaign = sms_campaigns.get(s.id)
        print(sc.name)
        runs: SyncPaginator[SmsRun] = sms_campaigns.list_runs(sc.id)
        for run in runs:
            run_id: int = run.run_id
            print(run_id)
        page: Page[SmsMessage] = sms_campaigns.list_messages(
            sc.id, direction="received", per_page=50
        ).first_page()
        totals: MessageSummary | None = page.summary
        print(totals)


def account_and_billing(fs: Freestyle) -> None:
    account: SyncAccount = fs.account
    acct: Account = account.get()
    numbers: list[PhoneNumber] = account.phone_numbers()
    billing: SyncBilling = fs.billing
    bill: BillingUsage = billing.usage(from_="2026-05-01", to=dt.date(2026, 5, 31))
    print(acct.name, len(numbers), bill.summary)


def raw_responses(fs: Freestyle) -> None:
    raw = fs.with_raw_response(fs.account.get)(timeout=5)
    assert_type(raw, RawResponse[Account])
    assert_type(raw.parse(), Account)
    page = fs.with_raw_response(fs.sms_campaigns.list().first_page)()
    assert_type(page, RawResponse[Page[SmsCampaign]])
    print(raw.status, raw.headers.get("X-Request-Id"), raw.request_id, raw.elapsed, page.parsed)


async def raw_responses_async(fs: AsyncFreestyle) -> None:
    raw = await fs.with_raw_response(fs.account.phone_numbers)(max_retries=1)
    assert_type(raw, RawResponse[list[PhoneNumber]])
    summary = await fs.with_raw_response(fs.dial_campaigns.results_summary)("c_1")
    assert_type(summary.parsed, ResultsSummary)


def lifecycle() -> None:
    with Freestyle(timeout=30, max_retries=3) as fs:
        same: Freestyle = fs.with_options(timeout=5)
        url: str = fs.base_url
        timeout: Timeout = fs.timeout
        retries: int = fs.max_retries
        closed: bool = same.closed
        print(url, timeout, retries, closed)
        dial(fs)
        sms(fs)
        account_and_billing(fs)
        raw_responses(fs)
    fs.close()


if __name__ == "__main__":
    lifecycle()
