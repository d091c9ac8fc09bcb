"""Pausing Python's cyclic garbage collector around bulk work.

Parsing a treaty, checking it and evaluating a scenario each build many small objects with no
reference cycles worth collecting; while they pile up, the collector would rescan them again and
again (a large treaty spent most of its loading time there). Reference counting still frees them.
"""

from __future__ import annotations

import gc


class paused_gc:  # noqa: N801 (used as a function: `with paused_gc():`)
    """`with paused_gc():` the collector is off inside, back as it was after (nesting is harmless).

    A class rather than a generator: leaving allocates nothing once the collector is back, so the
    collection its pent-up count asks for runs at the caller's next allocation (none at all when the
    caller has dropped what was built by then), not inside the block's last step.
    """

    __slots__ = ("collecting",)

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, kind, value, tb) -> None:
        if self.collecting:
            gc.enable()


def call_paused(fn, *args):
    """`fn(*args)` with the collector off, as `with paused_gc():` does, without the context manager's cost
    (evaluation's fixed cost is a few microseconds)."""
    if not gc.isenabled():
        return fn(*args)
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()
