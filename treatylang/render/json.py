"""Results as JSON (DESIGN §5): `Result.to_json()`, with the explanation steps under "because" only if asked."""

from __future__ import annotations

import json

from treatylang.explain.why import because
from treatylang.source.safe_text import json_text


def to_json(result, explain: bool = False) -> dict:
    """The dict of DESIGN §5; with `explain`, every norm, standing norm, breach and effect carries "because",
    and so does each event of `summary` that engaged nothing (why, in one clause)."""
    return result.to_json(because=because if explain else None)


def dumps(results, explain: bool = False) -> str:
    """The JSON text `treaty eval --format json` prints: one object for one result, else a list of them.

    Values are data and are kept as they are; C1, bidirectional controls and the like are written as `\\u`
    escapes (treatylang.source.safe_text.json_text), so the text is also safe to show in a terminal.
    """
    data = [to_json(r, explain) for r in results]
    return json_text(_layout(data[0] if len(data) == 1 else data, "")) + "\n"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _layout(value, indent: str) -> str:
    """Indented JSON with each norm, breach or effect on one line.

    One line an item reads well on a 30-member treaty, and each line is written by the json module's C
    encoder (`indent=` would make it use its Python encoder, several times slower on large results).
    """
    inner = indent + "  "
    if (isinstance(value, dict) and value and len(indent) >= 4  # an object two levels in (the treaty's status)
            and not any(isinstance(v, (dict, list)) for v in value.values())):
        return _compact(value)  # of plain values: one line
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_layout(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value and isinstance(value[0], dict) and not _flat(value[0]):
        return "[\n" + ",\n".join(inner + _layout(v, inner) for v in value) + f"\n{indent}]"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "[\n" + ",\n".join(inner + _compact(v) for v in value) + f"\n{indent}]"
    return _compact(value)


def _flat(item: dict) -> bool:
    """A row (a norm, breach, effect, diagnostic): written on one line."""
    return not any(isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], dict))
                   for v in item.values())
