"""``python -m neuroevo_utils``: see :mod:`neuroevo_utils.cli`."""

import sys

from .cli import main

sys.exit(main())
