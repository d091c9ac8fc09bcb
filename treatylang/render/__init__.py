"""Presentation of results: plain text (text.py), Markdown (markdown.py) and JSON (json.py).

Every renderer reads the same plain rows (`Norm.row()`, `Breach.row()`, `Effect.row()`, `Result.to_json()`
in treatylang.model); explanations are asked of treatylang.explain only when `explain` is set.
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "markdown")
__all__ = ["FORMATS", "dumps", "render", "render_markdown", "render_text"]

# each renderer's module is imported on first use (a run prints one format: start-up time)
_WHERE = {"dumps": "json", "render_markdown": "markdown", "render_text": "text"}
_RENDERER = {"json": "dumps", "text": "render_text", "markdown": "render_markdown"}  # by format


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"treatylang.render.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(results, fmt: str, explain: bool = False) -> str:
    """The results in `fmt` (text | json | markdown), as `treaty eval` prints them."""
    if fmt not in _RENDERER:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    one = __getattr__(_RENDERER[fmt])
    if fmt == "json":
        return one(results, explain)
    return "\n".join(one(r, explain) for r in results)
