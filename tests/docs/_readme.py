"""Finding and preparing the README's Python examples (the harness of ``test_readme.py``).

Rules for README authors:

- Every fenced block opened with ```` ```python ```` (or ``py``/``python3``) is executed by the
  test suite against the emulator, with ``FREESTYLE_API_KEY`` and ``FREESTYLE_BASE_URL`` set,
  in a scratch directory holding a small valid ``leads.csv``.
- A block runs on its own (with its own imports), unless the line before its fence is
  ``<!-- test-continue -->``: then it runs in the names the previous block left.
- A block whose fence is preceded by ``<!-- no-test -->`` (any text may follow ``no-test``
  inside the comment) is skipped.
- Placeholder ids are replaced by real emulator ids: a string literal ``"c_..."`` (any
  ``c_`` literal holding ``...``/``…`` or the reference's example id) becomes a dial campaign
  id, ``"sc_..."`` an SMS campaign id, ``"ft_..."`` the emulator's API key; the production
  base URL becomes the emulator's.
- A block may use top-level ``await``: it then runs inside ``asyncio.run``.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "PRODUCTION_BASE_URL",
    "Block",
    "Substitutions",
    "python_blocks",
    "run_block",
    "substitute",
]

PRODUCTION_BASE_URL: Final = "https://api.freestyleteletech.com/v1"

_FENCE: Final = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)")
_PYTHON: Final = frozenset({"python", "py", "python3"})
_NO_TEST: Final = re.compile(r"<!--\s*no-test\b.*?-->", re.IGNORECASE)
_CONTINUE: Final = re.compile(r"<!--\s*test-continue\s*-->", re.IGNORECASE)
_EXAMPLE_IDS: Final = ("a1b2c3d4",)
_LITERAL: Final = re.compile(r"""(?P<q>["'])(?P<prefix>sc_|c_|ft_)(?P<rest>[^"'\n]*)(?P=q)""")


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it starts (1-based line of the fence) and its code."""

    line: int
    code: str
    skip: bool
    continues: bool

    @property
    def id(self) -> str:
        return f"README.md:{self.line}"


def _marker_line(lines: list[str], fence_index: int) -> str:
    """The nearest non-blank line above the fence."""
    for index in range(fence_index - 1, -1, -1):
        if lines[index].strip():
            return lines[index].strip()
    return ""


def python_blocks(text: str) -> list[Block]:
    """Every fenced Python block of a Markdown text, in order."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        language = opening["info"].lower().lstrip("{.").rstrip("}")
        body: list[str] = []
        end = index + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if closing is not None and closing["fence"].startswith(fence) and not closing["info"]:
                break
            line = lines[end]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            end += 1
        if language in _PYTHON:
            marker = _marker_line(lines, index)
            blocks.append(
                Block(
                    line=index + 1,
                    code="\n".join(body) + "\n",
                    skip=bool(_NO_TEST.search(marker)),
                    continues=bool(_CONTINUE.search(marker)),
                )
            )
        index = end + 1
    return blocks


@dataclass(frozen=True)
class Substitutions:
    """Real values for the README's placeholders."""

    campaign_id: str
    sms_campaign_id: str
    api_key: str
    base_url: str
    real_ids: frozenset[str] = frozenset()


def _is_placeholder(value: str) -> bool:
    return (
        "..." in value
        or "…" in value
        or any(e in value for e in _EXAMPLE_IDS)
        or value
        in {
            "c_",
            "sc_",
            "ft_",
        }
    )


def substitute(code: str, values: Substitutions) -> str:
    """``code`` with placeholder ids, keys and the production base URL made real."""

    def replace(match: re.Match[str]) -> str:
        prefix, rest, quote = match["prefix"], match["rest"], match["q"]
        whole = prefix + rest
        if whole in values.real_ids or not _is_placeholder(whole):
            return match.group(0)
        real = {
            "c_": values.campaign_id,
            "sc_": values.sms_campaign_id,
            "ft_": values.api_key,
        }[prefix]
        return f"{quote}{real}{quote}"

    code = _LITERAL.sub(replace, code)
    return code.replace(PRODUCTION_BASE_URL, values.base_url)


def _chain(blocks: list[Block], index: int) -> list[Block]:
    """The block at ``index`` and the blocks it continues from, oldest first."""
    chain = [blocks[index]]
    while chain[0].continues and index > 0:
        index -= 1
        if not blocks[index].skip:
            chain.insert(0, blocks[index])
    return chain


def run_block(blocks: list[Block], index: int, values: Substitutions) -> dict[str, Any]:
    """Execute block ``index`` (after the blocks it continues from) in a fresh namespace, as
    ``__main__``; returns the namespace. Top-level ``await`` runs inside ``asyncio.run``."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for block in _chain(blocks, index):
        source = substitute(block.code, values)
        code = compile(source, block.id, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        if code.co_flags & inspect.CO_COROUTINE:
            asyncio.run(eval(code, namespace))
        else:
            exec(code, namespace)
    return namespace
