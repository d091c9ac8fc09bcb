"""Names and labels every explanation uses: actors by display name, articles with their titles."""

from __future__ import annotations

from treatylang.ir.wording import TOGETHER, VERBS, argument_of, words
from treatylang.lang import passages
from treatylang.model import UNKNOWN


class Namer:
    """Display names for actor ids (treaty parties and actors, then the scenario's own actors)."""

    def __init__(self, treaty, scenario):
        self.names = dict(treaty.actor_names)
        self.names.update((a.id, a.name) for a in scenario.actors.values())
        self.names.update(treaty.place_names)
        self.names.update(scenario.places)
        self.names[TOGETHER] = "the members together"  # the bearer of a collective norm

    def __call__(self, value) -> str:
        if value is None:
            return "(not given)"
        if isinstance(value, (tuple, list)):
            return ", ".join(self(v) for v in value) or "nobody"
        return self.names.get(value, str(value).replace("_", " "))


def _article_of(treaty, article):
    """The article block of a number, or of a rule (a dated version of an article is its own block)."""
    if not isinstance(article, str):
        version = getattr(article, "version", None)
        if version is not None:
            return treaty.article_versions.get(article.name)
        article = article.article
    return treaty.articles.get(article)


def article_of_rule(treaty, rule):
    """The article block a rule lies in (of a dated version: that version's block), or None."""
    return _article_of(treaty, rule)


def quoted_passage(treaty, rule) -> str | None:
    """The passage of its article's text the rule encodes: the sentence (or limb) holding its `quote`,
    else the article's first sentence (treatylang.lang.passages)."""
    a = _article_of(treaty, rule)
    if a is None or not a.texts:
        return None
    texts = [t.body for t in a.texts]
    holder = passages.find(texts, rule.quote) if rule.quote else None
    return passages.passage(holder or a.text("en"), rule.quote if holder else None)


def article_label(treaty, article) -> str:
    """`article 6 (Title)`; given a rule of a dated version, that version: `article 6 (Title, from 1952-02-15)`."""
    version = getattr(article, "version", None)
    if version is not None:
        return version.label()
    if not isinstance(article, str):
        article = article.article
    a = treaty.articles.get(article)
    title = f" ({a.title})" if a is not None and a.title else ""
    return f"article {article}{title}"


def describe_event(event, name: Namer) -> str:
    shown = ", ".join(f"{k}: {name(v)}" for k, v in event.args.items() if v is not UNKNOWN and v not in (None, ()))
    return f"{words(event.type)} ({shown})"


def describe_open(o, name: Namer) -> str:
    """An open fact as a question: "whether Mali is among the attack's 'permitted_by'"."""
    what = argument_of(o.fact, o.arg)
    if o.among:
        if len(o.wanted) == 1:
            return f"whether {name(o.wanted[0])} is among {what}"
        return f"whether one of {' or '.join(name(w) for w in o.wanted)} is among {what}"
    return f"whether {what} is {' or '.join(name(w) for w in o.wanted)}"


def depends_on(conditional, name: Namer) -> str:
    """'depends on whether ... and whether ...': what a conditional conclusion waits for."""
    return "depends on " + " and ".join(describe_open(o, name) for o in conditional.depends_on)


def describe_norm(rule, bearer, counterparty, name: Namer) -> str:
    return rule.conclusion.describe(bearer, counterparty, name)


def describe_means(norm) -> str | None:
    """The means of a norm (as its rule writes them, or as the decision that triggered it sets them)."""
    return norm.source.conclusion.describe_means(norm.means) if norm.source.kind == "norm" else None


MAX_NAMED = 4  # a summary names this many bearers at most; more are counted


def who_of(ids, name: Namer, many: str = "members") -> str:
    """'Mali', 'Mali and Niger', 'Burkina Faso, Mali and Niger'; above MAX_NAMED, '18 members'."""
    names = sorted((name(i) for i in ids), key=str.casefold)
    if len(names) > MAX_NAMED:
        return f"{len(names)} {many}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_group(group, name: Namer) -> str:
    """A summary line: '18 members must assist the United States [art. 5]', 'Mali breached art. 8'."""
    art = f"{group.article} ({group.article_version})" if group.article_version else group.article
    if group.kind == "breach":
        return f"{who_of(group.who, name, 'parties')} breached art. {art}"
    c = group.source.conclusion
    text = f"{who_of(group.who, name)} {VERBS[group.modality]} {words(group.action)}"
    if group.counterparty is not None:
        text += f" {c.preposition + ' ' if c.preposition else ''}{name(group.counterparty)}"
    return f"{text} [art. {art}]" + ("" if group.status == "live" else f" ({group.status})")


def describe_end(norm) -> str | None:
    """'ended 2025-03-01: council_measures e3 (art. 5)': how a norm ended by as_of; None when it is live."""
    end = norm.end
    if end is None:
        return None
    return f"{end.status} {end.event.date.isoformat()}: {end.event.type} {end.event.id} (art. {norm.article})"


def describe_breach_by(breach, events: dict, name: Namer) -> str:
    """How a breach came about: 'by event e3 on D: refusal (...)', or for a deadline passed 'by not
    discharging it by D (the obligation of event e1)'."""
    if breach.trigger is not None:
        return f"by event {breach.event} on {breach.date.isoformat()}: {describe_event(events[breach.event], name)}"
    return (f"by not discharging it by {breach.missed.isoformat()} (the obligation of event {breach.norm.event}; "
            f"in breach from {breach.date.isoformat()})")
