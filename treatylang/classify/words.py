"""The heuristics of `treaty classify`: what kind of promise a norm is, read from the words of its action.

The language gives a norm a modality (must, may, must not), a bearer, an action and a counterparty; it does
not say whether an action is military assistance or a consultation. ATOP's variables need that, so this
module reads it from the words of the action (split at `_`) and of the bearer's name. Each function returns
the words that decided, so a derivation can say "by the words 'assist'": every value that rests on a
heuristic says so (docs/classify.md lists the words).
"""

from __future__ import annotations

# active support of a member attacked (ATOP `defense`): the action of an obligation owed to that member
SUPPORT = frozenset({"assist", "assistance", "aid", "help", "defend", "defence", "defense", "respond", "act",
                     "support", "succour", "succor"})
# an obligation with one of these words is a procedure (report, inform, consult), never support itself
PROCEDURE = frozenset({"report", "inform", "notify", "consult", "consultation", "consultations", "review",
                       "register", "communicate"})
# consultation (ATOP `consul`): by the action, or by an organ of the treaty whose name says it consults
CONSULT = frozenset({"consult", "consultation", "consultations", "confer"})
MEETING = frozenset({"meet", "meeting", "convene", "convocation", "decide", "appreciate"})
# force (ATOP `nonagg` when prohibited, `offense` when owed against a State that attacked no member)
FORCE = frozenset({"force", "attack", "aggression", "aggress", "war", "threaten", "threat", "intervene",
                   "intervention", "invade", "invasion", "blockade", "bands", "hostilities"})
# neutrality (ATOP `neutral`): by these words, or a prohibition of support owed to the attacker
NEUTRAL = frozenset({"neutral", "neutrality"})
# the name of an enumeration argument a defence duty depends on, and the ATOP condition it stands for
CONDITION_WORDS = (
    ("defconpr", frozenset({"self", "defence", "defense", "provoked", "unprovoked", "provocation", "provoke"})),
    ("defcodem", frozenset({"demand", "demands", "comply", "compliance", "ultimatum"})),
    ("defcocon", frozenset({"war", "conflict", "campaign"})),
)
# the argument of an event that names its author (who attacks, who asks): by its name
AUTHOR_ARGS = ("by",)


def _split(name: str) -> list[str]:
    return [w for w in name.casefold().replace("-", "_").replace(" ", "_").split("_") if w]


def words(name: str) -> frozenset:
    return frozenset(_split(name))


def found(name: str, vocabulary: frozenset) -> list[str]:
    """The words of `name` that are in `vocabulary`, in the order they come."""
    seen = []
    for w in _split(name):
        if w in vocabulary and w not in seen:
            seen.append(w)
    return seen


def support_words(action: str) -> list[str]:
    """The words that make an obligation one of support; none when the action is a procedure."""
    return [] if found(action, PROCEDURE) else found(action, SUPPORT)


def consult_words(action: str, bearer_name: str | None = None) -> list[str]:
    """Why a norm is a consultation: its action's words, or (an organ's duty to meet) its bearer's name."""
    own = found(action, CONSULT)
    if own:
        return own
    if bearer_name is not None and found(bearer_name, CONSULT) and found(action, MEETING):
        return [*found(bearer_name, CONSULT), *found(action, MEETING)]
    return []


def force_words(action: str) -> list[str]:
    return found(action, FORCE)


def neutral_words(action: str) -> list[str]:
    return found(action, NEUTRAL)


def condition_of(argument: str, values) -> tuple[str | None, list[str]]:
    """The ATOP condition an enumeration argument stands for (by the words of its name and values), or None."""
    text = "_".join([argument, *values])
    for variable, vocabulary in CONDITION_WORDS:
        hit = found(text, vocabulary)
        if hit:
            return variable, hit
    return None, []
