"""File names as a report shows them: relative to the working folder when under it (the same on every machine
for a run from the repository's root, so golden outputs stay byte-identical)."""

from __future__ import annotations

import os


def shown_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel.replace(os.sep, "/")
