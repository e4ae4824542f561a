"""``python -m freestyle_async.cli``: the same as the ``freestyle`` command."""

from . import main

if __name__ == "__main__":
    main()
