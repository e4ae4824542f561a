"""The sync facade: `Freestyle`, its resources and `SyncPaginator` (see `freestyle_async.sync`)."""

from ._client import Freestyle
from ._paginator import SyncPaginator
from ._resources import SyncAccount, SyncBilling, SyncDialCampaigns, SyncSmsCampaigns

__all__ = [
    "Freestyle",
    "SyncAccount",
    "SyncBilling",
    "SyncDialCampaigns",
    "SyncPaginator",
    "SyncSmsCampaigns",
]
