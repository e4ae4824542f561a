"""What the hostile-server tests share: the test key and the secret-leak checks."""

from __future__ import annotations

from collections.abc import Callable

from freestyle_async import AsyncFreestyle

__all__ = [
    "API_KEY",
    "ClientFactory",
    "assert_exception_clean",
    "assert_no_secret",
    "exception_texts",
]

# A key whose every fragment is easy to spot. Only "ft_…" and the last 4 may ever be shown.
API_KEY = "ft_" + "5ec2e7c0ffee5ec2" * 4
_SECRET_CORE = API_KEY[3:-4]

ClientFactory = Callable[..., AsyncFreestyle]


def assert_no_secret(text: str, where: str = "text") -> None:
    """Fail when the key, or any 8 consecutive characters of its hidden part, is in ``text``."""
    assert API_KEY not in text, f"the API key appears in {where}"
    for start in range(len(_SECRET_CORE) - 7):
        fragment = _SECRET_CORE[start : start + 8]
        assert fragment not in text, f"a fragment of the API key appears in {where}: {text!r:.300}"


def exception_texts(exc: BaseException) -> list[str]:
    """str and repr of ``exc``, its attributes, and of every exception in its cause/context
    chain (and in exception groups)."""
    texts: list[str] = []
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), repr(getattr(current, "__dict__", {}))]
        texts += [repr(arg) for arg in current.args]
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
    return texts


def assert_exception_clean(exc: BaseException) -> None:
    for text in exception_texts(exc):
        assert_no_secret(text, f"the exception chain of {type(exc).__name__}")
