"""The SDK against the emulator over loopback HTTP.

``emu`` and ``fs`` (``tests/conftest.py``) are the installed pytest plugin's
``freestyle_emulator`` and ``freestyle_client``, which this directory deliberately never
imports: ``test_plugin.py`` checks that the ``pytest11`` entry point alone provides them.
"""
