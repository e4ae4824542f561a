"""Every ``freestyle ...`` line in the README's shell blocks parses with the real command.

Nothing is executed: each line is parsed by click down to its last subcommand, so a renamed
command, option or choice in the code fails here instead of misleading a reader.
"""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path

import click
import pytest

from freestyle_async.cli._app import cli

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)")
_STOP = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&"}


def command_lines(text: str) -> list[tuple[int, list[str]]]:
    """``(line number, argv after 'freestyle')`` for each command in bash/console blocks."""
    found: list[tuple[int, list[str]]] = []
    inside: str | None = None
    pending = ""  # a command continued with a trailing backslash
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        fence = _FENCE.match(raw)
        if fence is not None and inside is None:
            inside = fence.group(2).lower()
            continue
        if fence is not None and not fence.group(2):
            inside = None
            continue
        if inside not in ("bash", "sh", "shell", "console"):
            continue
        if not pending:
            start = number
        line = pending + raw.strip().removeprefix("$ ")
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            words = words[1:]  # VAR=value prefixes
        for index, word in enumerate(words):
            if word == "freestyle" and (index == 0 or words[index - 1] in _STOP):
                argv = []
                for arg in words[index + 1 :]:
                    if arg in _STOP or arg.startswith((">", "<")):
                        break
                    argv.append(arg)
                found.append((start, argv))
    return found


def _files_exist(argv: list[str], where: Path) -> None:
    for arg in argv:
        if arg.endswith(".csv") and "/" not in arg:
            (where / arg).write_text("phone1\n", encoding="utf-8")


def parse(argv: list[str]) -> None:
    """Parse ``argv`` as click would, down to the last subcommand, without running it."""
    ctx = cli.make_context("freestyle", list(argv))
    command: click.Command = cli
    while isinstance(command, click.Group):
        with warnings.catch_warnings():  # protected_args is deprecated from click 8.2 on
            warnings.simplefilter("ignore", DeprecationWarning)
            rest = [*getattr(ctx, "protected_args", ()), *ctx.args]
        if not rest:
            return
        _, sub, sub_args = command.resolve_command(ctx, rest)
        assert sub is not None
        ctx = sub.make_context(sub.name, sub_args, parent=ctx)
        command = sub


LINES = command_lines(README.read_text(encoding="utf-8")) if README.exists() else []


@pytest.mark.parametrize("argv", [a for _, a in LINES], ids=[f"README.md:{n}" for n, _ in LINES])
def test_readme_command_line_parses(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _files_exist(argv, tmp_path)
    if any(a in ("-h", "--help", "-V", "--version") for a in argv):
        with pytest.raises(click.exceptions.Exit):
            parse(argv)
        return
    parse(argv)


MAPPED = ["--map", "Full name=account_name", "--rejects", "rejects.csv"]


def test_the_parser_catches_drift() -> None:
    sample = (
        "```bash\n"
        "freestyle campaigns list --status active --format csv > c.csv  # comment\n"
        "FREESTYLE_API_KEY=x freestyle summary c_... | less\n"
        "$ freestyle leads upload c_... leads.csv \\\n"
        "    --map 'Full name=account_name' --rejects rejects.csv\n"
        "```\n"
        "```python\nfreestyle not shell\n```\n"
        "```console\n$ freestyle account --format csv\n```\n"
    )
    assert command_lines(sample) == [
        (2, ["campaigns", "list", "--status", "active", "--format", "csv"]),
        (3, ["summary", "c_..."]),
        (4, ["leads", "upload", "c_...", "leads.csv", *MAPPED]),
        (11, ["account", "--format", "csv"]),
    ]
    parse(["campaigns", "list", "--status", "active", "--format", "csv"])
    with pytest.raises(click.UsageError):
        parse(["campaigns", "list", "--colour", "blue"])
    with pytest.raises(click.UsageError):
        parse(["campaign", "list"])
    with pytest.raises(click.BadParameter):
        parse(["campaigns", "list", "--status", "sleeping"])
