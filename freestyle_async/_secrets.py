"""Keeping the API key out of everything the SDK shows.

A server may quote the key back: in an error body, a header (``X-Request-Id``, ``Location``),
a value that does not fit a model. :func:`redact` is the one function that takes it out of a
string; the exceptions in :mod:`freestyle_async.errors` apply it to every message, field and
note they hold, so whatever reaches ``str()``, ``repr()``, a log line, an event or a pickle has
been through it.

What counts as the key (each match is replaced by :func:`redact_key`'s ``ft_…`` + last 4):

- the key, or any run of at least :data:`MIN_FRAGMENT` consecutive characters of it (a server
  that truncates what it echoes), in any letter case;
- found in the text as it is, or in the text with JSON string escapes (``\\u0061``) and URL
  percent-encoding (``%61``) decoded. When only the decoded text holds the key, the decoded text
  is what is shown (redacted).

Other transforms (base64, characters interleaved with the key's) are not recognised.

The keys searched for are those of the clients alive in the process: each client keeps a
:class:`Secret`, and a secret no longer referenced drops out of the search by itself.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable
from typing import Any, Final, NoReturn
from urllib.parse import unquote

__all__ = ["MIN_FRAGMENT", "KeyHolder", "Secret", "redact", "redact_json", "redact_key"]

MIN_FRAGMENT: Final = 8
# More fragments than this in one search: the texts are withheld whole (a flood of the key
# is no message worth showing, and each fragment costs a step of Python).
_MAX_FRAGMENTS: Final = 10_000
_FLOODED: Final = "[withheld: it quotes the API key too many times to show]"
_JSON_ESCAPE: Final = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
_SIMPLE_ESCAPES: Final = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def redact_key(key: str) -> str:
    """Show at most the ``ft_`` prefix and the last 4 characters of a key."""
    tail = key[-4:] if len(key) >= 12 else ""
    prefix = "ft_" if key.startswith("ft_") else ""
    return f"{prefix}…{tail}"


class KeyHolder:
    """Mixin for objects that hold or reach an API key: they refuse pickling and copying.

    A pickle would write the key in clear; a copy of a client would be a second owner of one
    connection pool. ``with_options()`` is the way to a client with other settings.
    """

    __slots__ = ()

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError(
            f"cannot pickle {type(self).__name__}: it holds the API key, which a pickle would "
            "store in clear. Create the client in the process that uses it (it reads "
            "FREESTYLE_API_KEY), and send it plain data."
        )

    def __copy__(self) -> NoReturn:
        raise TypeError(
            f"cannot copy {type(self).__name__}: use with_options() for a client with other "
            "settings that shares this one's connections"
        )

    def __deepcopy__(self, memo: Any) -> NoReturn:
        self.__copy__()


def _lower(text: str) -> str:
    """``text.lower()`` with every character kept in its place (``'İ'.lower()`` is two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class Secret(KeyHolder):
    """One client's API key, registered for :func:`redact` for as long as it is referenced."""

    __slots__ = ("__weakref__", "_blocks", "_fill", "_grams", "_key", "hint", "size")

    def __init__(self, key: str) -> None:
        global _generation
        self._key = key
        self.hint = redact_key(key)
        self.size = size = min(MIN_FRAGMENT, len(key))
        low = key.lower()
        self._grams = tuple({low[i : i + size]: None for i in range(len(low) - size + 1)})
        # Every run of ``size`` characters of the key holds one of these blocks (``step``
        # characters starting at a multiple of ``step``, with ``2 * step <= size``): a text
        # holding none of them holds no fragment, which a few substring tests tell at once.
        step = size // 2
        self._blocks = (
            tuple({low[i : i + step]: None for i in range(0, len(low) - step + 1, step)})
            if step >= 2
            else self._grams
        )
        self._fill = b"\x01" * size
        with _lock:
            _live.add(self)
            _generation += 1

    @property
    def value(self) -> str:
        """The key itself (for the request header, nowhere else)."""
        return self._key

    def may_occur_in(self, low: str) -> bool:
        """False when lowercased ``low`` surely holds no fragment of the key (the fast test
        that lets text without the key through; True means :meth:`mark` must look)."""
        # A plain loop: a third faster than any() here, and this runs on every line shown.
        for block in self._blocks:  # noqa: SIM110
            if block in low:
                return True
        return False

    def mark(self, low: str, covered: bytearray, budget: int) -> int:
        """Mark in ``covered`` every character of lowercased ``low`` that belongs to a run of
        at least ``size`` of this key's characters; the number of fragments found. More than
        ``budget`` raises :class:`_Flooded` (each fragment costs a step of Python)."""
        size, fill = self.size, self._fill
        found = 0
        for gram in self._grams:
            start = low.find(gram)
            while start != -1:
                found += 1
                if found > budget:
                    raise _Flooded
                covered[start : start + size] = fill
                start = low.find(gram, start + 1)
        return found

    def __repr__(self) -> str:
        return f"Secret({getattr(self, 'hint', '…')!r})"


class _Flooded(Exception):
    """A text quotes the key too many times to take each quote out one by one."""


_lock: Final = threading.Lock()
_live: Final[weakref.WeakSet[Secret]] = weakref.WeakSet()
# Bumped by each new Secret; _cache holds the last answer of _live_secrets with the generation
# it was read at, by weak reference (it must not keep a key alive).
_generation = 0
_cache: tuple[int, tuple[weakref.ref[Secret], ...]] = (-1, ())


def _live_secrets() -> list[Secret]:
    """One :class:`Secret` per distinct key of the live clients (read again only when a
    secret was created or one of those last found is gone)."""
    global _cache
    generation, refs = _cache
    if generation == _generation:
        cached = [secret for ref in refs if (secret := ref()) is not None]
        if len(cached) == len(refs):
            return cached
    with _lock:
        generation = _generation
        found = tuple(_live)
    secrets = list({secret.value: secret for secret in found}.values())
    _cache = (generation, tuple(weakref.ref(secret) for secret in secrets))
    return secrets


def _redact_plain(texts: list[str], secrets: list[Secret]) -> list[str]:
    """``texts`` with every run of a key's characters replaced; one search over them all."""
    size = min(secret.size for secret in secrets)
    long_enough = [text for text in texts if len(text) >= size]
    if not long_enough:
        return texts
    # "\0" never occurs in a key (control characters are refused), so no run crosses it.
    low = _lower("\0".join(texts))
    if not any(secret.may_occur_in(low) for secret in secrets):
        return texts
    covered = bytearray(len(low))
    budget = _MAX_FRAGMENTS
    hints: list[str] = []
    try:
        for secret in secrets:
            found = secret.mark(low, covered, budget)
            budget -= found
            if found:
                hints.append(secret.hint)
    except _Flooded:
        return [_FLOODED if len(text) >= size else text for text in texts]
    if not hints:
        return texts
    hint = hints[0] if len(hints) == 1 else "…"
    out: list[str] = []
    position = 0
    for text in texts:
        end = position + len(text)
        out.append(_replace_runs(text, covered, position, end, hint))
        position = end + 1
    return out


def _replace_runs(text: str, covered: bytearray, offset: int, end: int, hint: str) -> str:
    """``text`` (at ``covered[offset:end]``) with each marked run replaced by ``hint``."""
    start = covered.find(1, offset, end)
    if start == -1:
        return text
    parts: list[str] = []
    position = offset
    while start != -1:
        stop = covered.find(0, start, end)
        stop = end if stop == -1 else stop
        parts += [text[position - offset : start - offset], hint]
        position = stop
        start = covered.find(1, stop, end)
    parts.append(text[position - offset :])
    return "".join(parts)


def _unescape(match: re.Match[str]) -> str:
    code = match[1]
    return chr(int(code[1:], 16)) if len(code) == 5 else _SIMPLE_ESCAPES[code]


def _decoded(text: str) -> str:
    """``text`` with JSON string escapes and then URL percent-encoding decoded."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_unescape, text)
        # \ud83d\ude00 pairs become one character; a lone surrogate cannot be printed: "?".
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if "%" in text:
        text = unquote(text)
    return text


def _redact(texts: list[str], secrets: list[Secret]) -> list[str]:
    out = _redact_plain(texts, secrets)
    for index, text in enumerate(texts):
        if "\\" in text or "%" in text:
            decoded = _decoded(text)
            if decoded != text:
                [again] = _redact_plain([decoded], secrets)
                if again != decoded:  # the key was there once decoded: show it decoded
                    if out is texts:  # nothing was found as it is: texts came back
                        out = list(texts)
                    out[index] = again
    return out


def redact(text: str) -> str:
    """``text`` with the API key of every live client taken out (see the module docstring).

    Text without the key costs a few substring tests per key (see :meth:`Secret.may_occur_in`),
    and decoding only when it holds a ``\\`` or a ``%``: the CLI calls this on every cell."""
    secrets = _live_secrets() if text else None
    return _redact([text], secrets)[0] if secrets else text


def redact_json(value: Any) -> Any:
    """``value`` (decoded JSON) with :func:`redact` applied to every string in it, keys too.

    Dicts and lists are changed in place (a discarded response body must not keep the key for
    whoever holds a reference to it, such as a traceback's locals); a string comes back new.
    A body that does not quote the key is left as it is.

    Each string is searched as :func:`redact` searches it (as it is, and once decoded), never
    the body's JSON text: that text escapes each string once more, so a key a string holds
    escaped (``\\u0061``) would be two decodings away in it.
    """
    secrets = _live_secrets()
    if not secrets:
        return value
    if isinstance(value, str):
        return _redact([value], secrets)[0]
    if not isinstance(value, dict | list):
        return value
    # Every string with where it sits: (container, slot, is a dict key).
    places: list[tuple[Any, Any, bool]] = []
    texts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        container = stack.pop()
        slots: Iterable[tuple[Any, Any]]
        if isinstance(container, list):
            slots = enumerate(container)
        elif isinstance(container, dict):
            slots = container.items()
        else:
            continue
        for slot, item in slots:
            if isinstance(slot, str) and isinstance(container, dict):
                places.append((container, slot, True))
                texts.append(slot)
            if isinstance(item, str):
                places.append((container, slot, False))
                texts.append(item)
            elif isinstance(item, dict | list):
                stack.append(item)
    renamed: dict[int, tuple[dict[Any, Any], dict[Any, Any]]] = {}
    for (container, slot, is_key), text, clean in zip(
        places, texts, _redact(texts, secrets), strict=True
    ):
        if clean is text:
            continue
        if is_key:
            renamed.setdefault(id(container), (container, {}))[1][slot] = clean
        else:
            container[slot] = clean
    for container, names in renamed.values():
        fresh = {names.get(name, name): item for name, item in container.items()}
        container.clear()
        container.update(fresh)
    return value
