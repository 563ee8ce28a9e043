"""Where a results file or a figure will be written, checked before any work starts.

Introduced with notebook 06's sweeps (``--out``) and the command line's ``--plot``: a path
that cannot be written should be refused in one line at once, not after the last run.
"""

from __future__ import annotations

import os
from pathlib import Path


def check_output_path(path: str | Path, what: str = "results file") -> Path:
    """``path`` as a ``Path`` if a file can be written there, else a one-line ``ValueError``."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder; give a file name in it")
    if not folder.is_dir():
        raise ValueError(f"{what} {str(path)!r}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValueError(f"{what} {str(path)!r} cannot be written there (permission denied)")
    return path
