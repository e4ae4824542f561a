"""``fs.billing``: usage and cost per campaign."""

from __future__ import annotations

from .._config import NOT_GIVEN, NotGiven, Timeout
from .._convert import decode
from .._extras import ExtraHeaders, ExtraQuery
from .._params import DateArg, check_date_range, path_template
from ..models import BillingUsage
from ._base import Resource

__all__ = ["AsyncBilling"]


class AsyncBilling(Resource):
    """Billing: ``fs.billing``."""

    async def usage(
        self,
        *,
        from_: DateArg | None = None,
        to: DateArg | None = None,
        campaign: str | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
    ) -> BillingUsage:
        """Call duration and cost per campaign (longest first) and the account totals."""
        start, end = check_date_range(from_, to)
        if campaign is not None:
            path_template("{campaign}", campaign=campaign)  # same id rules as a path segment
        body = await self._call(
            "GET",
            "/billing",
            query=[("from", start), ("to", end), ("campaign", campaign)],
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return decode(body, BillingUsage, "GET /billing")
