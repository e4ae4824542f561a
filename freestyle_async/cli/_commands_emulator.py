"""``freestyle emulator`` (the emulator in the foreground) and ``freestyle demo`` (a tour)."""

from __future__ import annotations

import click

from ._errors import CliError, ExitCode
from ._options import FiniteFloatRange
from ._settings import Settings, pass_settings

__all__ = ["demo", "emulator"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the generated account data."
)
@click.option(
    "--latency",
    type=FiniteFloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="MS",
    help="Milliseconds added to every request.",
)
@click.option(
    "--error-rate",
    type=FiniteFloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    metavar="R",
    help="Fraction of requests answered with a 500, 502 or 503.",
)
def emulator(host: str, port: int, seed: int, latency: float, error_rate: float) -> None:
    """Run the API emulator in the foreground.

    It serves until Ctrl-C and prints its base URL and API keys; point the SDK or this
    command at it with FREESTYLE_BASE_URL and FREESTYLE_API_KEY. It speaks plain HTTP on
    loopback and holds generated data only. More fault options:
    python -m freestyle_async.testing --help
    """
    from ..testing._serve import faults_from_options, run_in_foreground, serve

    faults = faults_from_options(latency_ms=latency, error_rate=error_rate)
    try:
        run_in_foreground(serve(host=host, port=port, seed=seed, faults=faults))
    except OSError as exc:
        raise CliError(
            f"cannot serve the emulator on {host}:{port}: {exc.strerror or exc}; "
            "pick another --port (0 picks a free one)",
            ExitCode.ERROR,
        ) from None


@click.command()
@click.option(
    "--leads",
    type=click.IntRange(min=1, max=1_000_000),
    default=50_000,
    show_default=True,
    help="How many generated leads to upload.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the emulator data.")
@pass_settings
def demo(settings: Settings, leads: int, seed: int) -> None:
    """Tour the API against a built-in emulator.

    No key or network needed: an emulator is started in-process on a free loopback port.
    Shows the account, campaigns, start/pause, a bulk upload of generated leads (some of
    them invalid) with a progress bar, the results summary chart, activity, SMS and billing,
    each step with the command that does it for real.
    """
    from ._demo import run_demo

    run_demo(settings, leads=leads, seed=seed)
