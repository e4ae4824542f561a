"""Text from outside made safe for a terminal: control characters shown, never obeyed.

One rule for every place the SDK writes text it did not write itself to a terminal: the
``freestyle`` command (``cli/_safe.py``) and the ``FREESTYLE_LOG`` / ``--debug`` log handler
(``_logging.py``). C0 controls, DEL, C1 controls, line/paragraph separators, every Unicode
Bidi_Control character (the marks U+061C, U+200E, U+200F, the embeddings, overrides and
isolates: Trojan Source, CVE-2021-42574) and lone surrogates (a JSON
``"\\ud800"`` decodes to one; no terminal encoding can write it) become Python escapes
(``\\x1b``, ``\\x9b``, ``\\u202e``), so they cannot move the cursor, clear the screen, write the
clipboard (OSC 52), hide a link (OSC 8), ring the bell or reorder a line. Line breaks and tabs
become spaces, or stay line breaks where the caller keeps lines.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["show_controls"]

_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BREAKS: Final = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
_SPACES: Final = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPACES:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def show_controls(text: str, *, lines: bool = False) -> str:
    """``text`` with its control characters shown as escapes (see the module docstring).

    With ``lines`` true, line breaks (CR LF, CR, NEL, U+2028...) become ``\\n`` and stay.
    """
    if _UNSAFE.search(text) is None:
        return text
    if not lines:
        return _UNSAFE.sub(_visible, text)
    return "\n".join(_UNSAFE.sub(_visible, part) for part in _BREAKS.split(text))
