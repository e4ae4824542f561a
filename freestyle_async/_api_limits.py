"""The API's own limits, as its reference states them: the one place the resources, the bulk
upload and the command read them from.

Not to be confused with :mod:`._limits`, the limits a client puts on itself (a retry budget,
a request rate, a concurrency cap).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "FIELD_LIMITS",
    "MAX_PER_PAGE_ACTIVITY",
    "MAX_PER_PAGE_CALL_RESULTS",
    "MAX_PER_PAGE_DIAL_CAMPAIGNS",
    "MAX_PER_PAGE_SMS_CAMPAIGNS",
    "MAX_PER_PAGE_SMS_MESSAGES",
    "MAX_PER_PAGE_SMS_RUNS",
    "MAX_UPLOAD_RECORDS",
]

#: Records in one ``POST /dial-campaigns/{id}/data`` request.
MAX_UPLOAD_RECORDS: Final = 1000
#: The contact fields of limited length, and their most characters.
FIELD_LIMITS: Final[dict[str, int]] = {
    "account_id": 100,
    "account_name": 50,
    **{f"data{i}": 120 for i in range(1, 7)},
}

# The largest ``per_page`` of each list endpoint.
#: ``GET /dial-campaigns``
MAX_PER_PAGE_DIAL_CAMPAIGNS: Final = 100
#: ``GET /dial-campaigns/{id}/results``
MAX_PER_PAGE_CALL_RESULTS: Final = 200
#: ``GET /dial-campaigns/{id}/activity``
MAX_PER_PAGE_ACTIVITY: Final = 200
#: ``GET /sms-campaigns``
MAX_PER_PAGE_SMS_CAMPAIGNS: Final = 100
#: ``GET /sms-campaigns/{id}/runs``
MAX_PER_PAGE_SMS_RUNS: Final = 100
#: ``GET /sms-campaigns/{id}/messages``
MAX_PER_PAGE_SMS_MESSAGES: Final = 200
