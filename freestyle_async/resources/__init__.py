"""Endpoint coroutines, one class per API area."""

from .account import AsyncAccount
from .billing import AsyncBilling
from .dial import AsyncDialCampaigns
from .sms import AsyncSmsCampaigns

__all__ = ["AsyncAccount", "AsyncBilling", "AsyncDialCampaigns", "AsyncSmsCampaigns"]
