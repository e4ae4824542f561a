"""The contact record sent to ``upload_data`` and ``upload_leads``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from ._serial import Serialisable

__all__ = ["CONTACT_FIELDS", "Contact", "contact_to_dict", "record_fields"]

Number = int | float | Decimal
Moment = str | int | float | dt.datetime | dt.date


@attrs.frozen
class Contact(Serialisable):
    """One lead for a dial campaign: every contact field of the API reference.

    Only ``phone1`` is required. Phones may carry formatting (``(416) 555-0100``,
    ``+1 416.555.0100``); ``upload_leads`` normalises them to 10 digits before sending.
    """

    phone1: str
    phone2: str | None = None
    phone3: str | None = None
    phone4: str | None = None
    phone5: str | None = None
    phone6: str | None = None
    phone7: str | None = None
    phone8: str | None = None
    phone9: str | None = None
    phone10: str | None = None
    account_id: str | None = None
    account_name: str | None = None
    email: str | None = None
    street: str | None = None
    city: str | None = None
    province_state: str | None = None
    postal_zip: str | None = None
    dob: str | dt.date | None = None
    amount: Number | None = None
    amount_secondary: Number | None = None
    account_id_secondary: str | None = None
    datetime: Moment | None = None
    datetime_secondary: Moment | None = None
    language: str | None = None
    external_name: str | None = None
    data1: str | None = None
    data2: str | None = None
    data3: str | None = None
    data4: str | None = None
    data5: str | None = None
    data6: str | None = None
    timezone_id: int | None = None
    client_name: str | None = None


CONTACT_FIELDS: Final[tuple[str, ...]] = tuple(a.name for a in attrs.fields(Contact))


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    """The fields of ``contact`` that are set, as a dict (``None`` fields left out)."""
    return {name: value for name in CONTACT_FIELDS if (value := getattr(contact, name)) is not None}


def record_fields(record: object) -> Mapping[str, Any] | None:
    """The fields of a record: a mapping as it is, a :class:`Contact`'s fields that are set;
    ``None`` for anything else (which is not a record)."""
    if isinstance(record, Contact):
        return contact_to_dict(record)
    if isinstance(record, Mapping):
        return record
    return None
