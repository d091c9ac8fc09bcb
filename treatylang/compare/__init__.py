"""`treaty compare`: one scenario evaluated under several treaties, side by side, differences first.

- `compare.py`: each treaty's evaluation of the scenario (or why it does not apply), and the rows and
  differences drawn from the norms (modality, action, means, articles);
- `render.py`: text, JSON and Markdown;
- `binding.py`: `treaty eval --library --as-of DATE`, which treaties of the library bind a State.
"""

from __future__ import annotations


def run_cli(args) -> int:
    """`treaty compare` (imported on use: `treaty eval` does not pay for it)."""
    from treatylang.compare.compare import run_cli as run

    return run(args)
