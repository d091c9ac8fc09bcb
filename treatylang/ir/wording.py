"""Words shared by every construct's explanation: identifiers as words, modal verbs, articles."""

from __future__ import annotations

VERBS = {"obligation": "must", "permission": "may", "prohibition": "must not"}


def words(identifier: str) -> str:
    return identifier.replace("_", " ")


def indefinite(noun: str) -> str:
    """`a state`, `an armed group`."""
    return f"a{'n' if noun[:1] in 'aeiou' else ''} {words(noun)}"


def iso(date) -> str:
    return date.isoformat() if date is not None else "that date"
