"""The synchronous face of freestyle_async: ``Freestyle``, a thin thread bridge over
:class:`~freestyle_async.AsyncFreestyle`.

::

    from freestyle_async.sync import Freestyle

    with Freestyle() as fs:              # key from FREESTYLE_API_KEY, or api_key=...
        for campaign in fs.dial_campaigns.list(status="active"):
            print(campaign.name)
        account = fs.account.get()

One event loop runs on one daemon thread per ``Freestyle``; every method hands its async twin
to that loop and blocks until it returns. Names, parameters and return types are the async
client's, with :class:`SyncPaginator` in place of ``AsyncPaginator``.
"""

from ._sync import (
    Freestyle,
    SyncAccount,
    SyncBilling,
    SyncDialCampaigns,
    SyncPaginator,
    SyncSmsCampaigns,
)

__all__ = [
    "Freestyle",
    "SyncAccount",
    "SyncBilling",
    "SyncDialCampaigns",
    "SyncPaginator",
    "SyncSmsCampaigns",
]
