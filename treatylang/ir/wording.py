"""Words shared by every construct's explanation: identifiers as words, modal verbs, articles."""

from __future__ import annotations

VERBS = {"obligation": "must", "permission": "may", "prohibition": "must not"}


def words(identifier: str) -> str:
    return identifier.replace("_", " ")


def argument_of(event: str, arg: str) -> str:
    """`the attack's 'target'`, `the attack on forces' 'at'` (a plural noun takes the apostrophe alone)."""
    noun = words(event)
    return f"the {noun}{chr(39) if noun.endswith('s') else chr(39) + 's'} '{arg}'"


def indefinite(noun: str) -> str:
    """`a state`, `an armed group`."""
    return f"a{'n' if noun[:1] in 'aeiou' else ''} {words(noun)}"


def iso(date) -> str:
    return date.isoformat() if date is not None else "that date"


TOGETHER = "members"  # the bearer of a collective norm (`members together must ...`): a keyword, never an actor id


def and_list(names: list) -> str:
    """`a`, `a and b`, `a, b and c`: names in a sentence."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
