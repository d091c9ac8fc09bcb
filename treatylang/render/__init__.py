"""Presentation of results: plain text (text.py), Markdown (markdown.py) and JSON (json.py).

Every renderer reads the same plain rows (`Norm.row()`, `Breach.row()`, `Effect.row()`, `Result.to_json()`
in treatylang.model); explanations are asked of treatylang.explain only when `explain` is set.
"""

from __future__ import annotations

from treatylang.render.json import dumps
from treatylang.render.markdown import render_markdown
from treatylang.render.text import render_text

FORMATS = ("text", "json", "markdown")
__all__ = ["FORMATS", "dumps", "render", "render_markdown", "render_text"]


def render(results, fmt: str, explain: bool = False) -> str:
    """The results in `fmt` (text | json | markdown), as `treaty eval` prints them."""
    if fmt == "json":
        return dumps(results, explain)
    renderers = {"text": render_text, "markdown": render_markdown}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return "\n".join(renderers[fmt](r, explain) for r in results)
