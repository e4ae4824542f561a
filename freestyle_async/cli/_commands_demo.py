"""``freestyle demo``: a tour of the API against an emulator started in-process."""

from __future__ import annotations

import click

from ._settings import Settings, pass_settings

__all__ = ["demo"]


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
