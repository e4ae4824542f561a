"""``python -m freestyle_async.testing``: run the emulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import sys

from ._serve import main

if __name__ == "__main__":
    sys.exit(main())
