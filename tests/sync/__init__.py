"""Tests of the sync facade, ``Freestyle``."""
