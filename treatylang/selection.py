"""Names given on the command line (`--bearer`, `--article`, `--why-not`) resolved against a result.

Light on purpose: `treaty eval --bearer` imports it without the why-not machinery.
"""

from __future__ import annotations

from treatylang.source.diagnostics import UsageError, did_you_mean


def resolve_actor(result, name: str, option: str) -> str:
    """The id of the actor `name` names (id, alias or display name, any case); else a UsageError."""
    found = result.scenario.resolve_actor(name, result.treaty)
    if found is None:
        hint = did_you_mean(name, result.scenario.known_actors(result.treaty))
        raise UsageError(f"{option}: unknown actor '{name}'" + (f"; {hint}" if hint else ""))
    return found


def resolve_articles(treaty, numbers, option: str = "--article") -> frozenset | None:
    """The article numbers given (one, several, or None for every article), each checked to exist. An
    article's number also names its paragraphs modelled as articles of their own: `42` selects `42(7)`."""
    if numbers is None:
        return None
    numbers = (numbers,) if isinstance(numbers, str) else tuple(numbers)
    chosen = set()
    for n in numbers:
        found = {a for a in treaty.articles if a == n or a.startswith(n + "(")}
        if not found:
            hint = did_you_mean(n, treaty.articles)
            raise UsageError(f"{option}: the treaty has no article '{n}'" + (f"; {hint}" if hint else ""))
        chosen |= found
    return frozenset(chosen) if chosen else None


def select(result, bearers=None, articles=None):
    """A view of `result` with only the conclusions of these bearers (names as in a scenario) and these
    articles (numbers); None or empty keeps all. Unknown names are a UsageError with a suggestion."""
    ids = frozenset(resolve_actor(result, b, "--bearer") for b in bearers) if bearers else None
    numbers = resolve_articles(result.treaty, articles) if articles else None
    if ids is None and numbers is None:
        return result
    return result.select(ids, numbers)
