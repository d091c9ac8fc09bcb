"""Kept for the old import path `treatylang.render.report.render`: the renderers live in text.py,
markdown.py and json.py, and `render` in treatylang.render."""

from treatylang.render import render
from treatylang.render.json import dumps, to_json
from treatylang.render.markdown import render_markdown
from treatylang.render.text import render_text

__all__ = ["dumps", "render", "render_markdown", "render_text", "to_json"]
