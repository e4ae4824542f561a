"""The sync facade: ``Freestyle``, its resources and ``SyncPaginator``.

Users import them from :mod:`freestyle_async.sync`, which re-exports this ``__all__``.
"""

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
