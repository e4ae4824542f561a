"""Shapes shared by several API areas."""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["DateRange"]


@attrs.frozen
class DateRange:
    """The ``from``/``to`` filters the server applied (``None`` when not given)."""

    from_: dt.date | None = None
    to: dt.date | None = None
