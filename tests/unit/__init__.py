"""Unit and property tests of the async client core (aioresponses, hypothesis; no network)."""
