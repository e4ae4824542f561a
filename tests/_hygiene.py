"""pytest plugin: a test that leaves an aiohttp session or connector unclosed fails.

Load it for the whole suite from ``tests/conftest.py``::

    pytest_plugins = ["_hygiene"]

Why a plugin and not only ``filterwarnings = error::ResourceWarning``: aiohttp reports a leak
from ``__del__``, where a warning turned into an exception is swallowed as "unraisable", and
then (when the warning is not an error) through the event loop's exception handler, which
only logs. Either may also happen long after the test that leaked, when a reference cycle is
finally collected. This plugin listens on all three channels:

- ``sys.unraisablehook``: a ``ResourceWarning`` raised from ``__del__`` under the
  ``error::ResourceWarning`` filter;
- ``asyncio.BaseEventLoop.call_exception_handler``: the ``"Unclosed client session"``
  context aiohttp hands to the loop, whatever exception handler the loop has;
- warnings recorded while it runs ``gc.collect()`` at each test's teardown, which finds
  sessions dropped inside reference cycles.

The full collection is only run when a session or connector made during the test is still
alive and open (they are tracked in a ``WeakSet``), so a suite of clean tests pays nothing
for it. A leak fails the test in its teardown with the aiohttp message; a leak found only at
the end of the session makes the run fail.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Generator
from typing import Any, Final

import aiohttp
import pytest

__all__ = ["LEAK_PATTERN", "LeakTracker", "tracker"]

LEAK_PATTERN: Final = re.compile(r"Unclosed (client session|connector|connection|response)")


class LeakTracker:
    """Collects aiohttp leak reports from every channel aiohttp uses."""

    def __init__(self) -> None:
        self.leaks: list[str] = []
        self._live: weakref.WeakSet[Any] = weakref.WeakSet()
        self._undo: list[Callable[[], None]] = []

    # -- channels ----------------------------------------------------------------------------

    def note(self, message: str) -> None:
        line = message.splitlines()[0] if message else message
        if line not in self.leaks:
            self.leaks.append(line)

    def unraisable_hook(self, previous: Callable[[Any], object], unraisable: Any, /) -> None:
        exc = unraisable.exc_value
        if isinstance(exc, ResourceWarning) and LEAK_PATTERN.search(str(exc)):
            self.note(str(exc))
            return  # reported by this plugin, with the test that leaked it
        previous(unraisable)

    def _exception_handler_wrapper(self, original: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(original)
        def call_exception_handler(
            loop: asyncio.AbstractEventLoop, context: dict[str, Any]
        ) -> None:
            message = str(context.get("message", ""))
            if LEAK_PATTERN.search(message):
                culprit = next(
                    (
                        context[k]
                        for k in (
                            "client_session",
                            "connector",
                            "client_connection",
                            "client_response",
                        )
                        if k in context
                    ),
                    None,
                )
                self.note(f"{message} {culprit!r}" if culprit is not None else message)
            original(loop, context)

        return call_exception_handler

    def _tracking_init(self, original: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(original)
        def __init__(obj: Any, *args: Any, **kwargs: Any) -> None:
            original(obj, *args, **kwargs)
            self._live.add(obj)

        return __init__

    # -- install -----------------------------------------------------------------------------

    def install(self) -> None:
        """Patch the three channels; :meth:`uninstall` undoes it."""
        previous_hook = sys.unraisablehook
        sys.unraisablehook = functools.partial(self.unraisable_hook, previous_hook)
        self._undo.append(lambda: setattr(sys, "unraisablehook", previous_hook))
        targets: list[tuple[type[Any], str, Callable[[Any], Any]]] = [
            (asyncio.BaseEventLoop, "call_exception_handler", self._exception_handler_wrapper),
            (aiohttp.ClientSession, "__init__", self._tracking_init),
            (aiohttp.BaseConnector, "__init__", self._tracking_init),
        ]
        for cls, name, wrap in targets:
            original = cls.__dict__[name]
            setattr(cls, name, wrap(original))
            self._undo.append(functools.partial(setattr, cls, name, original))

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    # -- check -------------------------------------------------------------------------------

    def _open_objects(self) -> bool:
        return any(not obj.closed for obj in list(self._live))

    def collect(self, *, force: bool = False) -> list[str]:
        """Leaks reported since the last call; runs ``gc.collect()`` first when a tracked
        session or connector is still open (or ``force``)."""
        if force or self._open_objects():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ResourceWarning)
                gc.collect()
            for warning in caught:
                if LEAK_PATTERN.search(str(warning.message)):
                    self.note(str(warning.message))
        leaks, self.leaks = self.leaks, []
        return leaks


tracker: Final = LeakTracker()


def _report(leaks: list[str]) -> str:
    lines = "\n".join(f"  - {leak}" for leak in leaks)
    return (
        f"aiohttp resources were left unclosed ({len(leaks)}):\n{lines}\n"
        "Close every ClientSession / AsyncFreestyle you open (async with ... or await "
        "aclose()); a session dropped without closing leaks its sockets."
    )


def pytest_configure(config: pytest.Config) -> None:
    tracker.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    tracker.uninstall()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield
    leaks = tracker.collect()
    if leaks:
        pytest.fail(_report(leaks), pytrace=False)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = tracker.collect(force=True)
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("\n" + _report(leaks), red=True)
        else:  # pragma: no cover
            print(_report(leaks), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
