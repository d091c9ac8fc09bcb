"""Pausing Python's cyclic garbage collector around bulk work.

Parsing a treaty, checking it and evaluating a scenario each build many small objects with no
reference cycles worth collecting; while they pile up, the collector would rescan them again and
again (a large treaty spent most of its loading time there). Reference counting still frees them.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
