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
import re
from collections.abc import Iterator
from typing import Final

from .._secrets import Secret, redact

__all__ = ["safe_text", "secret_scope"]

# C0 controls, DEL, C1 controls, line/paragraph separators, the bidi embeddings, overrides
# and isolates (Trojan Source, CVE-2021-42574), and lone surrogates (a JSON "\ud800" decodes
# to one; no terminal encoding can write it).
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BREAKS: Final = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
_SPACES: Final = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPACES:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: object, *, lines: bool = False) -> str:
    """``value`` as text that is safe on a terminal (see the module docstring), key redacted.

    With ``lines`` true, line breaks (CR LF, CR, NEL, U+2028...) become ``\\n`` and stay.
    """
    text = redact(str(value))
    if _UNSAFE.search(text) is None:
        return text
    if not lines:
        return _UNSAFE.sub(_visible, text)
    return "\n".join(_UNSAFE.sub(_visible, part) for part in _BREAKS.split(text))


@contextlib.contextmanager
def secret_scope(api_key: str | None) -> Iterator[None]:
    """While inside, :func:`redact` (and so :func:`safe_text`) takes ``api_key`` out."""
    secret = Secret(api_key) if api_key else None
    try:
        yield
    finally:
        del secret  # the last reference: the key drops out of the search
