"""Results as JSON (DESIGN §5): `Result.to_json()`, with the explanation steps under "because" only if asked."""

from __future__ import annotations

import json

from treatylang.explain.why import because
from treatylang.source.safe_text import json_text


def to_json(result, explain: bool = False) -> dict:
    """The dict of DESIGN §5; with `explain`, every norm, standing norm, breach and effect carries "because"."""
    return result.to_json(because=because if explain else None)


def dumps(results, explain: bool = False) -> str:
    """The JSON text `treaty eval --format json` prints: one object for one result, else a list of them.

    Values are data and are kept as they are; C1, bidirectional controls and the like are written as `\\u`
    escapes (treatylang.source.safe_text.json_text), so the text is also safe to show in a terminal.
    """
    data = [to_json(r, explain) for r in results]
    return json_text(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False)) + "\n"
