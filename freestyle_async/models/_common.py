"""Shapes shared by several API areas."""

from __future__ import annotations

import datetime as dt

import attrs

from ._serial import Serialisable

__all__ = ["DateRange"]


@attrs.frozen
class DateRange(Serialisable):
    """The ``from``/``to`` filters the server applied (``None`` when not given)."""

    from_: dt.date | None = None
    to: dt.date | None = None
