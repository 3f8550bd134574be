"""Where the benchmarks find the shared data folder.

``GOVLENS_SHARED_DATA`` wins; otherwise ``../shared/data`` beside the
repository, then ``/work/shared/data``. A folder counts only if it holds
``MANIFEST.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    """The shared data folder, or None when it is absent."""
    for c in (os.environ.get("GOVLENS_SHARED_DATA"), ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        if c and (Path(c) / "MANIFEST.md").is_file():
            return Path(c)
    return None


def shared_data() -> Path:
    """The shared data folder; exits with a clear message when it is absent."""
    found = shared_data_dir()
    if found is None:
        sys.exit("benchmark needs the shared data folder ../shared/data (or set GOVLENS_SHARED_DATA)")
    return found
