"""The ``freestyle`` command: the FREESTYLE API at a terminal, and ``freestyle demo``.

It needs the ``cli`` extra (click and rich). Without them ``freestyle`` prints which extra to
install instead of a traceback. Nothing here is imported by ``import freestyle_async``, and
``freestyle --help`` does not import aiohttp: the client, bulk uploads and the emulator are
imported inside the commands that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_MISSING_EXTRA = (
    "freestyle: the command line needs the 'cli' extra ({missing} is not installed).\n"
    'Install it with: pip install "freestyle-async[cli]"'
)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``freestyle`` command with ``argv`` (default ``sys.argv[1:]``) and exit."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        print(_MISSING_EXTRA.format(missing=exc.name or "click or rich"), file=sys.stderr)
        raise SystemExit(1) from None

    from ._app import cli

    cli.main(args=list(argv) if argv is not None else None, prog_name="freestyle")
