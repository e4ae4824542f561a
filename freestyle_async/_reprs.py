"""``repr`` that never raises: error reporters (Sentry, ``capture_locals``) repr every local of
every frame, and a half-built object (its ``__init__`` raised) is one of them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["safe_repr"]

_T = TypeVar("_T")


def safe_repr(method: Callable[[_T], str]) -> Callable[[_T], str]:
    """Decorate a ``__repr__``: when it raises, show ``<ClassName (incomplete)>`` instead."""

    @functools.wraps(method)
    def __repr__(self: _T) -> str:
        try:
            return method(self)
        except Exception:
            return f"<{type(self).__qualname__} (incomplete)>"

    return __repr__
