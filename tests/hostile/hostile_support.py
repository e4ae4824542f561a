"""What the hostile-server tests share: the test key and the secret-leak checks bound to it
(the checks themselves are ``tests/_key_checks.py``)."""

from __future__ import annotations

import _key_checks
from _clients import ClientFactory
from _key_checks import exception_chain, exception_texts

__all__ = [
    "API_KEY",
    "ClientFactory",
    "assert_exception_clean",
    "assert_locals_clean",
    "assert_no_secret",
    "exception_chain",
    "exception_texts",
]

# A key whose every fragment is easy to spot. Only "ft_…" and the last 4 may ever be shown.
API_KEY = "ft_" + "5ec2e7c0ffee5ec2" * 4


def assert_no_secret(text: str, where: str = "text") -> None:
    """Fail when the key, or any 8 consecutive characters of it, is in ``text`` in any letter
    case, also once JSON escapes and percent-encoding are decoded."""
    _key_checks.assert_no_key(text, API_KEY, where=where)


def assert_locals_clean(exc: BaseException) -> int:
    """No key material in the locals of any traceback frame of ``exc``'s chain (see
    :func:`_key_checks.assert_locals_clean`); returns the number of frames."""
    return _key_checks.assert_locals_clean(exc, API_KEY)


def assert_exception_clean(exc: BaseException) -> None:
    """No key material in any text of ``exc`` or of the exceptions chained to it."""
    _key_checks.assert_exception_clean(exc, API_KEY)
