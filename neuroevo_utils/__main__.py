"""``python -m neuroevo_utils``: see :mod:`neuroevo_utils.cli`."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process of a sweep imports this module
    sys.exit(main())
