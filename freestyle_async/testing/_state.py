"""The emulator's in-memory store: seeded accounts, what uploads and PATCHes change, counters."""

from __future__ import annotations

import time
from typing import Any

from ._faults import FaultInjector, Faults
from ._model import REFERENCE_NOW, Account, Counters, DialCampaign, JSONDict, ResultsIndex
from ._model import activity_event as _activity_event
from ._seed import SeedIds, build_accounts, generate_results
from ._upload import ingest, stored

__all__ = ["EmulatorState"]


class EmulatorState:
    """Everything one emulator serves, built deterministically from ``seed``.

    Three accounts: ``main`` (:attr:`api_key`), ``other`` (:attr:`other_api_key`, its own data)
    and ``disabled`` (:attr:`disabled_api_key`, API access disabled). Timestamps the emulator
    writes at run time (PATCH, uploads) come from a clock that starts at the seed's reference
    "now", 2026-06-30T12:00:00Z, and advances with real time, so they sort after seed data.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        results_per_campaign: int = 200,
        faults: Faults | None = None,
        keep_records: bool = True,
    ) -> None:
        if results_per_campaign < 0:
            raise ValueError("results_per_campaign must be >= 0")
        self.seed = seed
        self.results_per_campaign = results_per_campaign
        self.keep_records = keep_records
        self._ids = SeedIds()
        self.accounts: dict[str, Account] = build_accounts(seed, self._ids)
        self._by_key = {account.api_key: account for account in self.accounts.values()}
        self.counters = Counters()
        self.injector = FaultInjector(faults, self.counters)
        self._started = time.monotonic()

    @property
    def api_key(self) -> str:
        return self.accounts["main"].api_key

    @property
    def other_api_key(self) -> str:
        return self.accounts["other"].api_key

    @property
    def disabled_api_key(self) -> str:
        return self.accounts["disabled"].api_key

    @property
    def faults(self) -> Faults | None:
        return self.injector.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self.injector.faults = faults

    def now(self) -> int:
        """The emulator clock, in Unix seconds."""
        return REFERENCE_NOW + int(time.monotonic() - self._started)

    def account(self, api_key: str | None = None) -> Account:
        """The account an API key belongs to (the main account when ``None``)."""
        if api_key is None:
            return self.accounts["main"]
        account = self._by_key.get(api_key)
        if account is None:
            raise KeyError("no emulator account has that API key")
        return account

    def lookup_key(self, api_key: str) -> Account | None:
        return self._by_key.get(api_key)

    def find_dial_campaign(self, campaign_id: str) -> DialCampaign | None:
        for account in self.accounts.values():
            campaign = account.dial_campaigns.get(campaign_id)
            if campaign is not None:
                return campaign
        return None

    def results(self, campaign: DialCampaign) -> ResultsIndex:
        """The campaign's call results, generated on first access."""
        if campaign.results is None:
            campaign.results = generate_results(self.seed, campaign, self.results_per_campaign)
        return campaign.results

    def set_status(self, campaign: DialCampaign, status: str) -> None:
        """PATCH: a change of status stamps ``updated_at`` and logs Started (3) / Stopped (2)."""
        if campaign.status == status:
            return
        now = self.now()
        campaign.status = status
        self._log(campaign, 3 if status == "active" else 2, now)

    def upload(self, campaign: DialCampaign, records: list[Any], body: bytes) -> JSONDict:
        """Append a batch to a campaign; returns the response's ``data`` object.

        ``body`` is the request body ``records`` was decoded from: kept as is (with the indices
        of the records inserted) it is the compact form :meth:`stored_records` decodes again.
        """
        outcome = ingest(records, campaign.phones, keep=self.keep_records)
        if outcome.kept:
            campaign.batches.append((body, outcome.kept))
        campaign.total_leads += outcome.inserted
        counters = self.counters
        counters.records_received += len(records)
        counters.records_stored += outcome.inserted
        counters.duplicates_seen += outcome.duplicates
        counters.invalid_seen += outcome.invalid
        self._log(
            campaign,
            1,
            self.now(),
            imported=outcome.inserted,
            recycled=outcome.duplicates,
            excluded=outcome.invalid,
            total=len(records),
        )
        return {
            "inserted": outcome.inserted,
            "skipped": outcome.duplicates + outcome.invalid,
            "duplicates": outcome.duplicates,
            "invalid": outcome.invalid,
            "total_leads": campaign.total_leads,
            "errors": outcome.errors,
        }

    def stored_records(self, campaign: DialCampaign) -> list[JSONDict]:
        """Records uploads inserted in the campaign, in order, phones normalised."""
        return stored(campaign.batches)

    def _log(self, campaign: DialCampaign, type_id: int, now: int, **counts: int) -> None:
        event = _activity_event(next(self._ids.activity), type_id, now, **counts)
        campaign.activity.append(event)
        campaign.updated_at = event["created_at"]
