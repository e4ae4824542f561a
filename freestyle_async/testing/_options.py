"""The emulator's command-line options, in one table.

``python -m freestyle_async.testing`` builds its argparse parser from :data:`EMULATOR_OPTIONS`
and ``freestyle emulator`` its click options, so both take the same options with the same
checks and messages. This module imports no more than attrs: the CLI reads it to answer
``--help`` without loading the emulator (or aiohttp), and the emulator runs without click.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final

import attrs

__all__ = ["EMULATOR_OPTIONS", "EmulatorOption"]

#: Reads an option's text; ``ValueError`` says what was wrong (the caller names the option).
Parse = Callable[[str], object]


@attrs.frozen
class EmulatorOption:
    """One command-line option of the emulator.

    ``parse`` reads the text given (``None``: a switch, off unless given); ``default`` is the
    text a missing option stands for (``None``: no value), read by ``parse`` like any other.
    """

    flag: str
    help: str
    parse: Parse | None = None
    default: str | None = None
    metavar: str | None = None

    @property
    def dest(self) -> str:
        """The option's name as a Python identifier (``--fault-seed`` -> ``fault_seed``)."""
        return self.flag.removeprefix("--").replace("-", "_")


def _shown(text: str) -> str:
    """``text`` quoted for a message, control characters escaped, at most 40 characters."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _bounds(low: float | None, high: float | None, *, low_open: bool = False) -> str:
    if low is not None and high is not None:
        return f" from {low:g} to {high:g}"
    if low is not None:
        return f" {'>' if low_open else '>='} {low:g}"
    return ""


_MAX_DIGITS: Final = 4000  # int() refuses more than 4300 by default


def _whole(low: int | None = None, high: int | None = None) -> Parse:
    """A whole number in ASCII digits, within ``low``-``high`` when given."""

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if len(digits) > _MAX_DIGITS and digits.isdigit():
            raise ValueError(f"must be a whole number of at most {_MAX_DIGITS} digits")
        value = int(text) if re.fullmatch(r"\s*[-+]?[0-9]+\s*", text) else None
        if (
            value is None
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise ValueError(f"must be a whole number{_bounds(low, high)}, got {_shown(text)}")
        return value

    return parse


def _real(low: float, high: float | None = None, *, low_open: bool = False) -> Parse:
    """A finite number, ``low`` or above (above only, when ``low_open``) and at most ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text) if text.isascii() else math.nan
        except ValueError:
            value = math.nan
        if not (
            math.isfinite(value)
            and (value > low if low_open else value >= low)
            and (high is None or value <= high)
        ):
            bounds = _bounds(low, high, low_open=low_open)
            raise ValueError(f"must be a number{bounds}, got {_shown(text)}")
        return value

    return parse


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _statuses(text: str) -> tuple[int, ...]:
    parts = _listed(text)
    if not parts or any(not re.fullmatch(r"[45][0-9]{2}", part) for part in parts):
        raise ValueError(
            f"must be HTTP error statuses (400-599) separated by commas, got {_shown(text)}"
        )
    return tuple(int(part) for part in parts)


def _methods(text: str) -> frozenset[str]:
    parts = _listed(text)
    if not parts or any(not re.fullmatch(r"[A-Za-z]{1,20}", part) for part in parts):
        raise ValueError(f"must be HTTP methods separated by commas, got {_shown(text)}")
    return frozenset(part.upper() for part in parts)


def _host(text: str) -> str:
    if not text or not text.isprintable() or " " in text:
        raise ValueError(f"must be a host name or address, got {_shown(text)}")
    try:  # what the resolver does with it: an empty or over-long label fails there
        text.encode("idna")
    except UnicodeError:
        raise ValueError(f"must be a host name or address, got {_shown(text)}") from None
    return text


_RATE: Final = _real(0.0, 1.0)

#: Every option, in the order ``--help`` lists them.
EMULATOR_OPTIONS: Final[tuple[EmulatorOption, ...]] = (
    EmulatorOption("--host", "Address to bind.", _host, "127.0.0.1", "HOST"),
    EmulatorOption(
        "--port", "Port to listen on; 0 picks a free one.", _whole(0, 65535), "8765", "PORT"
    ),
    EmulatorOption("--seed", "Seed of the generated account data.", _whole(), "0", "N"),
    EmulatorOption(
        "--results-per-campaign", "Call results per dialed campaign.", _whole(0), "200", "N"
    ),
    EmulatorOption("--latency", "Milliseconds added to every request.", _real(0.0), "0", "MS"),
    EmulatorOption(
        "--error-rate",
        "Fraction of requests answered with a status from --error-statuses.",
        _RATE,
        "0",
        "R",
    ),
    EmulatorOption(
        "--error-statuses", "Statuses --error-rate answers with.", _statuses, "500,502,503", "S,S"
    ),
    EmulatorOption(
        "--rate-limit-rate", "Fraction of requests answered 429 with Retry-After.", _RATE, "0", "R"
    ),
    EmulatorOption(
        "--retry-after", "Retry-After of those 429s, in seconds.", _real(0.0), "1", "SECONDS"
    ),
    EmulatorOption(
        "--drop-before-rate", "Fraction of requests dropped before processing.", _RATE, "0", "R"
    ),
    EmulatorOption(
        "--drop-after-rate",
        "Fraction of requests processed, then dropped unanswered.",
        _RATE,
        "0",
        "R",
    ),
    EmulatorOption(
        "--fault-methods",
        "Limit every fault to these methods, e.g. POST,PATCH.",
        _methods,
        None,
        "M,M",
    ),
    EmulatorOption("--fault-seed", "Seed of the fault decisions.", _whole(), "0", "N"),
    EmulatorOption(
        "--header-timeout",
        "Seconds a client has to send a request's line and headers; then it is answered 408.",
        _real(0.0, low_open=True),
        "15",
        "SECONDS",
    ),
    EmulatorOption(
        "--body-timeout",
        "Seconds a client has to send a request's body; then it is answered 408.",
        _real(0.0, low_open=True),
        "60",
        "SECONDS",
    ),
    EmulatorOption(
        "--no-keep-records",
        "Keep no uploaded records, only their phones for dedupe (long benchmarks).",
    ),
)
