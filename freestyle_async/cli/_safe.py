"""Server text is data, never code: text the command did not write, made safe for a terminal.

:func:`safe_text` shows control characters (C0, DEL, C1), bidirectional overrides and lone
surrogates as Python escapes (``\\x1b``, ``\\x9b``, ``\\u202e``, ``\\ud800``), so they cannot
move the cursor, clear the screen, write the clipboard (OSC 52), hide a link (OSC 8), ring the
bell or reorder a line; line breaks and tabs become spaces (or stay line breaks where a view
keeps lines). It also takes the API key out (:func:`freestyle_async._secrets.redact`: the key
or any fragment of it, escaped or not). Callers put the result in a rich ``Text``, never in a
markup string, so ``[bold]`` or ``[/]`` from a server stays text.

:func:`secret_scope` registers the command's key for that redaction while the command runs,
whether or not a client is open at that moment.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .._secrets import Secret, redact
from .._terminal import show_controls

__all__ = ["safe_text", "secret_scope"]


def safe_text(value: object, *, lines: bool = False) -> str:
    """``value`` as text that is safe on a terminal (see the module docstring), key redacted.

    With ``lines`` true, line breaks (CR LF, CR, NEL, U+2028...) become ``\\n`` and stay.
    """
    return show_controls(redact(str(value)), lines=lines)


@contextlib.contextmanager
def secret_scope(api_key: str | None) -> Iterator[None]:
    """While inside, :func:`redact` (and so :func:`safe_text`) takes ``api_key`` out."""
    secret = Secret(api_key) if api_key else None
    try:
        yield
    finally:
        del secret  # the last reference: the key drops out of the search
