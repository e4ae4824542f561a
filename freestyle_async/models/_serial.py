"""``to_dict`` and ``to_json`` for every model, page and report (rules: the converter)."""

from __future__ import annotations

from typing import Any

__all__ = ["Serialisable"]


class Serialisable:
    """Adds ``to_dict()`` and ``to_json()``; the work is done by ``freestyle_async._convert``."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """This object as plain Python data with the API's field names (``from``, not ``from_``).

        Nested models become dicts, enums their values (an unknown value stays as the server
        sent it); timestamps, dates and money stay ``datetime``, ``date`` and exact ``Decimal``.
        Structuring the result back gives an equal object.
        """
        from .._convert import unstructure  # the converter imports the models

        result: dict[str, Any] = unstructure(self)
        return result

    def to_json(self) -> str:
        """This object as the JSON the API sends: RFC 3339 UTC timestamps (``Z``), money as
        JSON numbers with exactly the digits received, enums as their values."""
        from .._convert import json_text

        return json_text(self.to_dict())
