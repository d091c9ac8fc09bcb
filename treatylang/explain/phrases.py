"""Names and labels every explanation uses: actors by display name, articles with their titles."""

from __future__ import annotations

from treatylang.ir.wording import argument_of, words
from treatylang.model import UNKNOWN

EXCERPT = 160


class Namer:
    """Display names for actor ids (treaty parties and actors, then the scenario's own actors)."""

    def __init__(self, treaty, scenario):
        self.names = dict(treaty.actor_names)
        self.names.update((a.id, a.name) for a in scenario.actors.values())
        self.names.update(treaty.place_names)
        self.names.update(scenario.places)

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


def excerpt(treaty, article) -> str | None:
    a = _article_of(treaty, article)
    text = a.text("en") if a is not None else None
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


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


def describe_means(rule) -> str | None:
    return rule.conclusion.describe_means() if rule.kind == "norm" else None


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
