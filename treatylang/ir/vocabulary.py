"""A vocabulary's event read as one of the treaty's own: the one construct scenario loading applies.

A scenario written in a shared vocabulary's terms (`vocabulary: collective_defence`) states an
`armed_attack(target: ..., by: ...)`; a treaty that reads it `as aggression(against: target)` gets its own
`aggression(against: ..., by: ...)`, and the rules match that. `translate` does it, once per event at load;
`describe` says it, for every report of a result the event engaged (visible, never silent).
"""

from __future__ import annotations

from treatylang.ir.unknown import UNKNOWN


class Vocabulary:
    """A shared vocabulary as a treaty that uses it sees it: its name, title, events, places and qualities."""

    def __init__(self, tree):
        self.name = tree.vocabulary.id
        self.title = tree.vocabulary.title
        self.events = {e.name: e for e in tree.events}
        self.places = {p.id: p for p in tree.places}
        self.qualities = {q.name: q.description for q in tree.qualities}


class EventReading:
    """The vocabulary's event `source` read as the treaty's event `target` (lang.vocabulary.plan: for each
    argument of `target`, the vocabulary's argument it takes and the values it renames)."""

    def __init__(self, vocabulary: str, source, target, plan, article: str | None = None):
        self.vocabulary = vocabulary
        self.source = source  # the vocabulary's EventDecl
        self.target = target  # the treaty's EventDecl
        self.plan = plan
        self.article = article
        taken = {vp.name for _, vp, _ in plan if vp is not None}
        self.renamed = tuple((tp.name, vp.name) for tp, vp, _ in plan if vp is not None and tp.name != vp.name)
        self.values = tuple((vp.name, v, w) for _, vp, values in plan for v, w in values.items() if v != w)
        self.dropped = tuple(p.name for p in source.params if p.name not in taken)
        # a reading that changes nothing (same name, same arguments) is not worth a line in every report
        self.differs = bool(source.name != target.name or self.renamed or self.values or self.dropped)

    def taken_from(self, param) -> str | None:
        """The vocabulary's argument the treaty's `param` takes (None: none, it is as if left out)."""
        return next((vp.name for tp, vp, _ in self.plan if tp is param and vp is not None), None)

    def translate(self, args: dict) -> tuple[dict, list]:
        """The treaty event's arguments from the vocabulary event's (as scenario loading gives them: see
        model.Event), and the treaty's required parameters the scenario left without a value.

        A value the scenario left unknown stays unknown where the treaty's argument may be (`= unknown`); one
        it gave as none (an optional actor left out, an empty list) stays none; an argument the vocabulary's
        event lacks is as if left out (unknown, the default, or none)."""
        out, missing = {}, []
        for tp, vp, values in self.plan:
            value = args.get(vp.name, UNKNOWN) if vp is not None else UNKNOWN
            if value is UNKNOWN:
                value = _left_out(tp)
            elif value is None or value == ():
                value = _left_out(tp) if hasattr(tp.type, "values") else (() if tp.type.is_list else None)
            elif isinstance(value, tuple):
                value = tuple(dict.fromkeys(values.get(v, v) for v in value))
            else:
                value = values.get(value, value)
                if tp.type.is_list:
                    value = (value,)
            if tp.type.required and tp.default is None and value in (None, ()):
                missing.append(tp)
            out[tp.name] = value
        return out, missing

    def describe(self) -> str:
        """"event 'armed_attack' (collective_defence) read as this treaty's 'aggression' (art. 1), 'target' as
        'against', without 'on'"."""
        text = f"event '{self.source.name}' ({self.vocabulary}) read as this treaty's '{self.target.name}'"
        if self.article is not None:
            text += f" (art. {self.article})"
        parts = [f"'{v}' as '{t}'" for t, v in self.renamed]
        parts += [f"{arg} '{v}' as '{w}'" for arg, v, w in self.values]
        if self.dropped:
            parts.append("without " + ", ".join(f"'{d}'" for d in self.dropped))
        return text + "".join(", " + p for p in parts)

    def to_json(self) -> dict:
        return {"type": self.source.name, "vocabulary": self.vocabulary, "read_as": self.target.name,
                "article": self.article, "arguments": {v: t for t, v in self.renamed},
                "values": [{"argument": a, "value": v, "read_as": w} for a, v, w in self.values],
                "without": list(self.dropped)}


def _left_out(param):
    """What a scenario event gives a parameter it leaves out (see scenario.load.ScenarioValidator.argument)."""
    if param.unknowable:
        return UNKNOWN
    if param.default is not None:
        return param.default
    return () if param.type.is_list else None


def lower_uses(tree) -> tuple[Vocabulary | None, dict]:
    """The vocabulary a checked treaty uses and its readings (vocabulary event name -> EventReading)."""
    if not tree.uses:
        return None, {}
    from treatylang.lang import vocabulary as v

    vocab_tree = v.load(tree.uses[0].vocabulary)
    vocab = Vocabulary(vocab_tree)
    own = {e.name: e for e in tree.events}
    found = {}
    for r in v.readings(tree, vocab_tree):
        source, target = vocab.events[r.source], own[r.target]
        found[r.source] = EventReading(vocab.name, source, target, v.plan(r, source, target), r.article)
    return vocab, found
