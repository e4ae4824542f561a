"""The key-leak checks every suite uses: no API key, nor any piece of one, in what a test shows.

``tests/`` is on ``sys.path`` (as for ``_hygiene``): ``from _key_checks import assert_no_key``.
Each suite binds its own test keys (``tests/unit/support.py``,
``tests/hostile/hostile_support.py``).

The check is written here, apart from the SDK's :func:`freestyle_async._secrets.redact`, on
purpose: a test of the redaction must not ask the redaction what counts as a leak.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final
from urllib.parse import unquote

__all__ = [
    "FRAGMENT",
    "assert_exception_clean",
    "assert_locals_clean",
    "assert_no_key",
    "exception_chain",
    "exception_texts",
    "key_fragments",
]

#: The shortest run of a key's characters that counts as a leak.
FRAGMENT: Final = 8
_ESCAPE: Final = re.compile(r"\\+u([0-9a-fA-F]{4})")


def _readings(text: str) -> set[str]:
    """``text`` as a reader could decode it: as it is, ``\\u``-escapes (however often
    escaped) and percent-encoding decoded, either or both in either order, in lower case."""

    def unescape(view: str) -> str:
        return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), view)

    views = (text, unescape(text), unquote(text), unquote(unescape(text)), unescape(unquote(text)))
    return {view.lower() for view in views}


def _fragments(key: str) -> set[str]:
    """Every run of :data:`FRAGMENT` characters of the key, in lower case. Only ``ft_…`` and
    the last 4 may be shown, and no run of 8 fits in that."""
    low = key.lower()
    return {low[i : i + FRAGMENT] for i in range(max(len(low) - FRAGMENT + 1, 1))}


def key_fragments(text: str, *keys: str) -> list[str]:
    """The runs of :data:`FRAGMENT` characters of ``keys`` found in ``text``, in any letter
    case, also once JSON escapes and percent-encoding are decoded (none: no leak)."""
    readings = _readings(text)
    fragments = {fragment for key in keys for fragment in _fragments(key)}
    return sorted(f for f in fragments if any(f in reading for reading in readings))


def assert_no_key(text: str, *keys: str, where: str = "text") -> None:
    """Fail when :func:`key_fragments` finds a piece of one of ``keys`` in ``text``. The
    failure names ``where`` and shows the text with the key material blanked."""
    found = key_fragments(text, *keys)
    if found:
        blank = re.compile("|".join(map(re.escape, found)), re.IGNORECASE)
        shown = next(blank.sub("<KEY>", r) for r in _readings(text) if blank.search(r))
        raise AssertionError(f"API key material in {where}: {shown!r:.300}")


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


def assert_exception_clean(exc: BaseException, *keys: str) -> None:
    """No key material in any text of :func:`exception_texts`."""
    for text in exception_texts(exc):
        assert_no_key(text, *keys, where=f"the exception chain of {type(exc).__name__}")


def assert_locals_clean(exc: BaseException, *keys: str, also: Collection[str] = ()) -> int:
    """What an error reporter that captures locals (Sentry, ``capture_locals=True``) would
    show: ``repr()`` of every local of every frame in the traceback of every exception in the
    chain. Each repr must succeed and hold no key material, nor any of the strings ``also``.
    Returns the number of frames."""
    frames = 0
    for current in exception_chain(exc):
        tb = current.__traceback__
        while tb is not None:
            frames += 1
            where = f"{tb.tb_frame.f_code.co_qualname} (a local of a traceback frame)"
            for name, value in tb.tb_frame.f_locals.items():
                text = f"{name}={value!r}"
                assert_no_key(text, *keys, where=where)
                for secret in also:
                    assert secret not in text, f"{secret!r} appears in {where}"
            tb = tb.tb_next
    return frames
