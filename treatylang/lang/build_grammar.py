"""Regenerate the analysed grammar shipped beside grammar.lark: `python -m treatylang.lang.build_grammar`.

With `--check`, write nothing and exit 1 if the shipped file is not what grammar.lark gives.
"""

from __future__ import annotations

import argparse
import sys

from treatylang.lang import grammar_tables


def expected_tables() -> str:
    """The JSON text grammar.lark gives today (analysed in memory)."""
    grammar_text = grammar_tables.GRAMMAR.read_text(encoding="utf-8")
    return grammar_tables.encode(grammar_tables.build(grammar_text), grammar_text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m treatylang.lang.build_grammar", description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only check that the shipped tables are up to date")
    args = p.parse_args(argv)
    text = expected_tables()
    target = grammar_tables.TABLES
    try:
        current = target.read_text(encoding="utf-8")
    except OSError:
        current = None
    if args.check:
        if current != text:
            print(f"{target} is stale: run python -m treatylang.lang.build_grammar", file=sys.stderr)
            return 1
        return 0
    if current != text:
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {target} ({len(text)} bytes)")
    else:
        print(f"{target} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
