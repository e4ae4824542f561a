"""What the hostile-server tests share: the test key and the secret-leak checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from freestyle_async import AsyncFreestyle

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
_SECRET_CORE = API_KEY[3:-4]
_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")

ClientFactory = Callable[..., AsyncFreestyle]


def _readings(text: str) -> list[str]:
    """``text`` as a reader could decode it: as it is, ``\\u``-escapes (however often
    escaped) and percent-encoding decoded, in lower case."""
    unescaped = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return [view.lower() for view in {text, unescaped, unquote(text), unquote(unescaped)}]


def assert_no_secret(text: str, where: str = "text") -> None:
    """Fail when the key, or any 8 consecutive characters of its hidden part, is in ``text``
    in any letter case, also once JSON escapes and percent-encoding are decoded."""
    for reading in _readings(text):
        assert API_KEY not in reading, f"the API key appears in {where}"
        for start in range(len(_SECRET_CORE) - 7):
            fragment = _SECRET_CORE[start : start + 8]
            assert fragment not in reading, (
                f"a fragment of the API key appears in {where}: {text!r:.300}"
            )


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception reachable from it: ``__cause__`` and ``__context__`` (even a
    suppressed one: ``raise ... from None`` still keeps it) and the members of groups."""
    found: list[BaseException] = []
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
    return found


def exception_texts(exc: BaseException) -> list[str]:
    """str and repr of ``exc``, its attributes (notes included), and of every exception in
    its cause/context chain (and in exception groups)."""
    texts: list[str] = []
    for current in exception_chain(exc):
        texts += [str(current), repr(current), repr(getattr(current, "__dict__", {}))]
        texts += [repr(arg) for arg in current.args]
    return texts


def assert_locals_clean(exc: BaseException) -> int:
    """What an error reporter that captures locals (Sentry, ``capture_locals=True``) would
    show: ``repr()`` of every local of every frame in the traceback of every exception in the
    chain. Each repr must succeed and hold no key fragment. Returns the number of frames."""
    frames = 0
    for current in exception_chain(exc):
        tb = current.__traceback__
        while tb is not None:
            frames += 1
            where = f"{tb.tb_frame.f_code.co_qualname} (a local of a traceback frame)"
            for name, value in tb.tb_frame.f_locals.items():
                assert_no_secret(f"{name}={value!r}", where)
            tb = tb.tb_next
    return frames


def assert_exception_clean(exc: BaseException) -> None:
    for text in exception_texts(exc):
        assert_no_secret(text, f"the exception chain of {type(exc).__name__}")
