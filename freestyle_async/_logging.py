"""The logging switch: a stderr handler on the SDK's logger, turned on without code.

``FREESTYLE_LOG=debug|info|warning`` (any letter case) is read once, when the first client is
created (not at import), as ``OPENAI_LOG`` and ``STRIPE_LOG`` are: it puts one handler writing
to stderr on the ``freestyle_async`` logger and sets the logger's level. An unknown value
leaves logging as it is and says so in one line on stderr. The CLI's ``--debug`` goes through
:func:`log_to_stderr` too.

There is never more than one such handler: turning it on again changes its level. Every line
it writes has been through :func:`~freestyle_async._secrets.redact`, so the key does not reach
stderr even from a message or traceback that quotes it, and through
:func:`~freestyle_async._terminal.show_controls`, so control characters in a server's error
text (an escape sequence, a bell) are shown as escapes, never obeyed by the terminal.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Final, TextIO

from ._secrets import redact
from ._terminal import show_controls

__all__ = ["ENV_VAR", "LEVELS", "LOGGER_NAME", "LOG_FORMAT", "configure_from_env", "log_to_stderr"]

LOGGER_NAME: Final = "freestyle_async"
ENV_VAR: Final = "FREESTYLE_LOG"
LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
LOG_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_lock = threading.Lock()
_env_read = False


class TerminalSafeFormatter(logging.Formatter):
    """A formatter whose lines (message, traceback and all) have the key taken out and their
    control characters shown as escapes (a traceback keeps its line breaks)."""

    def format(self, record: logging.LogRecord) -> str:
        return show_controls(redact(super().format(record)), lines=True)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time of each line (pytest's capture, a
    ``CliRunner`` or a redirected stream), as ``logging.lastResort`` does."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)  # not StreamHandler's: it would pin today's stderr

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


def _installed(logger: logging.Logger) -> _StderrHandler | None:
    for handler in logger.handlers:
        if isinstance(handler, _StderrHandler):
            return handler
    return None


def log_to_stderr(level: int, *, formatter: logging.Formatter | None = None) -> Callable[[], None]:
    """Log the SDK's records of ``level`` and above to stderr, through the one handler.

    Adds the handler if it is not there yet, else changes its level (and its ``formatter``,
    when given; by default lines go through :class:`TerminalSafeFormatter`). Returns a function
    that puts the logger and the handler back as they were (the CLI calls it when a command
    ends).
    """
    logger = logging.getLogger(LOGGER_NAME)
    with _lock:
        handler = _installed(logger)
        added = handler is None
        if handler is None:
            handler = _StderrHandler()
            handler.setFormatter(TerminalSafeFormatter(LOG_FORMAT))
            logger.addHandler(handler)
        before = (logger.level, handler.level, handler.formatter)
        logger.setLevel(level)
        handler.setLevel(level)
        if formatter is not None:
            handler.setFormatter(formatter)

    def restore() -> None:
        with _lock:
            logger.setLevel(before[0])
            if added:
                logger.removeHandler(handler)
            else:
                handler.setLevel(before[1])
                handler.setFormatter(before[2])

    return restore


def configure_from_env() -> None:
    """Apply ``FREESTYLE_LOG`` the first time it is called in the process (each client's
    creation calls it); later calls do nothing. Unset or empty: nothing is changed."""
    global _env_read
    with _lock:
        if _env_read:
            return
        _env_read = True
    value = os.environ.get(ENV_VAR, "")
    if not value.strip():
        return
    level = LEVELS.get(value.strip().lower())
    if level is None:
        shown = redact(ascii(value[:40]) + ("..." if len(value) > 40 else ""))
        sys.stderr.write(
            f"freestyle_async: ignoring {ENV_VAR}={shown}: expected one of "
            f"{', '.join(LEVELS)} (any letter case)\n"
        )
        return
    log_to_stderr(level)


def _reset() -> None:
    """Forget that ``FREESTYLE_LOG`` was read and take the handler off (for tests)."""
    global _env_read
    logger = logging.getLogger(LOGGER_NAME)
    with _lock:
        _env_read = False
        handler = _installed(logger)
        if handler is not None:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
