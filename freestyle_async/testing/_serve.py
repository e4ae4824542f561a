"""Running the emulator as a process: ``python -m freestyle_async.testing`` (and the CLI's
``freestyle emulator``, which reuses :func:`serve` / :func:`main`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any, TextIO

from ._emulator import Emulator
from ._faults import Faults

__all__ = [
    "DEFAULT_PORT",
    "build_parser",
    "faults_from_args",
    "faults_from_options",
    "main",
    "run_in_foreground",
    "serve",
]

DEFAULT_PORT = 8765


async def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    seed: int = 0,
    results_per_campaign: int = 200,
    faults: Faults | None = None,
    keep_records: bool = True,
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
    parser = argparse.ArgumentParser(
        prog="python -m freestyle_async.testing",
        description="Run the FREESTYLE API v1 emulator (plain HTTP, loopback).",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    add(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port; 0 picks a free one (default: %(default)s)",
    )
    add("--seed", type=int, default=0, help="seed of the deterministic data (default: 0)")
    add(
        "--results-per-campaign",
        type=int,
        default=200,
        metavar="N",
        help="call results per dialed campaign (default: 200)",
    )
    add(
        "--latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="milliseconds added to every request",
    )
    add(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="fraction of requests answered with an error status",
    )
    add(
        "--error-statuses",
        default="500,502,503",
        metavar="S,S",
        help="statuses for --error-rate (default: 500,502,503)",
    )
    add(
        "--rate-limit-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="fraction answered 429 with Retry-After",
    )
    add(
        "--retry-after",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="Retry-After of a 429 (default: 1)",
    )
    add(
        "--drop-before-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="fraction dropped before processing",
    )
    add(
        "--drop-after-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="fraction processed, then dropped unanswered",
    )
    add(
        "--fault-methods",
        default=None,
        metavar="M,M",
        help="limit faults to these methods, e.g. POST,PATCH",
    )
    add("--fault-seed", type=int, default=0, help="seed of the fault decisions (default: 0)")
    add(
        "--no-keep-records",
        action="store_true",
        help="keep no uploaded records, only their phones for dedupe (long benchmarks)",
    )
    return parser


def faults_from_options(
    *,
    latency_ms: float = 0.0,
    error_rate: float = 0.0,
    error_statuses: Sequence[int] = (500, 502, 503),
    rate_limit_rate: float = 0.0,
    retry_after: float = 1.0,
    drop_before_rate: float = 0.0,
    drop_after_rate: float = 0.0,
    methods: Iterable[str] | None = None,
    seed: int = 0,
) -> Faults | None:
    """The :class:`Faults` of the command-line options (latency in milliseconds), or ``None``
    when they ask for none; ``ValueError`` when one is out of range."""
    rates = (error_rate, rate_limit_rate, drop_before_rate, drop_after_rate)
    if not latency_ms and not any(rates):
        return None
    names = frozenset(m.strip() for m in methods) if methods is not None else None
    return Faults(
        latency=latency_ms / 1000,
        error_rate=error_rate,
        error_statuses=tuple(error_statuses),
        rate_limit_rate=rate_limit_rate,
        retry_after=retry_after,
        drop_before_rate=drop_before_rate,
        drop_after_rate=drop_after_rate,
        methods=names or None,
        seed=seed,
    )


def faults_from_args(args: argparse.Namespace) -> Faults | None:
    """The :class:`Faults` the options ask for, or ``None`` when they ask for none."""
    return faults_from_options(
        latency_ms=args.latency,
        error_rate=args.error_rate,
        error_statuses=[int(s) for s in args.error_statuses.split(",") if s.strip()],
        rate_limit_rate=args.rate_limit_rate,
        retry_after=args.retry_after,
        drop_before_rate=args.drop_before_rate,
        drop_after_rate=args.drop_after_rate,
        methods=args.fault_methods.split(",") if args.fault_methods else None,
        seed=args.fault_seed,
    )


def run_in_foreground(serving: Coroutine[Any, Any, None]) -> None:
    """Run ``serving`` (a :func:`serve` call) on a new event loop until Ctrl-C or SIGTERM; an
    ``OSError`` (the port is taken, say) is the caller's to report."""
    with contextlib.suppress(KeyboardInterrupt):  # where signal handlers cannot be installed
        asyncio.run(serving)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m freestyle_async.testing``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        faults = faults_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        run_in_foreground(
            serve(
                host=args.host,
                port=args.port,
                seed=args.seed,
                results_per_campaign=args.results_per_campaign,
                faults=faults,
                keep_records=not args.no_keep_records,
            )
        )
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
