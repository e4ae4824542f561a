"""The account profile and its phone numbers."""

from __future__ import annotations

import datetime as dt

import attrs

from ._enums import AccountStatus
from ._serial import Serialisable

__all__ = [
    "Account",
    "AccountContact",
    "AccountContacts",
    "Location",
    "PhoneNumber",
    "PhoneNumberType",
]


@attrs.frozen
class AccountContact(Serialisable):
    """A contact person of the account."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


@attrs.frozen
class AccountContacts(Serialisable):
    """Contact details grouped by role."""

    primary: AccountContact | None = None
    technical: AccountContact | None = None
    billing: AccountContact | None = None


@attrs.frozen
class Location(Serialisable):
    """Where the account is."""

    country: str | None = None
    province_state: str | None = None


@attrs.frozen
class Account(Serialisable):
    """The account profile associated with the API key."""

    id: str
    name: str
    status: AccountStatus | str
    created_at: dt.datetime
    contacts: AccountContacts = attrs.field(factory=AccountContacts)
    description: str | None = None
    location: Location | None = None


@attrs.frozen
class PhoneNumberType(Serialisable):
    """The type of a phone number."""

    id: int
    name: str


@attrs.frozen
class PhoneNumber(Serialisable):
    """A phone number assigned to the account."""

    phone_number_id: int
    phone_number: str
    type: PhoneNumberType
    neustar_branded_call_display: bool
    created_at: dt.datetime
    description: str | None = None
