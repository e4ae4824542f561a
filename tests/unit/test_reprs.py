"""``repr`` never raises, and a constructor that refuses its arguments leaves nothing secret in
the traceback.

Error reporters (Sentry, ``traceback`` with ``capture_locals=True``) call ``repr`` on every local
of every frame; the ``self`` of an ``__init__`` that raised is a half-built object. Every class
of the package with a hand-written ``__repr__`` or ``__str__`` (found by walking its modules)
must print even when built without ``__init__``.
"""

from __future__ import annotations

import enum
import importlib
import os
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _key_checks import assert_locals_clean

import freestyle_async
from freestyle_async import AsyncFreestyle, Freestyle, ValidationError

from .support import API_KEY, BASE_URL, OTHER_KEY, ClientFactory, assert_no_key

_PACKAGE_DIR = os.path.dirname(freestyle_async.__file__)


def _own_method(cls: type, name: str) -> bool:
    """Whether ``cls`` itself defines ``name`` in the package's source (attrs' generated
    reprs are not hand-written: attrs sets every field before any validator can raise)."""
    method = vars(cls).get(name)
    code = getattr(getattr(method, "__wrapped__", method), "__code__", None)
    return code is not None and code.co_filename.startswith(_PACKAGE_DIR)


def _classes_with_own_reprs() -> Iterator[tuple[type, str]]:
    seen: set[type] = set()
    for info in pkgutil.walk_packages(freestyle_async.__path__, "freestyle_async."):
        if info.name.endswith("__main__"):
            continue
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, type) and value not in seen:
                seen.add(value)
                for name in ("__repr__", "__str__"):
                    if _own_method(value, name) and not issubclass(value, enum.Enum):
                        yield value, name


CASES = sorted(_classes_with_own_reprs(), key=lambda case: (case[0].__qualname__, case[1]))


def test_the_sweep_finds_the_classes_of_every_part() -> None:
    names = {cls.__qualname__ for cls, _ in CASES}
    assert {
        "AsyncFreestyle",
        "Freestyle",
        "AsyncPaginator",
        "SyncPaginator",
        "Portal",
        "RetryTokens",
        "RequestGate",
        "Secret",
        "BulkUploadReport",
        "CsvRow",
        "APIError",
    } <= names


@pytest.mark.parametrize(
    ("cls", "method"), CASES, ids=[f"{cls.__qualname__}.{m}" for cls, m in CASES]
)
def test_a_half_built_object_still_prints(cls: type, method: str) -> None:
    obj = cls.__new__(cls)
    text = getattr(obj, method)()
    assert isinstance(text, str) and text


# ------------------------------------------------------------ constructors that raise
Construct = Callable[[ClientFactory], Any]
REFUSED: dict[str, Construct] = {
    "bad base_url": lambda make: AsyncFreestyle(API_KEY, base_url="http://example.com/v1"),
    "base_url with a password": lambda make: AsyncFreestyle(
        API_KEY, base_url="https://user:hunter2pass@example.com/v1"
    ),
    "bad max_connections": lambda make: AsyncFreestyle(
        API_KEY, base_url=BASE_URL, max_connections=0
    ),
    "bad hook": lambda make: AsyncFreestyle(API_KEY, base_url=BASE_URL, on_retry=5),
    "bad key (the refused key is secret too)": lambda make: AsyncFreestyle(API_KEY + "\n"),
    "with_options: bad base_url": lambda make: make().with_options(
        api_key=OTHER_KEY, base_url="http://example.com/v1"
    ),
    "with_options: bad key": lambda make: make().with_options(api_key=OTHER_KEY + " "),
    "with_options: bad timeout": lambda make: make().with_options(
        api_key=OTHER_KEY, timeout="soon"
    ),
    "sync: bad base_url": lambda make: Freestyle(API_KEY, base_url="http://example.com/v1"),
    "sync: session": lambda make: Freestyle(API_KEY, base_url=BASE_URL, session=object()),
    "sync: bad key": lambda make: Freestyle(API_KEY + "\t"),
}


def _assert_locals_print_cleanly(exc: BaseException) -> None:
    """What a reporter that captures locals would show, for every frame of the traceback and
    of every chained exception: each repr succeeds, with no key and no password."""
    frames = assert_locals_clean(exc, API_KEY, OTHER_KEY, also=("hunter2pass",))
    assert frames > 1


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_constructor_leaves_no_secret_and_no_broken_repr(
    case: str, make_client: ClientFactory
) -> None:
    with pytest.raises(ValidationError) as info:
        REFUSED[case](make_client)
    assert_no_key(str(info.value))
    assert "hunter2pass" not in str(info.value)
    _assert_locals_print_cleanly(info.value)
