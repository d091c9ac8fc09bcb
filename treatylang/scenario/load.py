"""A YAML scenario (DESIGN §4), read once into positioned nodes, validated and bound to its treaty.

    document = read_scenario("s.yaml")                 # the file, read once (see yaml_nodes.py)
    treaty = TreatyCache(load_treaty, default).for_document(document)   # its treaty, each file loaded once
    scenario = bind(document, treaty)                  # a Scenario; every error names file, line and column

`treatylang.load_scenario` does these three steps; the casebook keeps the document for its `expect` block.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any, Callable

import attrs

from treatylang.ir.places import PlaceId, make_world
from treatylang.lang.syntax import EVENT_KEYS, PlaceType
from treatylang.model import ACTOR_KINDS, UNKNOWN, Actor, Event, Scenario, known_actors, resolve_actor
from treatylang.scenario.yaml_nodes import Document, Node, NodeReader, read_document
from treatylang.source import files
from treatylang.source.dates import DATE_FORMAT, no_such_day, parse_date
from treatylang.source.diagnostics import TreatyError, did_you_mean
from treatylang.source.files import listing, quoted
from treatylang.source.spans import TREATY_LINE_BREAKS

TOP_KEYS = ("title", "treaty", "vocabulary", "as_of", "description", "note", "actors", "places", "members", "events",
            "expect")
ACTOR_KEYS = ("name", "kind", "aka", "is")
PLACE_KEYS = ("name", "of", "in", "is")
MEMBERS_KEYS = ("on", "parties")


def read_scenario(path) -> Document:
    """A scenario file read once into nodes (not yet validated): see `bind`."""
    return read_document(str(path))


def treaty_path(document: Document) -> str | None:
    """The file the scenario's `treaty:` key names, relative to the scenario's folder (None: no such key)."""
    node = document.top("treaty")
    if node is None or not isinstance(node.value, str):
        return None  # a `treaty:` that is not a text is reported by `bind`
    return os.path.normpath(os.path.join(os.path.dirname(document.file), node.value))


class TreatyCache:
    """Treaty files loaded once each, by path; a file that fails keeps its error, raised for each use.

    `load` loads a treaty file (`treatylang.load_treaty`); `default` gives the path of the treaty of a
    scenario that names none (the bundled Charter); `override` is a treaty file used for every scenario
    instead of its own (`--treaty`); `parse` parses a treaty's text (`treatylang.parse_treaty`), for the
    file a scenario's `treaty:` key names (see `named`).
    """

    def __init__(self, load: Callable[[str], Any], default: Callable[[], str], override: str | None = None,
                 parse: Callable[[str, str], Any] | None = None):
        self._load = load
        self._default = default
        self._parse = parse
        self.override = override
        self._loaded: dict[str, Any] = {}
        self._named: dict[str, Any] = {}

    def get(self, path: str):
        key = os.path.abspath(path)
        if key not in self._loaded:
            try:
                self._loaded[key] = self._load(path)
            except TreatyError as e:
                self._loaded[key] = e
        found = self._loaded[key]
        if isinstance(found, TreatyError):
            raise found
        return found

    def named(self, path: str, document: Document):
        """The treaty file `path` that the scenario `document`'s `treaty:` key names (see "What a scenario may
        read" in docs/casebook.md).

        A scenario may come from anyone, and its `treaty:` key may name any file. So a file that is not a
        treaty is refused with a message at the `treaty:` key that quotes nothing of the file (not a line, not
        a word), only where it stops being a treaty; and the errors of a file that is one are reported at their
        place in it, with their messages but without its source lines.
        """
        key = os.path.abspath(path)
        if key not in self._named:
            self._named[key] = self._load_named(path)
        found = self._named[key]
        if isinstance(found, str):  # not a treaty file: said at this scenario's `treaty:` key
            reader = NodeReader(document.file, document.text)
            reader.error(document.top("treaty"), found)
            reader.raise_problems()
        if isinstance(found, TreatyError):
            raise found
        return found

    def _load_named(self, path: str):
        """A treaty, a TreatyError located in the treaty file (no source line quoted), or why it is no treaty."""
        problem = files.kind_problem(path)
        if problem == "no such file":
            return (f"no treaty file at {os.path.abspath(path)} (a `treaty:` path is read from the folder of "
                    "the scenario that names it)")
        if problem is not None:
            return f"the treaty file '{path}' named by `treaty:` {problem}"
        try:
            data = files.read_bytes(path)
        except TreatyError as e:
            return f"the treaty file '{path}' named by `treaty:` cannot be read: {e.diagnostics[0].message}"
        try:
            text = files.checked_text(path, data)
        except TreatyError as e:
            d = e.diagnostics[0]
            return f"the file '{path}' named by `treaty:` is not a treaty file (line {d.span.line}: {d.message})"
        del data
        line = not_a_treaty(text)
        if line is not None:
            return (f"the file '{path}' named by `treaty:` is not a treaty file "
                    f"(line {line}: expected 'treaty' or another declaration)")
        try:
            return self._parse(text, path) if self._parse is not None else self._load(path)
        except TreatyError as e:
            return TreatyError([attrs.evolve(d, source_line=None) for d in e.diagnostics])

    def default_used(self, document: Document) -> str | None:
        """The default treaty's path when `document` is validated against it (no `treaty:`, no override)."""
        return self._default() if self.override is None and treaty_path(document) is None else None

    def for_document(self, document: Document):
        """The treaty to validate a scenario against: the override, else the one it names, else the default."""
        if self.override is not None:
            return self.get(self.override)
        path = treaty_path(document)
        if path is not None:
            return self.named(path, document)
        return self.get(self._default())


_DECLARATION = re.compile(r"[ \t\f]*(?:treaty|uses|party|actor|quality|place|event|fact|preamble|article)(?![A-Za-z0-9_])")
_BLANK_OR_COMMENT = re.compile(r"[ \t\f]*(?:#.*)?")


def not_a_treaty(text: str) -> int | None:
    """The line where a text shows it is not a treaty file (its first line that is neither blank, a comment,
    nor the start of a declaration); None when it starts as a treaty does. Only the start is looked at."""
    for number, line in enumerate(TREATY_LINE_BREAKS.split(text, maxsplit=10_000), start=1):
        if _BLANK_OR_COMMENT.fullmatch(line):
            continue
        return None if _DECLARATION.match(line) else number
    return 1  # empty, blank or comments only: no declaration at all


# ---- validation ---------------------------------------------------------------------
class ScenarioValidator:
    """Checks scenario nodes against a treaty's vocabulary and actors (also used for `expect` blocks).

    `actors` and `names` start from those of a scenario already bound (an `expect` block names its actors).
    """

    def __init__(self, reader: NodeReader, treaty, actors: dict | None = None, names: dict | None = None,
                 default: str | None = None):
        self.r = reader
        self.treaty = treaty
        self.default = default  # the default treaty's path, when the scenario names none (see `default_note`)
        self._told_default = None  # the unknown actor whose error names the default treaty
        self.actors: dict[str, Actor] = dict(actors or {})
        self.names: dict[str, str] = dict(names or {})  # the scenario's own names, casefolded -> id
        self._resolved: dict[str, str | None] = {}  # a name -> the actor it names (an alias is one value, many uses)
        self.actor_qualities: dict[str, tuple] = {}  # scenario actor id -> its `is:` qualities
        self.places: dict[str, tuple] = {}  # scenario place id -> (name, of, in, is)
        self._place_ids: dict[str, PlaceId] = {}
        self.vocabulary: str | None = None  # the scenario's `vocabulary:`, when the treaty uses it

    def default_note(self) -> str:
        """For a scenario that names no `treaty:`: which treaty was used."""
        if self.default is None:
            return ""
        return f"this scenario names no `treaty:`, so the bundled {self.treaty.title} ({_shown_path(self.default)}) was used"

    @classmethod
    def of(cls, reader: NodeReader, scenario: Scenario) -> ScenarioValidator:
        return cls(reader, scenario.treaty, scenario.actors, scenario.names)

    def keys(self, node: Node, allowed, what: str) -> dict:
        if not isinstance(node.value, dict):
            self.r.error(node, f"{what} must be a mapping of keys to values")
            return {}
        for key, (knode, _) in node.value.items():
            if key not in allowed:
                self.r.error(knode, f"unknown key {quoted(key)} in {what}; expected one of {listing(allowed)}",
                             hint=suggestion(key, allowed))
        return {k: v for k, (_, v) in node.value.items()}

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str):
            self.r.error(node, f"{what} must be a text")
            return None
        return node.value

    def date(self, node: Node | None, what: str) -> dt.date | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, str):
            try:
                return parse_date(node.value.strip())
            except ValueError:
                pass
        impossible = no_such_day(node.value.strip()) if isinstance(node.value, str) else None
        if impossible:
            self.r.error(node, f"{what} {quoted(node.value.strip())} is not a valid date: {impossible}")
        else:
            self.r.error(node, f"{what} must be a date ({DATE_FORMAT}), not {_show(node)}")
        return None

    def actor_ref(self, node: Node) -> str | None:
        if not isinstance(node.value, str):
            self.r.error(node, f"expected an actor's name, not {_show(node)}")
            return None
        name = node.value
        if name in self._resolved:
            found = self._resolved[name]
        else:
            found = self._resolved[name] = resolve_actor(name, self.treaty, self.names)
        if found is None:
            if self.default and self._told_default is None:
                self._told_default = name  # said for the first unknown name only: every other would repeat it
            note = f" ({self.default_note()}; {_ADD_TREATY})" if self.default and name == self._told_default else ""
            self.r.error(node, f"unknown actor {quoted(name)}; declare it under 'actors' or use a party of the treaty{note}",
                         hint=suggestion(name, self.known_actors))
        return found

    def actor_list(self, node: Node) -> list[str]:
        """A name or a list of names, resolved (the unknown ones reported)."""
        items = node.value if isinstance(node.value, list) else ([node] if node.value is not None else [])
        return [a for a in (self.actor_ref(i) for i in items) if a is not None]

    def members(self, node: Node | None) -> tuple:
        """`members: {on: DATE, parties: [...]}` (or a list of them): the members on each date, in date order."""
        if node is None or node.value is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        found: dict = {}
        for item in items:
            if not isinstance(item.value, dict):
                self.r.error(item, "each 'members' entry must be a mapping {on: DATE, parties: [...]}")
                continue
            fields = self.keys(item, MEMBERS_KEYS, "a 'members' entry")
            for key in MEMBERS_KEYS:
                if key not in fields:
                    self.r.error(item, f"this 'members' entry has no '{key}'")
            date = self.date(fields.get("on"), "the 'on' of 'members'")
            parties = self.actor_list(fields["parties"]) if "parties" in fields else []
            if date is None:
                continue
            if date in found:
                self.r.error(fields["on"], f"'members' gives {date.isoformat()} twice")
            found[date] = tuple(sorted(set(parties)))
        return tuple(sorted(found.items()))

    def known_actors(self) -> list[str]:
        """Every actor id a name may resolve to (for did-you-mean), worked out once."""
        if getattr(self, "_known", None) is None:
            self._known = known_actors(self.treaty, self.actors)
        return self._known

    def valid_id(self, node: Node, ident: str, what: str) -> bool:
        """An id a scenario declares has the shape of the language's names (it is matched against rules)."""
        if ident.replace("_", "").isalnum() and ident[:1].isalpha():
            return True
        self.r.error(node, f"{what} id {quoted(ident)} must start with a letter; letters, digits and _ after")
        return False

    def declare_actors(self, node: Node | None) -> None:
        if node is None or node.value is None:
            return
        if not isinstance(node.value, dict):
            self.r.error(node, "actors must be a mapping of ids to {name, kind}")
            return
        for ident, (knode, vnode) in node.value.items():
            if not self.valid_id(knode, ident, "actor"):
                continue
            if self.treaty.resolve_actor(ident) is not None:
                if self.vocabulary is None:  # in a vocabulary's terms, a scenario runs under many treaties:
                    self.r.error(knode, f"{quoted(ident)} is already declared by the treaty")
                continue  # there, an actor a treaty also declares is that treaty's own
            self._resolved.clear()  # a name may now resolve to this actor
            self._known = None
            fields = self.keys(vnode, ACTOR_KEYS, f"actor {quoted(ident)}") if vnode.value is not None else {}
            name = self.text(fields.get("name"), "an actor's name") or ident
            kind = self.text(fields.get("kind"), "an actor's kind") or "state"
            if kind not in ACTOR_KINDS:
                self.r.error(fields["kind"], f"unknown kind {quoted(kind)}; expected one of {', '.join(ACTOR_KINDS)}",
                             hint=suggestion(kind, ACTOR_KINDS))
            self.actors[ident] = Actor(ident, name, kind)
            if "is" in fields:
                self.actor_qualities[ident] = self.quality_list(fields["is"])
            for alias in (ident, name, *self.aka(fields.get("aka"))):
                self.names.setdefault(alias.casefold(), ident)

    def quality_list(self, node: Node | None) -> tuple:
        """An `is:` list of qualities the treaty declares (one name or a list)."""
        if node is None or node.value is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        out = []
        declared = sorted(self.treaty.qualities)
        for item in items:
            q = item.value
            if not isinstance(q, str):
                self.r.error(item, f"'is' lists qualities by name, not {_show(item)}")
            elif q not in self.treaty.qualities and not (self.treaty.vocabulary and q in self.treaty.vocabulary.qualities):
                # (a place kind of the treaty's vocabulary: `island`)
                known = f"; this treaty declares {listing(declared)}" if declared else "; this treaty declares none"
                self.r.error(item, f"unknown quality {quoted(q)}{known}", hint=suggestion(q, declared))
            else:
                out.append(q)
        return tuple(dict.fromkeys(out))

    def declare_places(self, node: Node | None) -> None:
        """The scenario's own places (id -> {name, of, in, is}), added to the treaty's."""
        if node is None or node.value is None:
            return
        if not isinstance(node.value, dict):
            self.r.error(node, "places must be a mapping of ids to {name, of, in, is}")
            return
        pending = []
        for ident, (knode, vnode) in node.value.items():
            if not self.valid_id(knode, ident, "place"):
                continue
            if ident in self.treaty.places:
                if self.vocabulary is None:  # in a vocabulary's terms: the treaty's own place (as for actors)
                    self.r.error(knode, f"{quoted(ident)} is already declared by the treaty")
                continue
            if self.treaty.resolve_actor(ident) is not None or ident in self.actors:
                self.r.error(knode, f"{quoted(ident)} is an actor; a place needs an id of its own")
                continue
            fields = self.keys(vnode, PLACE_KEYS, f"place {quoted(ident)}") if vnode.value is not None else {}
            name = self.text(fields.get("name"), "a place's name") or ident.replace("_", " ")
            of = fields.get("of")
            of = self.actor_ref(of) if of is not None and of.value is not None else None
            within = fields.get("in")
            within = [] if within is None or within.value is None else (
                within.value if isinstance(within.value, list) else [within])
            self.places[ident] = (name, of, (), self.quality_list(fields.get("is")))
            pending.append((ident, within))
        for ident, within in pending:  # `in` may name a place declared further down
            ids = []
            for item in within:
                if isinstance(item.value, str) and (item.value in self.treaty.places or item.value in self.places
                                                    or self.vocabulary_place(item.value)):
                    ids.append(item.value)
                else:
                    self.r.error(item, f"unknown place {_show(item)} in 'in'", hint=suggestion(
                        str(item.value), lambda: self.known_places()))
            name, of, _, quals = self.places[ident]
            self.places[ident] = (name, of, tuple(ids), quals)

    def known_places(self) -> list[str]:
        vocab = self.treaty.vocabulary
        return sorted({*self.treaty.places, *self.places, *(vocab.places if vocab is not None else ())})

    def vocabulary_place(self, ident: str) -> bool:
        """A place of the treaty's vocabulary the treaty does not declare: added as if the scenario declared it
        (with the places containing it), so its name shows and `is in` reads it."""
        vocab = self.treaty.vocabulary
        if vocab is None or ident not in vocab.places:
            return False
        todo = [ident]
        while todo:
            i = todo.pop()
            p = vocab.places.get(i)
            if p is None or i in self.treaty.places or i in self.places:
                continue
            self.places[i] = (p.name, None, p.within, p.qualities)
            todo.extend(p.within)
        return True

    def place_ref(self, node: Node) -> PlaceId | None:
        """A place id of the treaty or the scenario, as a value that knows whose territory it is."""
        ident = node.value
        if not isinstance(ident, str):
            self.r.error(node, f"expected a place's id, not {_show(node)}")
            return None
        found = self._place_ids.get(ident)
        if found is None:
            if ident in self.places:
                found = PlaceId(ident, self.places[ident][1])
            elif ident in self.treaty.places:
                found = PlaceId(ident, self.treaty.places[ident].of)
            elif self.vocabulary_place(ident):
                found = PlaceId(ident, None)
            else:
                self.r.error(node, f"unknown place {quoted(ident)}; declare it under 'places' or use a place of the "
                                   "treaty", hint=suggestion(ident, self.known_places))
                return None
            self._place_ids[ident] = found
        return found

    def aka(self, node: Node | None) -> list[str]:
        if node is None or node.value is None:
            return []
        items = node.value if isinstance(node.value, list) else [node]
        names = [i.value for i in items if isinstance(i.value, str)]
        if len(names) != len(items):
            self.r.error(node, "'aka' must be a name or a list of names")
        return names

    def event(self, node: Node, index: int) -> Event | None:
        if not isinstance(node.value, dict):
            self.r.error(node, "each event must be a mapping (type, date and arguments)")
            return None
        raw = {k: v for k, (_, v) in node.value.items()}
        type_node = raw.get("type")
        if type_node is None:
            self.r.error(node, "this event has no 'type'", hint=f"event types: {listing(self.scenario_types())}")
            return None
        etype = self.text(type_node, "an event type")
        reading = self.reading_of(etype) if etype else None
        decl = reading.source if reading is not None else self.treaty.events.get(etype) if etype else None
        if etype is not None and (decl is None or decl.is_fact):
            hint = suggestion(etype, self.stated_types if self.vocabulary else self.scenario_types)
            if decl is not None:
                self.r.error(type_node, f"{quoted(etype)} is a fact the treaty deems, not an event a scenario may state",
                             hint=hint)
            else:
                declared = listing(self.scenario_types())
                self.r.error(type_node, f"unknown event type {quoted(etype)}; this treaty declares {declared}"
                             f"{self.vocabulary_note(etype)}"
                             if not self.default else
                             f"unknown event type {quoted(etype)}: {self.default_note()}; it declares no event "
                             f"type {quoted(etype)} (it declares {declared}); {_ADD_TREATY}", hint=hint)
            return None
        if decl is None:
            return None
        allowed = (*EVENT_KEYS, *(p.name for p in decl.params))
        self.keys(node, allowed, f"a '{etype}' event")
        ident = self.text(raw.get("id"), "an event id") if "id" in raw else f"e{index + 1}"
        if "date" not in raw:
            self.r.error(node, f"this '{etype}' event has no 'date'")
        elif raw["date"] is None or raw["date"].value is None:
            self.r.error(raw["date"] or node, f"this '{etype}' event's 'date' is empty; write a date ({DATE_FORMAT})")
        date = self.date(raw.get("date"), "the event's date")
        args = {p.name: self.argument(p, raw.get(p.name), node, etype) for p in decl.params}
        if reading is not None:
            args, missing = reading.translate(args)
            for p in missing:
                source = reading.taken_from(p)
                if source is not None and source in raw:
                    continue  # given, but not valid: said at its value
                self.r.error(node, f"this '{etype}' event needs a value for this treaty's '{p.name}' ({p.type}): "
                                   f"{reading.describe()}", hint=f"give the event's {quoted(source)}" if source else
                             f"the vocabulary's {quoted(etype)} has no argument this treaty reads as {quoted(p.name)}")
            etype = reading.target.name
        until = self.until(raw.get("until"), date) if "until" in raw else None
        if ident is None or date is None:
            return None
        return Event(ident, etype, date, args, index, self.r.span(node), until=until, reading=reading)

    # ---- a shared vocabulary's terms (docs/scenarios.md, "One scenario, many treaties") -------------
    def use_vocabulary(self, node: Node | None) -> None:
        """`vocabulary: NAME`: the scenario's event types are the vocabulary's, read as the treaty reads them."""
        name = self.text(node, "vocabulary (the name of a shared vocabulary)")
        if name is None:
            return
        used = self.treaty.vocabulary.name if self.treaty.vocabulary is not None else None
        if name == used:
            self.vocabulary = name
            return
        from treatylang.lang.vocabulary import names

        known = names()
        what = (f"uses vocabulary {quoted(used)}" if used else "uses no vocabulary")
        self.r.error(node, f"the scenario is written in vocabulary {quoted(name)}, but this treaty "
                           f"({self.treaty.id}) {what}" + ("" if name in known else
                                                            f"; treatylang ships {listing(known) or 'none'}"),
                     hint=suggestion(name, known) if name not in known else None)

    def reading_of(self, etype: str):
        """The vocabulary reading a stated type goes through, in a scenario written in the vocabulary's terms
        (elsewhere a type is the treaty's own: a scenario says which terms it is written in)."""
        return self.treaty.readings.get(etype) if self.vocabulary is not None else None

    def vocabulary_note(self, etype: str) -> str:
        """What the treaty's vocabulary has to say about a type the treaty does not let the scenario state."""
        vocab = self.treaty.vocabulary
        if vocab is None:
            return ""
        reading = self.treaty.readings.get(etype)
        if reading is not None and self.vocabulary is None:
            return (f"; vocabulary {quoted(vocab.name)} has an event {quoted(etype)}, which this treaty reads as its "
                    f"{quoted(reading.target.name)}: write `vocabulary: {vocab.name}` in a scenario written in "
                    "the vocabulary's terms")
        if etype in vocab.events:
            return (f"; vocabulary {quoted(vocab.name)} has an event {quoted(etype)}, but this treaty neither "
                    f"declares nor reads it")
        if self.vocabulary is None:
            return ""
        return (f"; nor is it an event this treaty reads from vocabulary {quoted(vocab.name)} "
                f"({listing(sorted(self.treaty.readings)) or 'none'})")


    def until(self, node: Node | None, date: dt.date | None) -> dt.date | None:
        """`until: DATE` or `until: ongoing`: a continuing situation's last day (ongoing: dt.date.max)."""
        if node is not None and isinstance(node.value, str) and node.value.strip() == "ongoing":
            return dt.date.max
        if node is None or node.value is None:
            self.r.error(node, f"'until' is empty; write a date ({DATE_FORMAT}) or 'ongoing'")
            return None
        until = self.date(node, "'until' (the last day of a continuing situation, or 'ongoing')")
        if until is not None and date is not None and until < date:
            self.r.error(node, f"'until' ({until.isoformat()}) is before the event's date ({date.isoformat()})")
            return None
        return until

    def argument(self, p, value: Node | None, event: Node, etype: str):
        """The value of parameter `p` of an event (every parameter gets one: see model.Event)."""
        if value is None or value.value is None:
            if p.unknowable:
                return UNKNOWN  # left out: not settled by the scenario (not false)
            if p.default is not None:
                return p.default
            if p.type.is_list:
                if p.type.required:
                    what = ("places" if isinstance(p.type, PlaceType) else "values" if hasattr(p.type, "values")
                            else "actors")
                    self.r.error(event, f"this '{etype}' event needs '{p.name}' ({p.type}: one or more {what})")
                return ()
            if p.type.required:
                self.r.error(event, f"this '{etype}' event needs '{p.name}' ({p.type})")
            return None
        if hasattr(p.type, "values"):  # enumeration, or a list of its values (a single value or a list)
            if p.type.is_list:
                items = value.value if isinstance(value.value, list) else [value]
                given = tuple(dict.fromkeys(v for v in (self.enum_value(p, i) for i in items) if v is not None))
                if not given and p.type.required and isinstance(value.value, list):
                    self.r.error(value, f"'{p.name}' needs at least one of {listing(p.type.values)}")
                return given
            if isinstance(value.value, list):
                self.r.error(value, f"'{p.name}' takes one value, not a list")
                return None
            return self.enum_value(p, value)
        ref = self.place_ref if isinstance(p.type, PlaceType) else self.actor_ref
        if p.type.is_list:
            items = value.value if isinstance(value.value, list) else [value]
            ids = tuple(dict.fromkeys(i for i in map(ref, items) if i is not None))
            if not ids and p.type.required and isinstance(value.value, list):
                self.r.error(value, f"'{p.name}' needs at least one {'place' if ref == self.place_ref else 'actor'}")
            return ids
        if isinstance(value.value, list):
            self.r.error(value, f"'{p.name}' takes one {'place' if ref == self.place_ref else 'actor'}, not a list")
            return None
        if p.unknowable and value.value == "none":
            return None  # known to be none (`territory_of: none`: a ship at sea)
        return ref(value)

    def enum_value(self, p, value: Node):
        v = self.text(value, f"'{p.name}'")
        if v is not None and v not in p.type.values:
            self.r.error(value, f"{quoted(v)} is not a value of '{p.name}'; expected one of {listing(p.type.values)}",
                         hint=suggestion(v, p.type.values))
            return None
        return v

    def stated_types(self):
        """Every type a scenario may state under this treaty: its own events and the vocabulary's it reads."""
        return sorted({*self.scenario_types(), *self.treaty.readings})

    def scenario_types(self):
        if getattr(self, "_types", None) is None:
            self._types = sorted(n for n, d in self.treaty.events.items() if not d.is_fact)
        return self._types


# ---- did you mean, bounded -------------------------------------------------------------


def suggestion(name, candidates):
    """A "did you mean" hint for `name` among `candidates` (or a function giving them), worked out only when
    the problem is reported (see NodeReader); did_you_mean bounds its cost."""
    return lambda: did_you_mean(name, candidates() if callable(candidates) else candidates)


def bind(document: Document, treaty, default: str | None = None) -> Scenario:
    """Validate a scenario document against `treaty`: a Scenario bound to it, or a TreatyError with every problem.

    `default`: the path of `treaty` when it is the default one the scenario did not name (errors then say so)."""
    reader = NodeReader(document.file, document.text)
    root = document.root
    if root is None:
        reader.fail(1, 1, "the scenario is empty; it needs at least a 'title' and 'events'")
    if not isinstance(root.value, dict):
        reader.fail(root.line, root.column, f"a scenario must be a mapping with 'title' and 'events', not {_show(root)}")
    v = ScenarioValidator(reader, treaty, default=default)
    top = v.keys(root, TOP_KEYS, "the scenario")
    if "title" not in top:
        reader.error(root, "the scenario has no 'title'")
    title = v.text(top.get("title"), "the title") or ""
    note = v.text(top.get("note"), "the note")
    v.text(top.get("treaty"), "treaty (a path to a .treaty file)")
    as_of = v.date(top.get("as_of"), "as_of")
    if "vocabulary" in top:
        v.use_vocabulary(top["vocabulary"])
    v.declare_actors(top.get("actors"))
    v.declare_places(top.get("places"))
    members = v.members(top.get("members"))
    events = _events(v, root, top)
    reader.raise_problems()
    events.sort(key=lambda e: (e.date, e.index))
    kinds = dict(treaty.actor_kinds)
    kinds.update((a.id, a.kind) for a in v.actors.values())
    if treaty.qualities or treaty.places or v.places:  # qualities and places only where the treaty has them
        kinds = make_world(treaty, kinds, v.places, v.actor_qualities)
    return Scenario(title, document.file, tuple(events), v.actors, as_of, note, treaty=treaty,
                    treaty_path=treaty_path(document), kinds=kinds, names=v.names,
                    places={i: p[0] for i, p in v.places.items()}, members=members)


def _events(v: ScenarioValidator, root: Node, top: dict) -> list[Event]:
    events: list[Event] = []
    node = top.get("events")
    if "events" not in top:
        v.r.error(root, "the scenario has no 'events' (write 'events: []' for none)")
    elif node is not None and node.value is not None:
        if not isinstance(node.value, list):
            v.r.error(node, "'events' must be a list")
        else:
            events = [e for e in (v.event(n, i) for i, n in enumerate(node.value)) if e is not None]
    seen: dict[str, Event] = {}
    for e in events:
        if e.id in seen:
            v.r.error(Node(None, e.span.line, e.span.column, e.span.line, e.span.column + 1),
                      f"event id {quoted(e.id)} is used twice (first at line {seen[e.id].span.line})")
        seen[e.id] = e
    return events


def scenario_from_dict(data: dict, treaty, filename: str = "<data>") -> Scenario:
    """A scenario from plain data (the YAML's shape), for generated scenarios and sweeps."""
    return bind(Document(filename, "", _to_node(data)), treaty)


def _to_node(value, line=1, column=1) -> Node:
    """Plain Python data (from an API caller) as positionless nodes."""
    if isinstance(value, dict):
        return Node({str(k): (Node(str(k), line, column, line, column), _to_node(v)) for k, v in value.items()},
                    line, column, line, column)
    if isinstance(value, (list, tuple)):
        return Node([_to_node(v) for v in value], line, column, line, column)
    if value is None:
        return Node(None, line, column, line, column)
    if isinstance(value, dt.date):
        return Node(value.isoformat(), line, column, line, column)
    return Node(str(value), line, column, line, column)


_ADD_TREATY = "add `treaty: your.treaty` to use yours"


def _shown_path(path: str) -> str:
    """A path as a reader finds it: relative to the working folder when under it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _show(node: Node) -> str:
    v = node.value
    if v is None:
        return "nothing"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return quoted(v)
