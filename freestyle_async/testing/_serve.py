"""Running the emulator as a process: ``python -m freestyle_async.testing``, and the CLI's
``freestyle emulator`` through :func:`run_emulator`; both read the options of ``_options``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TextIO

from ._emulator import Emulator
from ._faults import Faults
from ._options import EMULATOR_OPTIONS, Parse
from ._timeouts import DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT

__all__ = ["build_parser", "main", "run_emulator", "serve", "serve_options"]


async def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 0,
    results_per_campaign: int = 200,
    faults: Faults | None = None,
    keep_records: bool = True,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
    out: TextIO | None = None,
    stop: asyncio.Event | None = None,
    handle_signals: bool = True,
    on_ready: Callable[[Emulator], object] | None = None,
) -> None:
    """Serve an emulator until ``stop`` is set, or SIGINT/SIGTERM arrives.

    The first line written to ``out`` (stdout by default) is
    ``FREESTYLE API emulator listening on <base URL>``; the keys follow. ``on_ready`` is
    called with the running :class:`Emulator` once it accepts requests.
    """
    out = out if out is not None else sys.stdout
    stop = stop if stop is not None else asyncio.Event()
    emulator = Emulator(
        seed=seed,
        host=host,
        port=port,
        results_per_campaign=results_per_campaign,
        faults=faults,
        keep_records=keep_records,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
    )
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    async with emulator:
        out.write(banner(emulator))
        out.flush()
        if on_ready is not None:
            on_ready(emulator)
        if handle_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, stop.set)
                    installed.append(sig)
        try:
            await stop.wait()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)


def banner(emulator: Emulator) -> str:
    faults = emulator.faults
    lines = [
        f"FREESTYLE API emulator listening on {emulator.base_url}",
        f"  seed                {emulator.state.seed}",
        f"  API key             {emulator.api_key}",
        f"  other account key   {emulator.other_api_key}",
        f"  disabled key (403)  {emulator.disabled_api_key}",
        f"  counters            {emulator.root_url}/_emulator/counters",
        f"  faults              {faults!r}" if faults is not None else "  faults              none",
        "",
        f"  export FREESTYLE_BASE_URL={emulator.base_url}",
        f"  export FREESTYLE_API_KEY={emulator.api_key}",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m freestyle_async.testing``, from :data:`EMULATOR_OPTIONS`."""
    parser = argparse.ArgumentParser(
        prog="python -m freestyle_async.testing",
        description="Run the FREESTYLE API v1 emulator (plain HTTP, loopback).",
    )
    for option in EMULATOR_OPTIONS:
        text = option.help.replace("%", "%%")
        if option.parse is None:
            parser.add_argument(option.flag, action="store_true", help=text)
            continue
        if option.default is not None:
            text += f" (default: {option.default})"
        parser.add_argument(
            option.flag,
            type=_argparse_type(option.parse),
            default=option.default,
            metavar=option.metavar,
            help=text,
        )
    return parser


def _argparse_type(parse: Parse) -> Callable[[str], object]:
    def convert(text: str) -> object:
        try:
            return parse(text)
        except ValueError as exc:  # argparse shows only an ArgumentTypeError's own message
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def serve_options(values: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`serve`'s keyword arguments for the options' values (parsed, keyed by
    :attr:`EmulatorOption.dest`); ``faults`` is ``None`` when the options ask for none."""
    rates = ("error_rate", "rate_limit_rate", "drop_before_rate", "drop_after_rate")
    faults = None
    if values["latency"] or any(values[name] for name in rates):
        faults = Faults(
            latency=values["latency"] / 1000,
            error_statuses=values["error_statuses"],
            retry_after=values["retry_after"],
            methods=values["fault_methods"],
            seed=values["fault_seed"],
            **{name: values[name] for name in rates},
        )
    return {
        "host": values["host"],
        "port": values["port"],
        "seed": values["seed"],
        "results_per_campaign": values["results_per_campaign"],
        "faults": faults,
        "keep_records": not values["no_keep_records"],
        "header_timeout": values["header_timeout"],
        "body_timeout": values["body_timeout"],
    }


def run_emulator(values: Mapping[str, Any]) -> None:
    """Serve with the options' values (see :func:`serve_options`) in the foreground, until
    Ctrl-C or SIGTERM. An ``OSError`` (the port is taken, say) is the caller's to report."""
    run_in_foreground(serve(**serve_options(values)))


def run_in_foreground(serving: Coroutine[Any, Any, None]) -> None:
    """Run ``serving`` (a :func:`serve` call) on a new event loop until Ctrl-C or SIGTERM; an
    ``OSError`` (the port is taken, say) is the caller's to report."""
    with contextlib.suppress(KeyboardInterrupt):  # where signal handlers cannot be installed
        asyncio.run(serving)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m freestyle_async.testing``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        run_emulator(vars(args))
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
