"""Endpoint coroutines, one class per API area."""

from .account import Account
from .billing import Billing
from .dial import DialCampaigns
from .sms import SmsCampaigns

__all__ = ["Account", "Billing", "DialCampaigns", "SmsCampaigns"]
