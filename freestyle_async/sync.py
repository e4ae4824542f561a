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

The names are those of the ``freestyle_async._sync`` package (its ``__all__``): this module
is their public address.
"""

from ._sync import *  # noqa: F403
from ._sync import __all__ as __all__
